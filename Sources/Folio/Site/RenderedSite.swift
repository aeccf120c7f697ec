import Foundation

/// The Site stage's work for one build: every page rendered, or carried over from the current
/// site when nothing it shows changed; then pages, images, the index, the search index and the
/// assets written into a staging folder that is swapped in as the new site.
struct RenderedSite {
    struct PageOutput {
        var path: String
        var data: Data
        /// Rendered by this build (false: the current site's page was still right).
        var fresh: Bool
    }

    let output: URL
    let math: MathRenderer
    let runs: [ExecutedNotebook]
    /// Notebooks on the index and in the navigation, in order: grouped by source note (or
    /// folder), then by path; drafts are left out.
    let listed: [ExecutedNotebook]
    let renderer: PageRenderer
    /// What each page was rendered from, by site and page (`.folio/pages.json`).
    let previousLedger: PageLedger
    private(set) var ledger: PageLedger
    private(set) var pages: [PageOutput] = []
    /// How many pages are rendered and written at once (`--jobs`).
    let jobs: Int
    /// The build's `.folio/`, where the ledgers are.
    let state: StateDirectory

    /// Swept notebooks' summary pages (their sets' pages are among `runs`).
    let summaries: [ExecutedNotebook]

    /// The order pages are listed, numbered and paged through: a project's list orders the
    /// notebooks it names; any others follow, grouped by source note (or folder), then by path.
    static func readsBefore(_ a: Notebook, _ b: Notebook) -> Bool {
        switch (a.place, b.place) {
        case let (x?, y?): return x.position < y.position
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return (IndexRenderer.group(of: a), a.relativePath) < (IndexRenderer.group(of: b), b.relativePath)
        }
    }

    /// The listed notebooks (drafts left out, a sweep once), in reading order: the chapters.
    static func readingOrder(_ notebooks: [Notebook]) -> [Notebook] {
        var seen = Set<String>()
        return notebooks.filter { !$0.frontMatter.draft && seen.insert($0.path).inserted }.sorted(by: readsBefore)
    }

    init(output: URL, state: StateDirectory, jobs: Int, math: MathRenderer, typeset: MathRenderer.Typeset, runs: [ExecutedNotebook],
         summaries: [ExecutedNotebook] = [], metadata: SiteMetadata = SiteMetadata(),
         overrides: ThemeOverrides = ThemeOverrides(), pdf: Bool = false, book: BookIndex = BookIndex()) {
        self.output = output
        self.state = state
        self.jobs = jobs
        self.math = math
        self.runs = runs
        self.summaries = summaries
        // A sweep is listed once, by its summary; its sets' pages hang off that.
        // A project's list orders the notebooks it names; any others follow, grouped as before.
        listed = (runs.filter { $0.notebook.sweepSet == nil } + summaries).filter { !$0.notebook.frontMatter.draft }.sorted { Self.readsBefore($0.notebook, $1.notebook) }
        let entries = listed.map {
            SiteContext.Entry(title: $0.notebook.title, pagePath: $0.notebook.pagePath, group: IndexRenderer.group(of: $0.notebook))
        }
        var context = SiteContext(entries: entries, metadata: metadata, mathInBrowser: math.rendersInBrowser)
        context.overrides = overrides
        context.pdf = pdf
        context.book = book
        context.library = RunLibrary(runs)
        renderer = PageRenderer(context: context, math: typeset)
        previousLedger = PageLedger(file: state.pageLedger)
        ledger = previousLedger
        ledger.removeEntries(of: output)
    }

    /// A page is rendered again only when something it shows could have changed: its notebook's
    /// text, its outputs (a cache key; freshly executed notebooks always render), the site's
    /// navigation, how math is typeset, or the Folio build.
    func pageKey(_ run: ExecutedNotebook, navigation: String) -> String? {
        guard let source = try? Data(contentsOf: run.notebook.file) else { return nil }
        if run.notebook.hasCode && run.cacheKey == nil { return nil }
        var h = SHA256()
        h.update(navigation)
        h.update(run.cacheKey ?? "no code")
        h.update(run.diagnostics.map(\.description).joined(separator: "\n"))
        h.update(source)
        // What it shows of other notebooks: where its references point, and its embeds' outputs.
        let context = renderer.context
        for r in run.notebook.references { h.update(context.book.resolve(r.label, from: run.notebook).map { "\($0.href) \($0.text)" } ?? "?") }
        if context.book.chapters { h.update("chapter \(context.book.numbering(of: run.notebook).chapter ?? 0)") }
        for e in run.notebook.embeds { h.update(context.library.digest(of: e, from: run.notebook)) }
        return h.finalize()
    }

