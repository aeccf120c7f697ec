import Foundation

/// Folio's version, printed by `folio --version` and part of the execution cache key.
public enum FolioVersion {
    public static let string = "0.1.0"

    /// The commit this Folio was built from (12 hex digits), or "unknown" outside a git checkout.
    /// Not part of any cache key: a commit that leaves the engine alone must not re-run notebooks.
    public static let commit = BuildCommit.id

    /// What `folio --version` prints.
    public static var long: String { "\(string) (commit \(commit))" }

    /// How Folio names itself to HTTP servers (link checks, the shared cache).
    public static var userAgent: String { "folio/\(string) (commit \(commit))" }

    /// The version plus the size and modification time of the running executable, so pages
    /// rendered by one build of Folio are not carried over by another build of the same version
    /// (a fix to rendering must reach every page, found when a fuzz fix seemed not to apply).
    public static let build: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = FileManager.default.fileExists(atPath: exe.path) ? exe.path : CommandLine.arguments[0]
        return "\(string)|\(FileStamp.of(path))"
    }()
}
