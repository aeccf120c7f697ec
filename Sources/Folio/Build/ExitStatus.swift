/// What `folio build` and `folio check` exit with, so CI can tell a failing notebook from a
/// build that could not run. The guide (generated from `meaning`) and `--help` list the same values.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every notebook built and ran, and every claim held.
    case ok = 0
    /// A notebook failed: a compile error, a crash, a timeout, a claim that did not hold.
    case notebookFailed = 1
    /// The build could not run: a bad `folio.yml`, unreadable input, no notebooks at the paths
    /// given, packages that would not resolve or build. The site was left as it was.
    case couldNotBuild = 2
    /// The command line was wrong (ArgumentParser's own code for a validation failure).
    case usage = 64
}
