import Foundation

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

/// The pipeline driver: an explicit list of named steps per command over one `BuildState` (in
/// the spirit of mdBook's preprocessors and Publish's steps): discover → parse → execute →
/// typeset → report what the notebooks said → render → publish, then the report. Parse, execute
/// and render run `--jobs` notebooks at a time. A step that fails stops the build; its error
/// names the step and the file it was working on, and the previous site stays as it was.
/// A value: one process may run many builds, of several projects, at once.
public struct Builder: Sendable {
    public let context: BuildContext
    public let options: BuildOptions
    public let log: BuildLog
    public let executor: NotebookExecutor?
    /// Typesets formulas; its memo goes into the build's `.folio/` unless it has one.
    public let math: MathRenderer

    public init(context: BuildContext, options: BuildOptions, log: BuildLog = StandardErrorLog(), executor: NotebookExecutor? = nil,
                math: MathRenderer? = nil) {
        self.context = context
        self.options = options
        self.log = log
        self.executor = executor
        var math = math ?? MathRenderer(environment: context.environment)
        if math.cacheFile == nil && math.node != nil { math.cacheFile = context.state.katexMemo }
        self.math = math
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

    /// The steps. Each reads and extends the build state.
    enum Step: String {
        case discover, parse, link, prepare, execute, freeze, typeset, diagnostics, render, stage, print, publish, links, report, export
        /// `--frozen`: what the frozen outputs were made with, in place of preparing a compiler.
        case frozenEnvironment = "prepare (frozen)"
        /// `check --stale`, in place of executing.
        case staleCheck = "stale check"
    }

    /// The steps `options.command` runs, in order.
    static func steps(for options: BuildOptions) -> [Step] {
        let prepare: Step = options.freeze == .required ? .frozenEnvironment : .prepare
        let front: [Step] = [.discover, .parse, .link, prepare, .execute]
        let site: [Step] = [.render, .stage, .print, .publish]
        switch options.command {
        case .build, .preview: return front + [.typeset, .diagnostics] + site
        case .pdf: return front + [.typeset, .diagnostics] + site + [.report]
        case .check: return front + [.typeset, .diagnostics] + (options.linkCheck == nil ? [] : site + [.links])
        case .freeze: return front + [.freeze, .typeset, .diagnostics]
        case .staleCheck: return [.discover, .parse, .link, .staleCheck, .typeset, .diagnostics]
        case .export: return front + [.diagnostics, .export]
        }
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

    /// Runs the command's steps. Never traps on bad input: every problem becomes a diagnostic.
    /// Builds of the same site are serialised by a lock held for the whole build, so two at once
    /// neither interleave their outputs nor race on the cache.
    public func run() -> BuildSummary {
        guard let out = options.output else { return runSteps() }
        do {
            return try SiteWriter(output: context.url(out)).withLock { runSteps() }
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
        for step in Self.steps(for: options) {
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
        case .frozenEnvironment: readFrozenEnvironment(&state)
        case .execute: execute(&state)
        case .staleCheck: checkStale(&state)
        case .freeze: try freeze(&state)
        case .typeset: typeset(&state)
        case .diagnostics: logDiagnostics(state)
        case .render: try render(&state)
        case .stage: try stage(&state)
        case .print: try printPages(&state)
        case .publish: try publish(&state)
        case .links: checkLinks(&state)
        case .report: try writeCombinedReport(&state)
        case .export: try export(&state)
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
            state.sources = try Self.discover(options.inputs.isEmpty ? ["notebooks"] : options.inputs, from: context.folder)
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
        let defaults = options.defaults
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
                sources = try project.notebooks().filter { missing.contains(RunLibrary.key($0.url)) }
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
        state.book = BookIndex(state.notebooks, chapterOrder: options.numberSections ? RenderedSite.readingOrder(state.notebooks).map(\.path) : nil)
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
        guard options.execute, let toolchain = executor?.compiler else { return }
        state.versions = [ToolchainIdentity.of(toolchain).swiftVersion].compactMap { $0 }
        guard let project = options.project, !project.file.packages.isEmpty || project.sharedSources != nil,
              state.notebooks.contains(where: \.hasCode) else { return }
        state.modules = try ProjectModules.build(project, toolchain: toolchain, log: log, packagesBuilt: !options.buildsPackages)
        state.versions += state.modules.versions
    }

    /// Formulas of the whole build are typeset in one KaTeX process (and remembered).
    func typeset(_ state: inout BuildState) {
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
        if blocked > 0, let project = options.project, let folder = project.sharedSources {
            log.message("folio: \(blocked) notebook\(blocked == 1 ? "" : "s") not run: the shared code in \(project.shown(folder))/ does not compile (errors above)")
        }
    }

    /// Pages, in parallel; a page whose inputs did not change is carried over from the current
    /// site. A shard publishes nothing, and a build whose input failed leaves the site alone.
    func render(_ state: inout BuildState) throws {
        guard let out = options.output, options.shard == nil else { return }
        guard state.errors.isEmpty else {
            log.message("folio: the build failed; \(out)/ was left as it was")
            return
        }
        var site = RenderedSite(output: context.url(out), state: context.state, jobs: options.jobs, math: math, typeset: state.typeset,
                                runs: state.runs, summaries: state.summaries,
                                metadata: SiteMetadata(project: options.project?.file, versions: state.versions), overrides: state.theme,
                                pdf: options.pdf, book: state.book)
        site.render()
        for i in state.runs.indices { state.runs[i].rendered = site.pages[i].fresh }
        state.site = site
    }

    /// Everything written into a staging folder beside the site.
    func stage(_ state: inout BuildState) throws {
        guard let site = state.site else { return }
        state.staging = try site.stage()
    }

    /// Pages that are printed get their PDF beside them (`Print/SitePrinter`).
    func printPages(_ state: inout BuildState) throws {
        guard let site = state.site, let staging = state.staging else { return }
        let printed = state.runs.indices.filter { site.renderer.context.printsPDF(state.runs[$0].notebook) }
        guard !printed.isEmpty else { return }
        do {
            let printer = SitePrinter(site: site, staging: staging, paper: options.paper, jobs: options.jobs, log: log, context: context)
            for (i, d) in try printer.print(printed) {
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
    func writeCombinedReport(_ state: inout BuildState) throws {
        guard let file = options.combinedPDF, state.published, let site = state.site else { return }
        let date = PDFPrinter.buildDate(folder: context.folder, inputs: state.runs.map(\.notebook.file), environment: context.environment)
        let report = CombinedReport(site: site, metadata: site.renderer.context.metadata, paper: options.paper, date: date,
                                    commit: GitCommit.of(context.folder), environment: context.environment)
        try report.write(to: context.url(file), ledger: context.state.reportLedger, log: log)
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
            do { try report.write(to: context.url(path)) } catch {
                let e = FolioError(file: path, "cannot write the report: \(error.localizedDescription)")
                errors.append(e)
                log.message(e.description)
            }
        }
        if let path = options.junit {
            do { try AtomicFile.write(JUnitWriter.xml(runs, errors: errors, site: state.siteProblems), to: context.url(path)) } catch {
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
