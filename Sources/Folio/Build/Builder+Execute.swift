import Foundation

extension Builder {
    /// The expensive step, `jobs` notebooks at a time, each after the notebooks it imports from.
    func execute(_ state: inout BuildState) {
        var graph = state.graph
        if let shard = options.shard {
            // Only this shard's share runs (with the notebooks it imports from); the others are another machine's work.
            let all = state.notebooks.filter(\.hasCode).count
            (state.notebooks, graph) = shard.select(state.notebooks, graph: graph, times: Shard.knownTimes(in: context.state))
            log.note("folio: shard \(shard.index)/\(shard.count): \(state.notebooks.count) of \(all) notebooks")
        }
        var base = ExecutionRequest(useCache: !options.noCache, modules: state.modules)
        base.compilerJobs = Self.compilerJobs(jobs: options.jobs, notebooks: state.notebooks.filter(\.hasCode).count)
        let total = state.notebooks.count
        let log = self.log, executor = options.execute ? self.executor : nil
        let notebooks = state.notebooks
        let imports = graph?.imports ?? notebooks.map { _ in [] }
        state.runs = Parallel.map(notebooks.count, after: imports, jobs: options.jobs) { i, done in
            var nb = notebooks[i]
            // Values from the notebooks it imports from, which have run by now.
            if let problem = ImportResolution.fill(&nb, from: imports[i].compactMap { done[$0] }) {
                var run = ExecutedNotebook.unexecuted(nb)
                run.diagnostics.append(problem)
                run.cells = nb.cells.map { CellResult(status: $0.isExecutable ? .notRun : .skipped) }
                return run
            }
            guard let executor else { return ExecutedNotebook.unexecuted(nb) }
            var request = base
            let path = nb.runName
            request.progress = { log.progress(.phase(notebook: path, $0)) }
            log.progress(.started(notebook: path, index: i + 1, total: total))
            let run = executor.execute(nb, request)
            log.progress(.finished(notebook: path, seconds: run.seconds, executed: run.executed, failed: run.failed))
            return run
        }
        // Run times for the next split; never written by a shard, whose siblings must split alike.
        if options.shard == nil {
            Shard.remember(state.runs.filter { $0.notebook.hasCode && $0.seconds > 0 }, in: context.state)
            summarizeSweeps(&state)
        }
    }

    /// How many compiler processes one notebook's compilation may start (swiftc's `-j`): the
    /// build's `--jobs` shared among the notebooks compiling at once, so that `--jobs N` means at
    /// most N compilers in all.
    static func compilerJobs(jobs: Int, notebooks: Int) -> Int {
        max(1, jobs / max(1, min(jobs, notebooks)))
    }
}
