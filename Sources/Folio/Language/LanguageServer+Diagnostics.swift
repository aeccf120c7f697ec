import Foundation

/// Diagnostics: computed after typing pauses (parse, links, labels, citations, math, then the
/// cells' Swift), and after a save from a run of the notebook (claims, crashes, timeouts).
extension LanguageServer {
    /// Analyses the open documents once typing has paused for `debounce` seconds; a later change
    /// cancels a pending analysis, and results for documents that changed meanwhile are dropped.
    func scheduleAnalysis(immediately: Bool) {
        let g: Int = lockedIncrementGeneration()
        analysisQueue.asyncAfter(deadline: .now() + (immediately ? 0 : debounce)) { [self] in
            guard currentGeneration == g else { return }
            analyseAndPublish(generation: g)
        }
    }

    func analyseAndPublish(generation g: Int) {
        guard let (ws, docs) = workspaceAndDocuments() else { return }
        if let projectDoc = docs[ws.projectFile] { reloadProject(text: projectDoc.text) }
        let analysis = currentAnalysis()
        guard let ws2 = workspaceAndDocuments()?.0 else { return }
        var fast: [URL: [Diagnostic]] = [:]
        let math = MathRenderer(environment: environment)
        var typesetter = math
        if typesetter.node != nil { typesetter.cacheFile = ws2.context.state.katexMemo }
        for (url, _) in docs {
            fast[url] = url == ws2.projectFile ? projectDiagnostics(ws2) : notebookDiagnostics(url, ws2, analysis, typesetter)
        }
        setFound(fast)
        for (url, doc) in docs { publish(url, version: doc.version, generation: g) }

        // Then the cells' Swift, notebook by notebook: slower, so the fast results are out first.
        guard let toolchain = try? Toolchain.find(ws2.context) else { return }
        guard let modules = projectModules(ws2, toolchain) else { return }
        for (url, doc) in docs where url.pathExtension == "md" {
            guard currentGeneration == g, let nb = analysis.notebook(at: url), nb.hasCode else { continue }
            var request = ExecutionRequest(useCache: false, modules: modules)
            request.compilerJobs = ProcessInfo.processInfo.activeProcessorCount
            let started = Date()
            let found = SwiftExecutor(toolchain: toolchain).typecheck(nb, request).filter { $0.kind != .source || $0.severity == .error }
            logMessage("type-checked \(nb.path) in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
            guard currentGeneration == g else { return }
            setTypechecked(url, found)
            publish(url, version: doc.version, generation: g)
        }
    }

    /// Publishes everything known about `url`, unless the document changed since `generation`'s analysis began.
    func publish(_ url: URL, version: Int, generation g: Int) {
        let payload: LSP.PublishDiagnostics? = withState { s in
            guard s.generation == g, let doc = s.documents[url], doc.version == version else { return nil }
            var all = (s.found[url] ?? []) + (s.typechecked[url] ?? []) + (s.runs[url]?.diagnostics ?? [])
            var seen = Set<String>()
            all = all.filter { seen.insert("\($0.line)|\($0.severity)|\($0.message)").inserted }
            return LSP.PublishDiagnostics(uri: doc.uri, version: doc.version, diagnostics: all.map { Self.lsp($0, in: doc) })
        }
        if let payload { writer.send(JSONRPC.Notification(method: "textDocument/publishDiagnostics", params: payload)) }
    }

    /// A Folio diagnostic as LSP's: its line (the whole line, from its column when it has one).
    static func lsp(_ d: Diagnostic, in doc: TextDocument) -> LSP.Diagnostic {
        let line = min(max(0, d.line - 1), max(0, doc.lineCount - 1))
        let start = d.column > 0 ? doc.utf16Column(line: line, utf8Column: d.column) : 0
        let end = max(start, doc.utf16Length(ofLine: line))
        let severity = switch d.severity { case .error: 1; case .warning: 2; case .note: 3 }
        return LSP.Diagnostic(range: LSP.Range(start: LSP.Position(line: line, character: start), end: LSP.Position(line: line, character: end)),
                              severity: severity, code: d.kind.rawValue, message: d.message)
    }

    /// A problem in another file that stops this notebook (its bibliography, folio.yml's
    /// packages) goes on the notebook's first line, its message naming the place.
    static func placed(_ d: Diagnostic, on url: URL, _ ws: Workspace) -> Diagnostic {
        guard ws.file(named: d.file).path != url.path else { return d }
        var d = d
        d.message = "\(d.line > 0 ? "\(d.file):\(d.line)" : d.file): \(d.message)"
        d.line = 1
        d.column = 0
        return d
    }

    /// What a build would say of a notebook before running it.
    func notebookDiagnostics(_ url: URL, _ ws: Workspace, _ analysis: Workspace.Analysis, _ math: MathRenderer) -> [Diagnostic] {
        if let failure = analysis.failures[url.path] { return [Self.placed(failure.diagnostic, on: url, ws)] }
        guard let nb = analysis.notebook(at: url) else { return [] }
        var out = nb.warnings + (analysis.book.diagnostics[nb.path] ?? [])
        if let cycle = analysis.cycle, ws.file(named: cycle.diagnostic.file).path == url.path { out.append(cycle.diagnostic) }
        if math.node != nil && math.hasKaTeX && !nb.math.isEmpty {
            let typeset = math.typeset(nb.math)
            for span in nb.math {
                if let message = typeset.errors[MathRenderer.key(span)] {
                    out.append(Diagnostic(file: nb.path, line: span.line, severity: .warning, kind: .math, message: "math: \(message)"))
                }
            }
        }
        return out.filter { $0.severity != .note }
    }

    /// folio.yml's problem and warnings.
    func projectDiagnostics(_ ws: Workspace) -> [Diagnostic] {
        if let problem = ws.projectProblem { return [problem.diagnostic] }
        return ws.project?.file.warnings ?? []
    }

    /// The project's packages and shared module, built (or found current) once per session and
    /// again when folio.yml changes.
    func projectModules(_ ws: Workspace, _ toolchain: Toolchain) -> ProjectModules? {
        if let m = withState({ $0.modules }) { return m }
        var m = ProjectModules()
        if let project = ws.project, !project.file.packages.isEmpty || project.sharedSources != nil {
            do {
                m = try ProjectModules.build(project, toolchain: toolchain, log: SilentLog(), packagesBuilt: true)
            } catch {
                // Without the packages every import of them would be an error: no type-check then.
                logMessage("\(error); until then the cells are not type-checked")
                return nil
            }
        }
        withState { $0.modules = m }
        return m
    }

    // MARK: - After a save

    /// Runs the saved notebook as `folio check` would (cached, the project's modules, its
    /// imports), on a queue of its own, and publishes what the run found.
    func runOnSave(_ url: URL) {
        guard let ws = workspaceAndDocuments()?.0 else { return }
        runQueue.async { [self] in
            var flags = BuildFlags()
            flags.inputs = [ws.context.shown(url)]
            flags.jobs = ProcessInfo.processInfo.activeProcessorCount
            var options = BuildOptions.resolve(.check, flags: flags, project: ws.project)
            options.buildsPackages = false
            let log = SilentLog()
            let summary = Builder(context: ws.context, options: options, log: log,
                                  executor: EngineFactory.executor(for: options, context: ws.context, log: log)).run()
            let run = summary.runs.first { $0.notebook.file.path == url.path }
            // The run's own problems; else why the check could not run (packages not built, …),
            // shown on the notebook's first line, naming the place.
            var shown = run?.diagnostics.filter { $0.severity != .note && $0.kind != .drift && $0.kind != .snapshotRun } ?? []
            if run == nil { shown = summary.errors.map { Self.placed($0.diagnostic, on: url, ws) } }
            let version: Int? = withState { s in
                s.runs[url] = (shown, run?.claims ?? [])
                return s.documents[url]?.version
            }
            if let version { publish(url, version: version, generation: currentGeneration) }
            refreshInlayHints()
        }
    }

    /// Asks the client to fetch inlay hints again (they changed with a run), if it can.
    func refreshInlayHints() {
        guard withState({ $0.inlayHintRefresh }) else { return }
        struct Request: Encodable { var jsonrpc = "2.0"; var id: String; var method = "workspace/inlayHint/refresh" }
        writer.send(Request(id: "folio-refresh-\(UUID().uuidString.prefix(8))"))
    }
}

/// A build log that keeps nothing: the server reports through diagnostics.
struct SilentLog: BuildLog {
    func message(_ text: String) {}
}
