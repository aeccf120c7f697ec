import Foundation

/// What `folio build` and `folio check` were asked to do.
public struct BuildOptions: Sendable {
    /// Notebook files or folders of them; empty: the project's notebooks (`notebooks/` without a project).
    public var inputs: [String] = []
    /// The `folio.yml` project the inputs belong to, if any.
    public var project: Project?
    /// The site folder; nil for `folio check` (run, report, write no site).
    public var output: String? = "site"
    public var report: String?
    public var junit: String?
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Compile and run Swift cells.
    public var execute = true
    /// Ignore the execution cache.
    public var noCache = false
    /// Publish the site even when notebooks failed (preview shows failures in the page).
    public var publishFailures = true
    /// Print every page to PDF beside it (`--pdf`); notebooks may ask alone (`pdf: true`).
    public var pdf = false
    public var paper: Paper = .a4
    /// Also print the whole project as one report to this file (`folio pdf`).
    public var combinedPDF: String?
    /// `-P NAME=VALUE`, in the order given.
    public var parameters: [ParameterOverride] = []
    /// The most sets one sweep may run (`--max-sets`).
    public var maxSets = 1000
    /// A shared HTTP cache behind `.folio/cache` (`--cache`, `cache:` in folio.yml).
    public var sharedCache: URL?
    /// Execute only this share of the notebooks and publish nothing (`--shard 2/4`).
    public var shard: Shard?
    /// Frozen outputs: write them (`folio freeze`), build from them (`--frozen`, `freeze: auto`),
    /// or only say which are stale (`check --stale`).
    public var freeze: FreezeMode?
    public var freezeDirectory = FrozenStore.defaultDirectory
    /// Check the links of the published site (`folio check --links`).
    public var linkCheck: LinkCheckMode?

    public enum FreezeMode: Sendable { case write, required, auto, stale }

    public init() {}

    /// The options folio.yml sets for every command that builds (build, check, pdf, freeze,
    /// preview): its paper, its freezing, its shared cache. Flags are applied over these.
    public init(project: Project?) {
        self.init()
        self.project = project
        guard let file = project?.file else { return }
        paper = file.paper ?? .a4
        freezeDirectory = file.freezeDirectory
        if file.freezeAuto { freeze = .auto }
        sharedCache = file.cache
    }
}

/// The outcome of a build, for the CLI to print and turn into an exit code.
public struct BuildSummary: Sendable {
    public var runs: [ExecutedNotebook]
    public var errors: [FolioError]
    public var report: BuildReport
    public var sitePublished: Bool

    /// What the exit status says, for CI: see `ExitStatus`.
    public var status: ExitStatus {
        if !errors.isEmpty { return .couldNotBuild }
        return report.ok ? .ok : .notebookFailed
    }

    public var exitCode: Int32 { status.rawValue }
}

/// Prints what a build has to say. Tests collect it; the CLI prints to stderr.
public protocol BuildLog: Sendable {
    /// Problems and the summary: always shown.
    func message(_ text: String)
    /// What the build is doing (resolving packages, compiling shared code): left out by `--quiet`.
    func note(_ text: String)
    /// Where execution is, notebook by notebook.
    func progress(_ event: BuildProgress)
}

extension BuildLog {
    public func note(_ text: String) { message(text) }
    public func progress(_ event: BuildProgress) {}
}

/// One step of a build's execution, for a progress display.
public enum BuildProgress: Sendable, Equatable {
    /// `notebook` (the `index`-th of `total`, 1-based) starts executing or being looked up.
    case started(notebook: String, index: Int, total: Int)
    case phase(notebook: String, ExecutionPhase)
    /// It is done; `executed` false when its outputs came from the cache.
    case finished(notebook: String, seconds: Double, executed: Bool, failed: Bool)
}

