import Foundation

/// What `folio build` and `folio check` were asked to do.
public struct BuildOptions: Sendable {
    /// Notebook files or folders of them.
    public var inputs: [String] = ["notebooks"]
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

    public init() {}
}

/// The outcome of a build, for the CLI to print and turn into an exit code.
public struct BuildSummary: Sendable {
    public var runs: [ExecutedNotebook]
    public var errors: [FolioError]
    public var report: BuildReport
    public var sitePublished: Bool

    /// 0 when every notebook built, ran and kept its claims; 1 otherwise.
    public var exitCode: Int32 { report.ok ? 0 : 1 }
}

/// Prints what a build has to say. Tests collect it; the CLI prints to stderr.
public protocol BuildLog: Sendable {
    func message(_ text: String)
}

public struct StandardErrorLog: BuildLog {
    public init() {}
    public func message(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The pipeline driver: discover → Parse → Execute → Render → Site, with `--jobs` notebooks at once.
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
    }

    /// Finds the notebooks named by `inputs`: files as given, folders searched for `*.md`.
    public static func discover(_ inputs: [String]) throws -> [Source] {
        var sources: [Source] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                throw FolioError(file: input, "no such file or folder; pass a notebook (.md) or a folder of them")
            }
            let base = URL(fileURLWithPath: input)
            if !isDir.boolValue {
                sources.append(Source(url: base, path: input, relativePath: base.lastPathComponent))
                continue
            }
            var found: [Source] = []
            let keys: [URLResourceKey] = [.isDirectoryKey]
            guard let walker = fm.enumerator(at: base, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { continue }
            let basePath = base.standardizedFileURL.path
            for case let url as URL in walker {
                let name = url.lastPathComponent
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                    if name.hasPrefix("_") || name == "node_modules" { walker.skipDescendants() }
                    continue
                }
                guard name.hasSuffix(".md"), !name.hasPrefix("_") else { continue }
                var rel = String(url.standardizedFileURL.path.dropFirst(basePath.count))
                while rel.hasPrefix("/") { rel.removeFirst() }
                let shown = (input.hasSuffix("/") ? String(input.dropLast()) : input) + "/" + rel
                found.append(Source(url: url, path: shown, relativePath: rel))
            }
            sources += found.sorted { $0.relativePath < $1.relativePath }
        }
        var seen: [String: String] = [:]
        for s in sources {
            if let other = seen[s.relativePath] {
                throw FolioError(file: s.path, "would be written to the same page as \(other); rename one of them")
            }
            seen[s.relativePath] = s.path
        }
        return sources
    }

    /// Runs the whole build. Never traps on bad input: every problem becomes a diagnostic.
    /// Builds of the same site are serialised by a lock held for the whole build, so two at once
    /// neither interleave their outputs nor race on the cache.
    public func run() -> BuildSummary {
        guard let out = options.output else { return runUnlocked() }
        do {
            return try SiteWriter(output: URL(fileURLWithPath: out)).withLock { runUnlocked() }
        } catch let e as FolioError {
            log.message(e.description)
            return finish([], errors: [e], reports: [BuildReport.failedNotebook(source: out, error: e)], start: Date(), published: false)
        } catch {
            return runUnlocked()
        }
    }

    func runUnlocked() -> BuildSummary {
        let start = Date()
        let sources: [Source]
        do {
            sources = try Self.discover(options.inputs)
        } catch let e as FolioError {
            log.message(e.description)
            return finish([], errors: [e], reports: [BuildReport.failedNotebook(source: e.diagnostic.file, error: e)], start: start, published: false)
        } catch {
            fatalError("discover throws only FolioError")
        }
        if sources.isEmpty {
            log.message("folio: no notebooks (.md files) found in \(options.inputs.joined(separator: ", "))")
        }

        // Parse every notebook (cheap; in parallel).
        let parsed: [Result<Notebook, FolioError>] = Parallel.map(sources, jobs: options.jobs) { src in
            do {
                return .success(try NotebookParser.parse(fileAt: src.url, path: src.path, relativePath: src.relativePath))
            } catch let e as FolioError {
                return .failure(e)
            } catch {
                return .failure(FolioError(file: src.path, "\(error)"))
            }
        }
        var errors: [FolioError] = []
        var notebooks: [Notebook] = []
        for r in parsed {
            switch r {
            case .success(let nb): notebooks.append(nb)
            case .failure(let e): errors.append(e); log.message(e.description)
            }
        }

        // Execute (the expensive stage), `jobs` notebooks at a time.
        var runs: [ExecutedNotebook] = Parallel.map(notebooks, jobs: options.jobs) { nb in
            if self.options.execute, let executor = self.executor {
                return executor.execute(nb, options: self.options)
            }
            return ExecutedNotebook.unexecuted(nb)
        }

        // Formulas of the whole build are typeset in one KaTeX process (and remembered).
        if math.cacheFile == nil && math.node != nil {
            math.cacheFile = StateDirectory().katexMemo
        }
        let typeset = math.typeset(runs.flatMap { $0.notebook.math })
        for i in runs.indices {
            for span in runs[i].notebook.math {
                if let message = typeset.errors[MathRenderer.key(span)] {
                    runs[i].diagnostics.append(Diagnostic(file: runs[i].notebook.path, line: span.line, severity: .warning, kind: .math,
                                                          message: "math: \(message)"))
                }
            }
        }
        for run in runs {
            for d in run.diagnostics { log.message(d.description) }
            if let drift = run.drift, !drift.isEmpty {
                var parts: [String] = []
                if !drift.changedCells.isEmpty {
                    parts.append("outputs changed in the cell\(drift.changedCells.count == 1 ? "" : "s") at line\(drift.changedCells.count == 1 ? "" : "s") \(drift.changedCells.map(String.init).joined(separator: ", "))")
                }
                for f in drift.flippedClaims { parts.append("claim at line \(f.line) now \(f.now): \(f.text)") }
                log.message("\(run.notebook.path): drift since the last run: \(parts.joined(separator: "; "))")
            }
        }

        var published = false
        if let out = options.output {
            if !errors.isEmpty {
                log.message("folio: the build failed; \(out)/ was left as it was")
            } else if runs.contains(where: \.failed) && !options.publishFailures {
                log.message("folio: notebooks failed; \(out)/ was left as it was")
            } else {
                do {
                    try writeSite(&runs, typeset: typeset, to: URL(fileURLWithPath: out))
                    published = true
                } catch let e as FolioError {
                    errors.append(e)
                    log.message(e.description)
                } catch {
                    let e = FolioError(file: out, "cannot write the site: \(error.localizedDescription)")
                    errors.append(e)
                    log.message(e.description)
                }
            }
        }
        if !published { for i in runs.indices { runs[i].rendered = false } }
        var reports = runs.map { BuildReport.notebook($0) }
        reports += errors.map { BuildReport.failedNotebook(source: $0.diagnostic.file, error: $0) }
        return finish(runs, errors: errors, reports: reports, start: start, published: published)
    }

    func finish(_ runs: [ExecutedNotebook], errors: [FolioError], reports: [BuildReport.NotebookReport], start: Date, published: Bool) -> BuildSummary {
        let ok = errors.isEmpty && !runs.contains(where: \.failed)
        let report = BuildReport(ok: ok, seconds: (Date().timeIntervalSince(start) * 1000).rounded() / 1000, notebooks: reports)
        var errors = errors
        if let path = options.report {
            do { try report.write(to: URL(fileURLWithPath: path)) } catch {
                let e = FolioError(file: path, "cannot write the report: \(error.localizedDescription)")
                errors.append(e)
                log.message(e.description)
            }
        }
        if let path = options.junit {
            do { try AtomicFile.write(JUnitWriter.xml(runs, errors: errors), to: URL(fileURLWithPath: path)) } catch {
                log.message("\(path): error: cannot write the JUnit file: \(error.localizedDescription)")
            }
        }
        let claims = runs.reduce(0) { $0 + $1.claims.count }
        let failedClaims = runs.reduce(0) { $0 + $1.claimsFailed }
        var line = "folio: \(runs.count) notebook\(runs.count == 1 ? "" : "s")"
        if claims > 0 { line += ", \(claims - failedClaims) of \(claims) claims hold" }
        let failed = runs.filter(\.failed).count + errors.count
        if failed > 0 { line += ", \(failed) failed" }
        if published, let out = options.output { line += "; site written to \(out)/" }
        line += " (\(String(format: "%.2f", Date().timeIntervalSince(start))) s)"
        log.message(line)
        return BuildSummary(runs: runs, errors: errors, report: BuildReport(ok: ok && errors.isEmpty, seconds: report.seconds, notebooks: reports), sitePublished: published)
    }

    /// Renders every page and swaps the new site in.
    func writeSite(_ runs: inout [ExecutedNotebook], typeset: MathRenderer.Typeset, to out: URL) throws {
        // Navigation order: grouped by source note (or folder), then by path.
        let listed = runs.filter { !$0.notebook.frontMatter.draft }.sorted {
            (IndexRenderer.group(of: $0.notebook), $0.notebook.relativePath) < (IndexRenderer.group(of: $1.notebook), $1.notebook.relativePath)
        }
        let entries = listed.map {
            SiteContext.Entry(title: $0.notebook.title, pagePath: $0.notebook.pagePath, group: IndexRenderer.group(of: $0.notebook))
        }
        let renderer = PageRenderer(context: SiteContext(entries: entries, mathInBrowser: math.rendersInBrowser), math: typeset)
        // A page is rendered again only when something it shows could have changed: its notebook's
        // text, its outputs (a cache key; freshly executed notebooks always render), the site's
        // navigation, how math is typeset, or the Folio build. Otherwise the current site's page is reused.
        let navigation = SHA256.hex(entries.map { "\($0.title)|\($0.pagePath)|\($0.group)" }.joined(separator: "\n")
                                    + "|\(math.rendersInBrowser)|\(math.katexStamp)|\(FolioVersion.build)")
        let ledgerURL = StateDirectory().pageLedger
        let previous = (try? JSONDecoder().decode([String: String].self, from: Data(contentsOf: ledgerURL))) ?? [:]
        let site = out.standardizedFileURL
        func pageKey(_ run: ExecutedNotebook) -> String? {
            guard let source = try? Data(contentsOf: URL(fileURLWithPath: run.notebook.path)) else { return nil }
            if run.notebook.hasCode && run.cacheKey == nil { return nil }
            var h = SHA256()
            h.update(navigation)
            h.update(run.cacheKey ?? "no code")
            h.update(run.diagnostics.map(\.description).joined(separator: "\n"))
            h.update(source)
            return h.finalize()
        }
        let keys = runs.map(pageKey)
        var ledger: [String: String] = [:]
        let reused: [Data?] = zip(runs, keys).map { run, key in
            guard let key else { return nil }
            ledger[site.path + "|" + run.notebook.pagePath] = key
            // Just executed: render (a re-run may print something new under the same key).
            guard !run.executed, previous[site.path + "|" + run.notebook.pagePath] == key else { return nil }
            return try? Data(contentsOf: site.appendingPathComponent(run.notebook.pagePath))
        }
        for i in runs.indices { runs[i].rendered = reused[i] == nil }
        let toRender = runs
        let pages: [Page] = Parallel.map(Array(toRender.indices), jobs: options.jobs) { i in
            reused[i] == nil ? renderer.render(toRender[i]) : Page(path: toRender[i].notebook.pagePath, html: "")
        }
        let writer = SiteWriter(output: out)
        do {
            let staging = try writer.makeStaging()
            do {
                for (i, page) in pages.enumerated() {
                    try writer.write(reused[i] ?? Data(page.html.utf8), to: page.path, in: staging)
                }
                // Images the prose shows, at the same place relative to their page.
                for run in runs {
                    let source = URL(fileURLWithPath: run.notebook.path).deletingLastPathComponent()
                    for image in run.notebook.images {
                        guard let target = run.notebook.sitePath(ofImage: image) else { continue }
                        if let data = try? Data(contentsOf: source.appendingPathComponent(image)) {
                            try writer.write(data, to: target, in: staging)
                        }
                    }
                }
                let index = IndexRenderer(renderer: renderer).render(listed)
                try writer.write(Data(index.html.utf8), to: index.path, in: staging)
                try writer.write(IndexRenderer.searchIndex(listed), to: "search-index.js", in: staging)
                try Assets.write(into: staging, writer: writer, math: math)
                try writer.publish(staging)
                var merged = previous.filter { !$0.key.hasPrefix(site.path + "|") }
                merged.merge(ledger) { _, new in new }
                if let data = try? JSONEncoder().encode(merged) { try? AtomicFile.write(data, to: ledgerURL) }
            } catch {
                writer.discard(staging)
                throw error
            }
        }
    }
}

/// Runs a notebook's cells. The execution engine conforms; tests may substitute their own.
public protocol NotebookExecutor: Sendable {
    func execute(_ notebook: Notebook, options: BuildOptions) -> ExecutedNotebook
}