    mutating func render() {
        let navigation = SHA256.hex(renderer.context.entries.map { "\($0.title)|\($0.pagePath)|\($0.group)" }.joined(separator: "\n")
                                    + "|\(renderer.context.metadata.key)|\(renderer.context.overrides.key)|pdf=\(renderer.context.pdf)|\(math.rendersInBrowser)|\(math.katexStamp)|\(FolioVersion.build)")
        var ledger = self.ledger
        let reused: [Data?] = runs.map { run in
            guard let key = pageKey(run, navigation: navigation) else { return nil }
            ledger[output, run.notebook.pagePath] = key
            // Just executed: render (a re-run may print something new under the same key).
            guard !run.executed, previousLedger[output, run.notebook.pagePath] == key else { return nil }
            return try? Data(contentsOf: output.appendingPathComponent(run.notebook.pagePath))
        }
        self.ledger = ledger
        let runs = self.runs, renderer = self.renderer
        pages = Parallel.map(Array(runs.indices), jobs: jobs) { i in
            if let data = reused[i] { return PageOutput(path: runs[i].notebook.pagePath, data: data, fresh: false) }
            let page = renderer.render(runs[i])
            return PageOutput(path: page.path, data: Data(page.html.utf8), fresh: true)
        }
        // Summaries are cheap and depend on every set: always drawn anew.
        pages += summaries.map { summary in
            let page = renderer.renderSweep(summary)
            return PageOutput(path: page.path, data: Data(page.html.utf8), fresh: true)
        }
    }

    /// `sitemap.xml` (sitemaps.org 0.9): the index and every listed page, at the project's
    /// `base-url`; nil without one, since a sitemap's addresses must be absolute.
    func sitemap() -> String? {
        guard let base = renderer.context.metadata.baseURL else { return nil }
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in ["index.html"] + listed.map(\.notebook.pagePath) {
            let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            s += "<url><loc>\(HTML.escape(base + escaped))</loc></url>\n"
        }
        return s + "</urlset>\n"
    }

    /// Writes everything into a staging folder beside the site, to be printed from and then
    /// swapped in (`publish`); on any failure the staging folder is removed and the site stays.
    func stage() throws -> URL {
        let writer = SiteWriter(output: output)
        let staging = try writer.makeStaging()
        func write(_ data: Data, _ path: String) throws {
            do { try writer.write(data, to: path, in: staging) } catch {
                throw FolioError(file: output.appendingPathComponent(path).path, "cannot write: \(error.localizedDescription)")
            }
        }
        do {
            // Pages `jobs` at a time: writing 200 pages one after another was a third of publishing.
            // Their folders first, so no two writers race to create one.
            for folder in Set(pages.map { ($0.path as NSString).deletingLastPathComponent }) where !folder.isEmpty {
                try FileManager.default.createDirectory(at: staging.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let failures = Parallel.map(pages, jobs: jobs) { page -> Error? in
                do { try write(page.data, page.path); return nil } catch { return error }
            }
            if let failure = failures.compactMap({ $0 }).first { throw failure }
            // Images the prose shows, at the same place relative to their page.
            for run in runs {
                let source = run.notebook.file.deletingLastPathComponent()
                for image in run.notebook.images {
                    guard let target = run.notebook.sitePath(ofImage: image),
                          let data = try? Data(contentsOf: source.appendingPathComponent(image)) else { continue }
                    try write(data, target)
                }
            }
            let index = IndexRenderer(renderer: renderer).render(listed)
            try write(Data(index.html.utf8), index.path)
            try write(IndexRenderer.searchIndex(listed, theme: renderer.theme, jobs: jobs), "search-index.js")
            if let sitemap = sitemap() { try write(Data(sitemap.utf8), "sitemap.xml") }
            try Assets.write(into: staging, writer: writer, math: math, theme: renderer.theme)
        } catch {
            writer.discard(staging)
            throw error
        }
        return staging
    }

    /// Swaps the staging folder in as the site and remembers what each page was rendered from.
    func publish(_ staging: URL) throws {
        let writer = SiteWriter(output: output)
        do {
            try writer.publish(staging)
        } catch {
            writer.discard(staging)
            throw error
        }
        ledger.save()
    }
}
