/// Folio's version, printed by `folio --version` and part of the execution cache key.
public enum FolioVersion {
    public static let string = "0.1.0"
}
