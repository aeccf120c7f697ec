/// Picks the execution engine for a build.
public enum EngineFactory {
    public static func executor(noCache: Bool) -> NotebookExecutor? {
        nil
    }
}
