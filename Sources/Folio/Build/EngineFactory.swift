import Foundation

/// Picks the execution engine for a build.
public enum EngineFactory {
    /// The Swift executor for a build with these options: nil when the build does not execute
    /// (`--no-execute`, `check --stale`: no toolchain lookup, no `swiftc --version`), a failing one
    /// when no toolchain is usable, with the reason logged so a build never silently skips execution.
    public static func executor(for options: BuildOptions, context: BuildContext, log: BuildLog = StandardErrorLog()) -> NotebookExecutor? {
        guard options.execute, options.command != .staleCheck else { return nil }
        let store = FrozenStore(directory: context.url(options.freezeDirectory), project: options.project)
        let cache = ExecutionCache(state: context.state)
        switch options.freeze {
        // `--frozen`: no compiler is looked for; the outputs come from the frozen folder alone.
        case .required?: return FrozenExecutor(store: store, inner: nil, cache: cache)
        case .auto?: return FrozenExecutor(store: store, inner: engine(for: options, context: context, log: log), cache: cache)
        case nil: return engine(for: options, context: context, log: log)
        }
    }

    /// `folio preview`'s engine: the build's, with a kernel per notebook (`NotebookKernels`) when it
    /// compiles and runs notebooks itself.
    public static func previewExecutor(for options: BuildOptions, context: BuildContext, log: BuildLog = StandardErrorLog()) -> NotebookExecutor? {
        let engine = executor(for: options, context: context, log: log)
        if let caching = engine as? CachingExecutor { return KernelExecutor(caching: caching) }
        return engine
    }

    static func engine(for options: BuildOptions, context: BuildContext, log: BuildLog) -> NotebookExecutor {
        do {
            let engine = SwiftExecutor(toolchain: try Toolchain.find(context))
            var caching = CachingExecutor(inner: engine)
            if let url = options.sharedCache {
                caching.remote = RemoteCache(base: url, environment: context.environment, warn: { log.message($0) })
            }
            return caching
        } catch {
            let e = error as? FolioError ?? FolioError(file: "folio", kind: .engine, "\(error)")
            log.message(e.description)
            return FailingExecutor(error: e)
        }
    }
}

/// Used when execution was asked for but cannot happen: every notebook with Swift cells fails
/// with the reason, rather than building a site of unrun cells that looks fine.
struct FailingExecutor: NotebookExecutor {
    var error: FolioError

    func execute(_ notebook: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook {
        var run = ExecutedNotebook.unexecuted(notebook)
        if notebook.cells.contains(where: \.isExecutable) {
            run.diagnostics.append(Diagnostic(file: notebook.path, line: 0, severity: .error, kind: .engine, message: error.diagnostic.message))
        }
        return run
    }
}
