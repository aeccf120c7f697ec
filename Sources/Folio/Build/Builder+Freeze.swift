import Foundation

/// Frozen outputs (`folio freeze`, `build --frozen`, `check --stale`), as steps of a build.
extension Builder {
    var frozenStore: FrozenStore {
        FrozenStore(directory: context.url(options.freezeDirectory), project: options.project)
    }

    /// `--frozen`: no compiler here; the footer says what the frozen outputs were made with.
    func readFrozenEnvironment(_ state: inout BuildState) {
        let file = frozenStore.directory.appendingPathComponent(FrozenStore.environmentFile)
        state.versions = (try? JSONDecoder().decode([String].self, from: Data(contentsOf: file))) ?? []
    }

    /// `folio freeze`: every run's outputs into the frozen folder.
    func freeze(_ state: inout BuildState) throws {
        let store = frozenStore
        let cache = ExecutionCache(state: context.state)
        let identity = executor?.compiler.map(ToolchainIdentity.of)
        var written = 0
        for run in state.runs where run.notebook.hasCode {
            if try store.freeze(run, cache: cache, toolchain: identity, packages: state.modules.packagesIdentity) { written += 1 }
            else { log.message("\(run.notebook.runName): warning: not frozen: its run was not cached (an engine error or a timeout)") }
        }
        // What the footer names (Swift, packages), for sites built from these outputs without Swift.
        if let data = try? JSONEncoder().encode(state.versions) {
            try? AtomicFile.write(data, to: store.directory.appendingPathComponent(FrozenStore.environmentFile))
        }
        log.note("folio: froze \(written) notebook\(written == 1 ? "" : "s") into \(options.freezeDirectory)/")
    }

    /// `folio check --stale`: which frozen outputs no longer match their notebooks; nothing runs.
    func checkStale(_ state: inout BuildState) {
        let store = frozenStore
        let cache = ExecutionCache(state: context.state)
        let notebooks = state.notebooks
        let imports = state.graph?.imports ?? notebooks.map { _ in [] }
        // In import order: an importer's frozen outputs are current only for the values its
        // upstream notebooks' frozen outputs export.
        let checked: [(run: ExecutedNotebook, frozen: ExecutedNotebook?, stale: Bool)] = Parallel.map(notebooks.count, after: imports, jobs: options.jobs) { i, done in
            var nb = notebooks[i]
            var run = ExecutedNotebook.unexecuted(nb)
            guard nb.hasCode else { return (run, nil, false) }
            // Without its upstream values the source key cannot match: such a notebook counts as stale.
            let resolved = ImportResolution.fill(&nb, from: imports[i].compactMap { done[$0]?.frozen }) == nil
            let s = store.state(of: nb)
            if resolved, s == .current { return (run, store.run(of: nb, cache: cache), false) }
            run.diagnostics.append(Diagnostic(file: nb.path, line: 0, severity: .error, kind: .source,
                                              message: "frozen outputs are \(s == .missing ? "missing" : "stale: the notebook's code, inputs, parameters, imported values, shared code or packages changed")\(nb.sweepSet.map { " (set \($0.label))" } ?? ""); run `folio freeze`"))
            return (run, nil, true)
        }
        state.runs = checked.map(\.run)
        let stale = checked.filter(\.stale).count
        log.note("folio: \(stale) of \(state.notebooks.filter(\.hasCode).count) notebooks have stale or missing frozen outputs in \(options.freezeDirectory)/")
    }
}
