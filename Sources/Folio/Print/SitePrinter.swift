import Foundation

/// The `print` step of a build: the PDF of each printed page, made from the staged page by
/// Chromium (so it has the same math, plots and highlighting), written beside it. A page whose
/// PDF inputs did not change keeps the current site's PDF without printing; a page that fails to
/// print keeps its previous PDF and its notebook gets the error.
struct SitePrinter {
    let site: RenderedSite
    let staging: URL
    let paper: Paper
    let jobs: Int
    let log: BuildLog
    /// The build's folder, whose git history dates the PDFs, and its environment.
    let context: BuildContext

    /// Prints the pages of `indices` (into `site.runs`); returns the errors of those that failed.
    func print(_ indices: [Int]) throws -> [(Int, Diagnostic)] {
        // What each page's PDF was printed from, by site and page.
        let previous = PageLedger(file: site.state.pdfLedger)
        var ledger = previous
        var todo: [(index: Int, page: String, key: String)] = []
        let fm = FileManager.default
        guard let binary = Chromium.find(context.environment) else { throw FolioError(file: "chromium", kind: .engine, Chromium.missing) }
        let browserStamp = FileStamp.of(binary.path)
        for i in indices {
            let run = site.runs[i]
            let page = run.notebook.pagePath
            let pdf = Self.pdfPath(page)
            let key = SHA256.hex([site.ledger[site.output, page] ?? UUID().uuidString, paper.rawValue,
                                  browserStamp, FolioVersion.build].joined(separator: "|"))
            let current = site.output.appendingPathComponent(pdf)
            if previous[site.output, pdf] == key, fm.fileExists(atPath: current.path) {
                try? fm.copyItem(at: current, to: staging.appendingPathComponent(pdf))
                continue
            }
            todo.append((i, page, key))
        }
        guard !todo.isEmpty else { return [] }
        log.note("folio: printing \(todo.count) page\(todo.count == 1 ? "" : "s") to PDF")
        let chromium: Chromium
        do {
            chromium = try Chromium(binary: binary)
        } catch {
            throw FolioError(file: binary.path, kind: .engine, "cannot start Chromium to print: \(error)")
        }
        defer { chromium.shutdown() }
        let date = PDFPrinter.buildDate(folder: context.folder, inputs: site.runs.map(\.notebook.file), environment: context.environment)
        let printer = PDFPrinter(chromium: chromium, paper: paper, date: date)
        let results = printer.print(todo.map { staging.appendingPathComponent($0.page) }, jobs: jobs)
        var failures: [(Int, Diagnostic)] = []
        for (item, result) in zip(todo, results) {
            let pdf = Self.pdfPath(item.page)
            switch result {
            case .success(let data):
                do {
                    try data.write(to: staging.appendingPathComponent(pdf))
                    ledger[site.output, pdf] = item.key
                } catch {
                    throw FolioError(file: site.output.appendingPathComponent(pdf).path, "cannot write: \(error.localizedDescription)")
                }
            case .failure(let error):
                // Keep the last good PDF, and say the page was not printed.
                try? fm.copyItem(at: site.output.appendingPathComponent(pdf), to: staging.appendingPathComponent(pdf))
                ledger[site.output, pdf] = nil
                failures.append((item.index, Diagnostic(file: site.runs[item.index].notebook.path, line: 0, severity: .error, kind: .engine,
                                                        message: "could not print the page to PDF (the previous PDF, if any, was kept): \(error)")))
            }
        }
        ledger.save()
        return failures
    }

    /// `a/b.html` → `a/b.pdf`.
    static func pdfPath(_ page: String) -> String {
        (page.hasSuffix(".html") ? String(page.dropLast(5)) : page) + ".pdf"
    }
}
