@_exported import Compute
@_exported import Plots
/// Linked into every executed notebook.
public enum RuntimeInfo { public static let name = "FolioRuntime" }
