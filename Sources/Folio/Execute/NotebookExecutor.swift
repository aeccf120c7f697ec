/// What a build asks of the execution stage.
public struct ExecutionRequest: Sendable {
    /// Use cached outputs that are still valid (`--no-cache` turns this off).
    public var useCache: Bool
    /// The project's packages and shared module, built for this build.
    public var modules: ProjectModules
    /// Told what the engine is doing, so a long build never looks hung.
    public var progress: (@Sendable (ExecutionPhase) -> Void)?
    /// Preview's kernel: the run leaves snapshots (`NotebookKernels`); nil for every other build.
    public var kernel: KernelSession?
    /// How many compiler processes this notebook's compilation may run at once (`Builder.compilerJobs`).
    public var compilerJobs = 1

    public init(useCache: Bool = true, modules: ProjectModules = ProjectModules()) {
        self.useCache = useCache
        self.modules = modules
    }
}

/// What a notebook's execution is doing now.
public enum ExecutionPhase: Sendable, Equatable {
    case compiling
    /// Running the `cell`-th of `of` Swift cells (1-based).
    case running(cell: Int, of: Int)
}

/// Runs a notebook's cells. The execution engine conforms; tests may substitute their own.
public protocol NotebookExecutor: Sendable {
    func execute(_ notebook: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook
    /// The compiler it runs, for building a project's modules; nil for engines without one.
    var compiler: Toolchain? { get }
}

extension NotebookExecutor {
    public var compiler: Toolchain? { nil }
}
