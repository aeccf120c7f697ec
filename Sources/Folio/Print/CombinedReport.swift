import Foundation

/// `folio pdf`: the project as one report. A title page (title, author, date, the commit it was
/// built from), a table of contents with page numbers, the notebooks in the project's order as
/// chapters, one bibliography, and two appendices: every claim with its notebook, line, compared
/// values and outcome; the environment (Swift, Folio, packages, CPU, date). One HTML document
/// beside the built site, printed by Chromium; the page numbers come from the PDF itself
/// (its named destinations, read with poppler's `pdfinfo -dests`), so it is printed twice.
struct CombinedReport {
    let site: RenderedSite
    let metadata: SiteMetadata
    let paper: Paper
    let date: Date
    let commit: GitCommit?
    /// Where Chromium and poppler are looked for (`FOLIO_CHROMIUM`, `PATH`).
    let environment: [String: String]

    /// The chapters: the listed notebooks, in the site's order.
    var chapters: [ExecutedNotebook] { site.listed }

    /// The ids of everything the contents list, with their titles and sections.
    struct Entry { var id: String; var title: String; var section: String? }

    var entries: [Entry] {
        chapters.enumerated().map { Entry(id: "report-ch-\($0.offset + 1)", title: $0.element.notebook.title, section: $0.element.notebook.place?.section) }
            + (references.isEmpty ? [] : [Entry(id: "report-references", title: "References", section: nil)])
            + [Entry(id: "report-claims", title: "Appendix A: Claims", section: nil), Entry(id: "report-environment", title: "Appendix B: Environment", section: nil)]
    }

    // MARK: - Printing

    /// What a report was printed from, and where its chapters start: a report whose inputs did
    /// not change is not printed again; one that changed starts from these page numbers, so it is
    /// printed once when they still hold (twice when a chapter grew past a page boundary).
    struct Printed: Codable {
        var key: String
        /// SHA-256 of the PDF written: a report changed or replaced by hand is printed again.
        var digest: String
        var pages: [String: Int]
    }

    /// Everything the printed report depends on: the document (chapters, contents, claims,
    /// environment; written without page numbers, which follow from it), the images it shows,
    /// the site's look, the paper, the date, the browser and the Folio that made the page markup.
    func key(browser: URL) -> String {
        var h = SHA256()
        h.update(document(pages: [:]))
        for run in chapters {
            for image in run.notebook.images {
                h.update(image + "|" + FileStamp.of(run.notebook.file.deletingLastPathComponent().appendingPathComponent(image).path))
            }
        }
        h.update([site.renderer.context.overrides.key, paper.rawValue, String(date.timeIntervalSince1970), FileStamp.of(browser.resolvingSymlinksInPath().path),
                  FolioVersion.build].joined(separator: "|"))
        return h.finalize()
    }

    /// Prints the report to `file`, unless the one there was printed from the same inputs; the
    /// HTML stays beside the site (`report.html`) for reference.
    func write(to file: URL, ledger ledgerFile: URL, log: BuildLog) throws {
        guard let binary = Chromium.find(environment) else { throw FolioError(file: "chromium", kind: .engine, Chromium.missing) }
        guard let pdfinfo = Executable.onPath("pdfinfo", path: environment["PATH"]) else {
            throw FolioError(file: "pdfinfo", kind: .engine, "poppler's pdfinfo was not found; install Debian's `poppler-utils` package (`make deps`)")
        }
        var ledger = (try? JSONDecoder().decode([String: Printed].self, from: Data(contentsOf: ledgerFile))) ?? [:]
        let key = self.key(browser: binary)
        let previous = ledger[file.path]
        if let previous, previous.key == key, let current = try? Data(contentsOf: file), SHA256.hex(current) == previous.digest {
            log.note("folio: the report is up to date; nothing printed")
            return
        }
        let chromium: Chromium
        do { chromium = try Chromium(binary: binary) } catch {
            throw FolioError(file: binary.path, kind: .engine, "cannot start Chromium to print: \(error)")
        }
        defer { chromium.shutdown() }
        let printer = PDFPrinter(chromium: chromium, paper: paper, date: date, timeout: 300)
        let html = site.output.appendingPathComponent("report.html")
        // The last report's page numbers are the first guess: when the chapters still start there,
        // one print is enough.
        var pages: [String: Int] = previous?.pages ?? [:]
        var data = Data()
        // Printed until the numbers in the contents are the pages the chapters start on (the
        // contents' layout does not depend on the digits, so the second pass settles it).
        for _ in 0..<3 {
            try AtomicFile.write(document(pages: pages), to: html)
            log.note("folio: printing the report (\(chapters.count) chapters)")
            do { data = try printer.print(html) } catch {
                throw FolioError(file: file.path, kind: .engine, "could not print the report: \(error)")
            }
            let found = try Self.destinations(data, pdfinfo: pdfinfo)
            if found == pages { break }
            pages = found
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(data, to: file)
        } catch {
            throw FolioError(file: file.path, "cannot write the report: \(error.localizedDescription)")
        }
        ledger[file.path] = Printed(key: key, digest: SHA256.hex(data), pages: pages)
        if let encoded = try? JSONEncoder().encode(ledger) { try? AtomicFile.write(encoded, to: ledgerFile) }
    }

