/// What a build asks of the execution stage.
public struct ExecutionRequest: Sendable {
    /// Use cached outputs that are still valid (`--no-cache` turns this off).
    public var useCache: Bool

    public init(useCache: Bool = true) { self.useCache = useCache }
}

/// Runs a notebook's cells. The execution engine conforms; tests may substitute their own.
public protocol NotebookExecutor: Sendable {
    func execute(_ notebook: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook
}