public struct StandardErrorLog: BuildLog {
    public init() {}
    public func message(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The pipeline driver: an explicit sequence of named steps over one `BuildState` (in the spirit
/// of mdBook's preprocessors and Publish's steps): discover → parse → execute → typeset → report
/// what the notebooks said → render → publish, then the report. Parse, execute and render run
/// `--jobs` notebooks at a time. A step that fails stops the build; its error names the step and
/// the file it was working on, and the previous site stays as it was.
public final class Builder: @unchecked Sendable {
    public let options: BuildOptions
    public let log: BuildLog
    public var math = MathRenderer()
    public var executor: NotebookExecutor?

    public init(options: BuildOptions, log: BuildLog = StandardErrorLog(), executor: NotebookExecutor? = nil) {
        self.options = options
        self.log = log
        self.executor = executor
    }

    /// One notebook found on disk.
    public struct Source: Sendable {
        public var url: URL
        /// As messages name it (`notebooks/a.md`).
        public var path: String
        /// Below the input folder (`a.md`).
        public var relativePath: String
        /// The project's `section:` it is listed under (with `place`).
        public var section: String?
        /// Its index in the project's `notebooks:` list; nil when not listed.
        public var position: Int?

        public init(url: URL, path: String, relativePath: String, section: String? = nil, position: Int? = nil) {
            self.url = url
            self.path = path
            self.relativePath = relativePath
            self.section = section
            self.position = position
        }
    }

    /// The steps, in order. Each reads and extends the build state.
    enum Step: String, CaseIterable {
        case discover, parse, link, prepare, execute, freeze, typeset, diagnostics, render, stage, print, publish, links, report
    }

    /// What the steps hand on to each other.
    struct BuildState {
        let started = Date()
        var sources: [Source] = []
        var notebooks: [Notebook] = []
        /// Which notebooks import from or embed which (`link`).
        var graph: NotebookGraph?
        /// The build's labels and their numbers (`link`).
        var book = BookIndex()
        /// Input that could not be read as a notebook, or a step that failed: the site is left alone.
        var errors: [FolioError] = []
        var runs: [ExecutedNotebook] = []
        /// One summary page per swept notebook, over its sets' runs (which are in `runs`).
        var summaries: [ExecutedNotebook] = []
        /// The project's packages and shared module, as `prepare` built them.
        var modules = ProjectModules()
        /// What the pages' footer names: the Swift that ran the cells, the packages' versions.
        var versions: [String] = []
        /// The project's theme replacements.
        var theme = ThemeOverrides()
        var typeset = MathRenderer.Typeset()
        /// The rendered site, kept in memory until `stage` writes it.
        var site: RenderedSite?
        /// The staging folder `stage` wrote, `print` adds PDFs to and `publish` swaps in.
        var staging: URL?
        var published = false
        /// Broken links of pages no notebook made (the index, a theme's templates).
        var siteProblems: [Diagnostic] = []
    }

    /// Runs the whole build. Never traps on bad input: every problem becomes a diagnostic.
    /// Builds of the same site are serialised by a lock held for the whole build, so two at once
    /// neither interleave their outputs nor race on the cache.
    public func run() -> BuildSummary {
        guard let out = options.output else { return runSteps() }
        do {
            return try SiteWriter(output: URL(fileURLWithPath: out)).withLock { runSteps() }
        } catch {
            // Without the lock nothing is built: two builds at once would interleave their writes.
            let e = error as? FolioError ?? FolioError(file: out, "cannot take the site lock beside \(out): \(error.localizedDescription)")
            log.message(e.description)
            var state = BuildState()
            state.errors = [e]
            return finish(state)
        }
    }

    func runSteps() -> BuildSummary {
        var state = BuildState()
        for step in Step.allCases {
            do {
                try perform(step, &state)
            } catch let e as FolioError {
                // The step and the file it was working on lead the message.
                var d = e.diagnostic
                d.message = "\(step.rawValue): \(d.message)"
                state.errors.append(FolioError(diagnostic: d))
                log.message(d.description)
                break
            } catch {
                let e = FolioError(file: options.output ?? ".", "\(step.rawValue): \(error.localizedDescription)")
                state.errors.append(e)
                log.message(e.description)
                break
            }
        }
        if !state.published { for i in state.runs.indices { state.runs[i].rendered = false } }
        return finish(state)
    }

    func perform(_ step: Step, _ state: inout BuildState) throws {
        switch step {
        case .discover: try discover(&state)
        case .parse: try parse(&state)
        case .link: try link(&state)
        case .prepare: try prepare(&state)
        case .execute: execute(&state)
        case .freeze: try freeze(&state)
        case .typeset: typeset(&state)
        case .diagnostics: logDiagnostics(state)
        case .render: try render(&state)
        case .stage: try stage(&state)
        case .print: try print(&state)
        case .publish: try publish(&state)
        case .links: checkLinks(&state)
        case .report: try report(&state)
        }
    }

    // MARK: - Steps

    func discover(_ state: inout BuildState) throws {
        if let project = options.project, let folder = project.themeFolder {
            let (theme, warnings) = try ThemeOverrides.load(folder, shown: project.shown)
            state.theme = theme
            for w in warnings { log.message(w.description) }
        }
        if let project = options.project {
            state.sources = options.inputs.isEmpty ? try project.notebooks() : try project.notebooks(among: options.inputs)
        } else {
            state.sources = try Self.discover(options.inputs.isEmpty ? ["notebooks"] : options.inputs)
        }
        if state.sources.isEmpty {
            // A mistyped path must not pass CI as an empty, successful build.
            let searched = options.inputs.isEmpty ? (options.project.map { "the project's notebooks (\($0.filePath))" } ?? "notebooks") : options.inputs.joined(separator: ", ")
            throw FolioError(file: options.inputs.first ?? options.project?.filePath ?? "notebooks",
                             "no notebooks (.md files) found in \(searched); pass a notebook or a folder that holds some")
        }
    }

    /// Parse every notebook (cheap; in parallel). A notebook that cannot be read is an error of
    /// the build, reported with the others.
    func parse(_ state: inout BuildState) throws {
        let defaults = options.project?.file.defaults ?? FrontMatter()
        let jobs = options.jobs
        func parsing(_ sources: [Source]) -> [Result<Notebook, FolioError>] {
            Parallel.map(sources, jobs: jobs) { src in
            do {
                var nb = try NotebookParser.parse(fileAt: src.url, path: src.path, relativePath: src.relativePath, defaults: defaults)
                nb.place = src.position.map { Notebook.Place(position: $0, section: src.section) }
                return .success(nb)
            } catch let e as FolioError {
                return .failure(e)
            } catch {
                return .failure(FolioError(file: src.path, "\(error)"))
            }
            }
        }
        var sources = state.sources
        while !sources.isEmpty {
            for r in parsing(sources) {
                switch r {
                case .success(let nb): state.notebooks.append(nb)
                case .failure(let e): state.errors.append(e); log.message(e.description)
                }
            }
            // A notebook imports from or embeds one the inputs left out: the project's copy joins the build.
            sources = []
            let missing = Set(NotebookGraph.missing(state.notebooks))
            if !missing.isEmpty, let project = options.project {
                sources = try project.notebooks().filter { missing.contains(RunLibrary.key($0.url.path)) }
                state.sources += sources
            }
        }
        try applyParameters(&state)
    }

    /// What the notebooks say of each other: the import and embed graph (a cycle stops the build)
    /// and the project's labels with their numbers. Their problems go on the notebooks' pages.
    func link(_ state: inout BuildState) throws {
        let graph = try NotebookGraph(state.notebooks)
        for (i, problems) in graph.diagnostics { state.notebooks[i].warnings += problems }
        let numbered = options.project?.file.numberSections == true
        state.book = BookIndex(state.notebooks, chapterOrder: numbered ? RenderedSite.readingOrder(state.notebooks).map(\.path) : nil)
        // A sweep's sets share their notebook's labels: its problems are reported on the first set only.
        var reported = Set<String>()
        for i in state.notebooks.indices where reported.insert(state.notebooks[i].path).inserted {
            state.notebooks[i].warnings += state.book.diagnostics[state.notebooks[i].path] ?? []
        }
        state.graph = graph
    }

    /// The project's packages and shared code, built once for all notebooks (and only when what
    /// they are made from changed). A package that will not resolve or build stops the build;
    /// shared code that does not compile is reported once, here, and its notebooks do not run.
    func prepare(_ state: inout BuildState) throws {
        if options.freeze == .required {
            // No compiler here: the footer says what the frozen outputs were made with.
            let file = frozenStore.directory.appendingPathComponent(FrozenStore.environmentFile)
            state.versions = (try? JSONDecoder().decode([String].self, from: Data(contentsOf: file))) ?? []
            return
        }
        guard options.execute, let toolchain = executor?.compiler else { return }
        state.versions = [ToolchainIdentity.of(toolchain).swiftVersion].compactMap { $0 }
        guard let project = options.project, !project.file.packages.isEmpty || project.sharedSources != nil,
              state.notebooks.contains(where: \.hasCode) else { return }
        state.modules = try ProjectModules.build(project, toolchain: toolchain, log: log)
        state.versions += state.modules.versions
    }

    var frozenStore: FrozenStore {
        FrozenStore(options: options)
    }

    /// `folio freeze`: every run's outputs into the frozen folder.
    func freeze(_ state: inout BuildState) throws {
        guard options.freeze == .write else { return }
        let store = frozenStore
        let cache = ExecutionCache(state: StateDirectory())
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
        let cache = ExecutionCache(state: StateDirectory())
        let notebooks = state.notebooks
        let imports = state.graph?.imports ?? notebooks.map { _ in [] }
        // In import order: an importer's frozen outputs are current only for the values its
        // upstream notebooks' frozen outputs export.
        let checked: [(run: ExecutedNotebook, frozen: ExecutedNotebook?, stale: Bool)] = Parallel.map(notebooks.count, after: imports, jobs: 1) { i, done in
            var nb = notebooks[i]
            var run = ExecutedNotebook.unexecuted(nb)
            guard nb.hasCode else { return (run, nil, false) }
            // Without its upstream values the source key cannot match: such a notebook counts as stale.
            let resolved = Self.resolveImports(&nb, upstream: imports[i].compactMap { done[$0]?.frozen }) == nil
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

    /// The expensive step, `jobs` notebooks at a time.
    func execute(_ state: inout BuildState) {
        if options.freeze == .stale { return checkStale(&state) }
        var graph = state.graph
        if let shard = options.shard {
            // Only this shard's share runs (with the notebooks it imports from); the others are another machine's work.
            let coded = state.notebooks.map(\.hasCode)
            let all = state.notebooks.filter(\.hasCode)
            var mine = shard.share(of: all.map(\.runName), times: Shard.knownTimes()).makeIterator()
            var chosen = coded.map { $0 ? mine.next()! : false }
            chosen = graph?.closure(of: chosen) ?? chosen
            state.notebooks = zip(state.notebooks, chosen).filter(\.1).map(\.0)
            graph = try? NotebookGraph(state.notebooks)   // the same edges, over the share's indices
            log.note("folio: shard \(shard.index)/\(shard.count): \(state.notebooks.count) of \(all.count) notebooks")
        }
        let base = ExecutionRequest(useCache: !options.noCache, modules: state.modules)
        let total = state.notebooks.count
        let log = self.log
        let notebooks = state.notebooks
        state.runs = Parallel.map(notebooks.count, after: graph?.imports ?? notebooks.map { _ in [] }, jobs: options.jobs) { i, done in
            var nb = notebooks[i]
            // Values from the notebooks it imports from, which have run by now.
            if let problem = Self.resolveImports(&nb, upstream: (graph?.imports[i] ?? []).compactMap { done[$0] }) {
                var run = ExecutedNotebook.unexecuted(nb)
                run.diagnostics.append(problem)
                run.cells = nb.cells.map { CellResult(status: $0.isExecutable ? .notRun : .skipped) }
                return run
            }
            guard self.options.execute, let executor = self.executor else { return ExecutedNotebook.unexecuted(nb) }
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
            Shard.remember(state.runs.filter { $0.notebook.hasCode && $0.seconds > 0 })
            summarizeSweeps(&state)
        }
    }

    /// Fills `nb`'s imports with the values `upstream` exported; a problem (a value that is not
    /// there) instead, at the import's line: the notebook does not run.
    static func resolveImports(_ nb: inout Notebook, upstream: [ExecutedNotebook]) -> Diagnostic? {
        for i in nb.imports.indices {
            let request = nb.imports[i]
            let path = RunLibrary.resolve(request.notebook, from: nb)
            guard let source = upstream.first(where: { RunLibrary.key($0.notebook.path) == path }) else { continue }
            let exports = source.exports
            if let name = request.name {
                guard let value = exports[name] else {
                    let why = source.failed && exports.isEmpty ? "\(source.notebook.path) failed before exporting anything"
                        : "\(source.notebook.path) exports no value `\(name)`" + (exports.isEmpty ? " (it exports nothing; add `export(\"\(name)\", value)` to it)" : "; it exports \(exports.keys.sorted().map { "`\($0)`" }.joined(separator: ", "))")
                    return Diagnostic(file: nb.path, line: request.line, severity: .error, kind: .source, message: "not run: \(why)")
                }
                nb.imports[i].values = [name: value]
            } else {
                nb.imports[i].values = exports
            }
        }
        return nil
    }

    /// Formulas of the whole build are typeset in one KaTeX process (and remembered).
    func typeset(_ state: inout BuildState) {
        if math.cacheFile == nil && math.node != nil { math.cacheFile = StateDirectory().katexMemo }
        state.typeset = math.typeset(state.runs.flatMap { $0.notebook.math })
        for i in state.runs.indices {
            for span in state.runs[i].notebook.math {
                if let message = state.typeset.errors[MathRenderer.key(span)] {
                    state.runs[i].diagnostics.append(Diagnostic(file: state.runs[i].notebook.path, line: span.line, severity: .warning,
                                                                kind: .math, message: "math: \(message)"))
                }
            }
        }
    }

    /// Every notebook's diagnostics, and its drift when it ran again.
    func logDiagnostics(_ state: BuildState) {
        var blocked = 0
        for run in state.runs {
            // A notebook blocked by the shared code repeats its errors on its page, not in the log.
            // A swept run's messages say which set they are about.
            let set = run.notebook.sweepSet.map { " [set \($0.label)]" } ?? ""
            for d in run.diagnostics { if d.kind == .dependency { blocked += 1 } else { log.message(d.description + set) } }
            if let drift = run.drift, !drift.isEmpty { log.message("\(run.notebook.runName): drift since the last run: \(drift.summary)") }
        }
        if blocked > 0, let folder = options.project?.sharedSources {
            log.message("folio: \(blocked) notebook\(blocked == 1 ? "" : "s") not run: the shared code in \(options.project!.shown(folder))/ does not compile (errors above)")
        }
    }

    /// Whether this build writes a site at all, saying why not.
    func publishes(_ state: BuildState) -> URL? {
        guard let out = options.output, options.shard == nil else { return nil }
        if !state.errors.isEmpty {
            log.message("folio: the build failed; \(out)/ was left as it was")
            return nil
        }
        if state.runs.contains(where: \.failed) && !options.publishFailures {
            log.message("folio: notebooks failed; \(out)/ was left as it was")
            return nil
        }
        return URL(fileURLWithPath: out)
    }

    /// Pages, in parallel; a page whose inputs did not change is carried over from the current site.
    func render(_ state: inout BuildState) throws {
        guard let out = publishes(state) else { return }
        var site = RenderedSite(output: out.standardizedFileURL, math: math, typeset: state.typeset, runs: state.runs, summaries: state.summaries,
                                metadata: SiteMetadata(project: options.project?.file, versions: state.versions), overrides: state.theme,
                                pdf: options.pdf, book: state.book)
        site.render(jobs: options.jobs)
        for i in state.runs.indices { state.runs[i].rendered = site.pages[i].fresh }
        state.site = site
    }

    /// Everything written into a staging folder beside the site.
    func stage(_ state: inout BuildState) throws {
        guard let site = state.site else { return }
        state.staging = try site.stage()
    }

    /// Pages that are printed get their PDF beside them (`Print/SitePrinter`).
    func print(_ state: inout BuildState) throws {
        guard let site = state.site, let staging = state.staging else { return }
        let printed = state.runs.indices.filter { site.renderer.context.printsPDF(state.runs[$0].notebook) }
        guard !printed.isEmpty else { return }
        do {
            let failures = try SitePrinter(site: site, staging: staging, paper: options.paper, jobs: options.jobs, log: log).print(printed)
            for (i, d) in failures {
                state.runs[i].diagnostics.append(d)
                log.message(d.description)
            }
        } catch {
            SiteWriter(output: site.output).discard(staging)
            state.staging = nil
            throw error
        }
    }

    /// The staging folder swapped in as the site; what was rendered from what, remembered.
    func publish(_ state: inout BuildState) throws {
        guard let site = state.site, let staging = state.staging else { return }
        try site.publish(staging)
        state.published = true
    }

    /// `folio pdf`: the project as one report, from the site just published.
    func report(_ state: inout BuildState) throws {
        guard let file = options.combinedPDF, state.published, let site = state.site else { return }
        let folder = options.project?.root ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let date = PDFPrinter.buildDate(folder: folder, inputs: state.runs.map { URL(fileURLWithPath: $0.notebook.path) })
        let report = CombinedReport(site: site, metadata: site.renderer.context.metadata, paper: options.paper, date: date,
                                    commit: GitCommit.of(folder))
        try report.write(to: URL(fileURLWithPath: file), log: log)
        log.note("folio: report written to \(file)")
    }

    // MARK: - The outcome

    func finish(_ state: BuildState) -> BuildSummary {
        var reports = state.runs.map { BuildReport.notebook($0) }
        reports += state.errors.map { BuildReport.failedNotebook(source: $0.diagnostic.file, error: $0) }
        reports += state.siteProblems.map { BuildReport.sitePage($0) }
        let runs = state.runs
        var errors = state.errors
        let ok = errors.isEmpty && !runs.contains(where: \.failed) && !state.siteProblems.contains { $0.severity == .error }
        let report = BuildReport(ok: ok, seconds: (Date().timeIntervalSince(state.started) * 1000).rounded() / 1000, notebooks: reports)
        if let path = options.report {
            do { try report.write(to: URL(fileURLWithPath: path)) } catch {
                let e = FolioError(file: path, "cannot write the report: \(error.localizedDescription)")
                errors.append(e)
                log.message(e.description)
            }
        }
        if let path = options.junit {
            do { try AtomicFile.write(JUnitWriter.xml(runs, errors: errors, site: state.siteProblems), to: URL(fileURLWithPath: path)) } catch {
                log.message("\(path): error: cannot write the JUnit file: \(error.localizedDescription)")
            }
        }
        log.message(summaryLine(runs, errors: errors, published: state.published, started: state.started))
        return BuildSummary(runs: runs, errors: errors, report: BuildReport(ok: ok && errors.isEmpty, seconds: report.seconds, notebooks: reports),
                            sitePublished: state.published)
    }

    func summaryLine(_ runs: [ExecutedNotebook], errors: [FolioError], published: Bool, started: Date) -> String {
        let claims = runs.reduce(0) { $0 + $1.claims.count }
        let failedClaims = runs.reduce(0) { $0 + $1.claimsFailed }
        var line = "folio: \(runs.count) notebook\(runs.count == 1 ? "" : "s")"
        if claims > 0 { line += ", \(claims - failedClaims) of \(claims) claims hold" }
        let failed = runs.filter(\.failed).count + errors.count
        if failed > 0 { line += ", \(failed) failed" }
        if published, let out = options.output { line += "; site written to \(out)/" }
        return line + " (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)"
    }
}