    /// Named destinations (`ch-1`, `claims`, …) and the page each is on.
    static func destinations(_ pdf: Data, pdfinfo: URL) throws -> [String: Int] {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("folio-report-\(UUID().uuidString).pdf")
        try pdf.write(to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let r = try Subprocess.run(pdfinfo, arguments: ["-dests", tmp.path], timeout: 60)
        var pages: [String: Int] = [:]
        for line in String(decoding: r.stdout, as: UTF8.self).split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard let page = Int(trimmed.prefix { $0.isNumber }), let q = line.lastIndex(of: "\""),
                  let open = line[..<q].lastIndex(of: "\"") else { continue }
            pages[String(line[line.index(after: open)..<q])] = page
        }
        return pages
    }

    // MARK: - The document

    var theme: Theme { site.renderer.theme }

    func document(pages: [String: Int]) -> String {
        var h = theme.reportHead(title: metadata.title, author: metadata.author, chapterTitles: chapters.map(\.notebook.title))
        h += titlePage()
        h += contents(pages: pages)
        for (i, run) in chapters.enumerated() {
            // A swept notebook's chapter is its summary: the claims over its sets.
            let body = run.sweep != nil ? site.renderer.sweepArticle(run) : site.renderer.article(run, references: false, printed: false)
            h += theme.reportChapter(number: i + 1, section: run.notebook.place?.section,
                                     body: Self.rebasingImages(inDocumentLinks(body, from: run.notebook), folder: (run.notebook.pagePath as NSString).deletingLastPathComponent))
        }
        if !references.isEmpty { h += theme.reportReferences(references.map(theme.reference)) }
        h += theme.reportClaims(chapters.flatMap { run in run.claims.map { (run.notebook.relativePath, $0) } })
        h += environmentAppendix()
        return h + theme.reportEnd
    }

    /// A reference to a label on another chapter's page points into this document instead:
    /// labels are unique across the project, so each id appears once here too.
    func inDocumentLinks(_ body: String, from nb: Notebook) -> String {
        let root = PageRenderer.rootPrefix(nb.pagePath)
        var body = body
        for other in chapters where other.notebook.pagePath != nb.pagePath {
            let link = "href=\"\(root)\(other.notebook.pagePath)#"
            if body.contains(link) { body = body.replacingOccurrences(of: link, with: "href=\"#") }
        }
        return body
    }

    func titlePage() -> String {
        theme.reportTitlePage(date: Self.day(date), commit: commit.map { ($0.hash, $0.dirty) }, notebooks: chapters.count,
                              claims: chapters.reduce(0) { $0 + $1.claims.count }, failed: chapters.reduce(0) { $0 + $1.claimsFailed })
    }

    func contents(pages: [String: Int]) -> String {
        var section: String?
        return theme.reportContents(entries.map { e in
            defer { section = e.section }
            return Theme.ContentsLine(id: e.id, title: e.title, page: pages[e.id].map(String.init) ?? "", section: e.section != section ? e.section : nil)
        })
    }

    var references: [BibEntry] {
        var seen = Set<String>()
        var out: [BibEntry] = []
        for run in chapters {
            let nb = run.notebook
            for c in nb.citations { for i in c.items where seen.insert(i.key).inserted { if let e = nb.bibliography[i.key] { out.append(e) } } }
        }
        return out.sorted { ($0.authorList, $0.year, $0.key) < ($1.authorList, $1.year, $1.key) }
    }

    func environmentAppendix() -> String {
        var rows: [(String, String)] = []
        rows.append(("Folio", FolioVersion.string))
        for item in metadata.footer { rows.append(item.hasPrefix("Swift ") ? ("Swift", String(item.dropFirst(6))) : ("Package", item)) }
        rows.append(("CPU", Self.cpuModel()))
        rows.append(("Built", Self.day(date)))
        if let c = commit { rows.append(("Commit", c.hash + (c.dirty ? " (uncommitted changes)" : ""))) }
        return theme.reportEnvironment(rows)
    }

    // MARK: - Helpers

    /// A chapter's images are relative to its page's folder; the report sits at the site root.
    static func rebasingImages(_ html: String, folder: String) -> String {
        guard !folder.isEmpty else { return html }
        return html.replacingOccurrences(of: "<img src=\"", with: "<img src=\"\(folder)/")
            .replacingOccurrences(of: "<img src=\"\(folder)/http", with: "<img src=\"http")
            .replacingOccurrences(of: "<img src=\"\(folder)//", with: "<img src=\"/")
            .replacingOccurrences(of: "<img src=\"\(folder)/data:", with: "<img src=\"data:")
    }

    static func day(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }

    /// `model name` of the first processor in `/proc/cpuinfo`.
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
