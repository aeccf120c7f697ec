import Foundation
import Testing
@testable import Folio

/// PDFs end to end, read back with poppler's tools (Debian's `poppler-utils`, from `make deps`):
/// pages printed beside the site, and the project's combined report.
@Suite(.serialized) struct PDFTests {
    /// A code line of more than 200 columns, whose last token must survive printing.
    static let longLine = "let longLine = [" + (1...34).map { "v\($0)" }.joined(separator: ", ") + "].count + 1  // a line of more than two hundred columns, ending in LASTTOKENzq"

    /// A small project: math, a plot, a long code line, claims, an external link, a citation, a section.
    func project() throws -> URL {
        let dir = TestSupport.temporaryDirectory("pdf")
        TestSupport.write("""
            title: Printed Project
            author: Pat Printer
            notebooks:
              - notebooks/alpha.md
              - section: Later
                notebooks: [notebooks/beta.md]
            """, to: dir.appendingPathComponent("folio.yml"))
        TestSupport.write("""
            # Alpha chapter

            The identity $e^{i\\pi} + 1 = 0$ and a display:
            $$\\int_0^1 x^2\\,dx = \\frac13.$$

            See [the Swift site](https://www.swift.org/documentation/) for the language.

            ```swift
            let v1 = 1, v2 = 2, v3 = 3, v4 = 4, v5 = 5, v6 = 6, v7 = 7, v8 = 8, v9 = 9, v10 = 10, v11 = 11, v12 = 12
            let v13 = 13, v14 = 14, v15 = 15, v16 = 16, v17 = 17, v18 = 18, v19 = 19, v20 = 20, v21 = 21, v22 = 22
            let v23 = 23, v24 = 24, v25 = 25, v26 = 26, v27 = 27, v28 = 28, v29 = 29, v30 = 30, v31 = 31, v32 = 32
            let v33 = 33, v34 = 34
            \(Self.longLine)
            check(Double(longLine), near: 35, tolerance: 0, "thirty-five values in the long line")
            Figure(title: "A parabola") { Line(x: (0...20).map(Double.init), y: (0...20).map { Double($0 * $0) }, label: "x²") }
            ```
            """,
            to: dir.appendingPathComponent("notebooks/alpha.md"))
        TestSupport.write("""
            ---
            title: Beta chapter
            ---
            # Beta chapter

            Counting is old [@knuth1997].

            ```swift
            expect((1...10).reduce(0, +), equals: 55, "the first ten numbers sum to 55")
            check(true, "a plain condition holds")
            ```

            ```bibtex
            @book{knuth1997, author = {Knuth, Donald E.}, title = {The Art of Computer Programming}, publisher = {Addison-Wesley}, year = {1997}}
            ```
            """, to: dir.appendingPathComponent("notebooks/beta.md"))
        return dir
    }

    func tool(_ name: String, _ args: [String]) throws -> String {
        let url = try #require(Executable.onPath(name), "\(name) is not installed; run `make deps` (poppler-utils)")
        let r = try Subprocess.run(url, arguments: args, timeout: 120, mergeStderr: true)
        return String(decoding: r.stdout, as: UTF8.self)
    }

    func text(_ pdf: URL, first: Int? = nil, last: Int? = nil) throws -> String {
        var args: [String] = []
        if let first { args += ["-f", String(first)] }
        if let last { args += ["-l", String(last)] }
        return try tool("pdftotext", args + ["-layout", pdf.path, "-"])
    }

    func pages(_ pdf: URL) throws -> Int {
        let info = try tool("pdfinfo", [pdf.path])
        return Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
    }

    /// `folio pdf` killed outright, with no chance to stop the browser it started, leaves no
    /// Chromium behind: the browser sees the end of its command pipe and quits.
    @Test func aPrintKilledOutrightLeavesNoBrowserRunning() throws {
        let dir = try project()
        #expect(try TestSupport.runFolio(["build"], in: dir).status == 0)
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
        let print = Process()
        print.executableURL = TestSupport.folio
        print.arguments = ["pdf", "--out", dir.appendingPathComponent("report.pdf").path]
        print.currentDirectoryURL = dir
        print.environment = env
        print.standardOutput = FileHandle.nullDevice
        print.standardError = FileHandle.nullDevice
        try print.run()
        // The browser is Folio's child and leads a process group of its own helpers.
        var browser: Int32?
        let deadline = Date().addingTimeInterval(60)
        while browser == nil && print.isRunning && Date() < deadline {
            browser = TestSupport.processes().first {
                $0.parent == print.processIdentifier && TestSupport.read(URL(fileURLWithPath: "/proc/\($0.pid)/comm")).hasPrefix("chromium")
            }?.pid
            if browser == nil { Thread.sleep(forTimeInterval: 0.01) }
        }
        let group = try #require(browser, "folio pdf started no browser")
        // Its profile's name carries the print's process id; no one removes it while that runs.
        let temporary = FileManager.default.temporaryDirectory.path
        func profiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).filter { $0.hasPrefix("folio-chromium-\(print.processIdentifier)-") }
        }
        #expect(profiles().count == 1, "the print's browser profile is not where the test looks")
        kill(print.processIdentifier, SIGKILL)
        let gone = Date().addingTimeInterval(10)
        while TestSupport.processes().contains(where: { $0.group == group }) && Date() < gone { Thread.sleep(forTimeInterval: 0.1) }
        let left = TestSupport.processes().filter { $0.group == group }.map(\.pid)
        #expect(left.isEmpty, "Chromium's processes \(left) outlived the killed print")
        for pid in left { kill(pid, SIGKILL) }
        print.waitUntilExit()
        // The killed print's browser profile stays behind until the next print (this one, or one
        // a test beside it starts) removes it.
        #expect(try TestSupport.runFolio(["pdf", "--out", dir.appendingPathComponent("report.pdf").path], in: dir).status == 0)
        #expect(profiles().isEmpty, "the next print left the killed one's browser profile")
    }

    @Test func buildPrintsEachPageBesideItAndKeepsItWhileNothingChanges() throws {
        let dir = try project()
        let env = ["SOURCE_DATE_EPOCH": "1764547200"]  // 2025-12-01
        let r = try TestSupport.runFolio(["build", "--pdf"], in: dir, environment: env)
        #expect(r.status == 0, "\(r.output)")
        let pdf = dir.appendingPathComponent("site/alpha.pdf")
        #expect(try pages(pdf) >= 1)
        #expect(TestSupport.read(dir.appendingPathComponent("site/alpha.html")).contains("<a href=\"alpha.pdf\" type=\"application/pdf\">PDF</a>"))
        let alpha = try text(pdf)
        // Wrapped, not cut: the last token of the 200-column line is on the page.
        #expect(alpha.contains("LASTTOKENzq"), "\(alpha)")
        #expect(alpha.contains("Alpha chapter"))
        #expect(alpha.contains("HOLDS"))
        // The external link is a numbered note with its address.
        #expect(alpha.contains("https://www.swift.org/documentation/"))
        // Math is text in KaTeX's own fonts, embedded; plots are vector (no large raster image).
        let fonts = try tool("pdffonts", [pdf.path])
        #expect(fonts.contains("KaTeX_Main") || fonts.contains("KaTeX_Math"), "\(fonts)")
        #expect(fonts.split(separator: "\n").filter { $0.contains("KaTeX") }.allSatisfy { $0.contains(" yes ") }, "\(fonts)")
        let images = try tool("pdfimages", ["-list", pdf.path])
        for line in images.split(separator: "\n").dropFirst(2) {
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            if cols.count > 13, let size = Self.bytes(String(cols[13])) { #expect(size <= 10_000, "raster image: \(line)") }
        }
        #expect(try tool("pdfinfo", [pdf.path]).contains("CreationDate:    Mon Dec  1 00:00:00 2025 UTC"))

        // Warm: nothing printed again, the same bytes.
        let before = try Data(contentsOf: pdf)
        let warm = try TestSupport.runFolio(["build", "--pdf"], in: dir, environment: env)
        #expect(warm.status == 0)
        #expect(!warm.output.contains("printing"), "\(warm.output)")
        #expect(try Data(contentsOf: pdf) == before)

        // Reproducible: printed again from scratch into another site, byte for byte the same.
        let again = try TestSupport.runFolio(["build", "--pdf", "--out", "other-site"], in: dir, environment: env)
        #expect(again.output.contains("printing 2 pages"), "\(again.output)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("other-site/alpha.pdf")) == before)

        // Letter paper on request.
        let letter = try TestSupport.runFolio(["build", "--pdf", "--paper", "letter", "--out", "letter-site"], in: dir, environment: env)
        #expect(letter.status == 0)
        #expect(try tool("pdfinfo", [dir.appendingPathComponent("letter-site/alpha.pdf").path]).contains("612 x 792 pts (letter)"))
    }

    @Test func theReportHasContentsWithTheRightPagesAndEveryClaimInItsAppendix() throws {
        let dir = try project()
        // In a git repository, the title page names the commit.
        if let git = Executable.onPath("git") {
            for args in [["init", "-q"], ["-c", "user.name=t", "-c", "user.email=t@t", "add", "."],
                         ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fixture"]] {
                _ = try Subprocess.run(git, arguments: args, currentDirectory: dir, timeout: 30)
            }
        }
        let r = try TestSupport.runFolio(["pdf", "--out", "out/report.pdf", "--report", "r.json"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        let pdf = dir.appendingPathComponent("out/report.pdf")
        let count = try pages(pdf)
        #expect(count >= 5)

        // The contents' page numbers are the pages the chapters start on.
        let dests = try CombinedReport.destinations(Data(contentsOf: pdf), pdfinfo: try #require(Executable.onPath("pdfinfo")))
        let alphaPage = try #require(dests["report-ch-1"]), betaPage = try #require(dests["report-ch-2"])
        let claimsPage = try #require(dests["report-claims"])
        #expect(alphaPage < betaPage && betaPage < claimsPage)
        let toc = try text(pdf, first: 2, last: 2)
        for (title, page) in [("Alpha chapter", alphaPage), ("Beta chapter", betaPage), ("Appendix A: Claims", claimsPage)] {
            let line = toc.split(separator: "\n").first { $0.contains(title) }
            #expect(line?.split(separator: " ").last.map(String.init) == String(page), "\(title): \(toc)")
        }
        #expect(toc.contains("Later"))
        #expect(try text(pdf, first: alphaPage, last: alphaPage).contains("Alpha chapter"))
        #expect(try text(pdf, first: betaPage, last: betaPage).contains("Beta chapter"))

        // The title page, the bibliography, the appendices.
        let title = try text(pdf, first: 1, last: 1)
        #expect(title.contains("Printed Project") && title.contains("Pat Printer"))
        if Executable.onPath("git") != nil { #expect(title.contains("Built from commit")) }
        let appendix = try text(pdf, first: claimsPage, last: count).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let report = try TestSupport.report(dir.appendingPathComponent("r.json"))
        let claims = report.notebooks.flatMap { nb in nb.cells.flatMap { $0.outputs.compactMap(\.claim) } }
        #expect(claims.count == 3)
        for claim in claims { #expect(appendix.contains(claim.text), "missing from the appendix: \(claim.text)") }
        #expect(appendix.contains("got 35.0, expected 35.0"))
        #expect(appendix.contains("Appendix B: Environment") && appendix.contains("Folio") && appendix.contains("CPU"))
        #expect(appendix.contains("Swift 6."))
        let whole = try text(pdf).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(whole.contains("Donald E. Knuth (1997). The Art of Computer Programming."))
        // What is for the screen stays off paper: figures' download links (and their tooltips).
        #expect(!whole.contains("Download: SVG"))

        // Nothing changed: nothing is printed, the report stays as it was.
        let printed = try Data(contentsOf: pdf)
        let warm = try TestSupport.runFolio(["pdf", "--out", "out/report.pdf"], in: dir)
        #expect(warm.status == 0 && warm.output.contains("the report is up to date; nothing printed"), "\(warm.output)")
        #expect(!warm.output.contains("printing the report"))
        #expect(try Data(contentsOf: pdf) == printed)
        // A paragraph added to one chapter: that page alone is rendered again, and the report is
        // printed once (the chapters still start on the pages the last report found).
        let alpha = dir.appendingPathComponent("notebooks/alpha.md")
        TestSupport.write(TestSupport.read(alpha) + "\n\nA closing remark, added later.\n", to: alpha)
        let edited = try TestSupport.runFolio(["pdf", "--out", "out/report.pdf", "--report", "r2.json"], in: dir)
        #expect(edited.status == 0, "\(edited.output)")
        #expect(edited.output.components(separatedBy: "printing the report").count == 2, "\(edited.output)")
        let rendered = try TestSupport.report(dir.appendingPathComponent("r2.json")).notebooks.map { ($0.source, $0.rendered) }
        #expect(rendered.contains { $0.0.hasSuffix("alpha.md") && $0.1 == true } && rendered.contains { $0.0.hasSuffix("beta.md") && $0.1 == false },
                "\(rendered)")
        #expect(try text(pdf, first: alphaPage, last: betaPage).contains("A closing remark, added later."))
        // A report replaced by hand is printed again.
        try Data("not a pdf".utf8).write(to: pdf)
        let replaced = try TestSupport.runFolio(["pdf", "--out", "out/report.pdf"], in: dir)
        let pagesAfter = try pages(pdf)
        #expect(replaced.output.contains("printing the report") && pagesAfter == count)

        // No Chromium: a clear error naming the package, exit 2, the report left as it was.
        let before = try Data(contentsOf: pdf)
        TestSupport.write("\nMore prose.\n", to: dir.appendingPathComponent("notebooks/gamma.md"))
        let missing = try TestSupport.runFolio(["pdf", "--out", "out/report.pdf"], in: dir, environment: ["FOLIO_CHROMIUM": "/nonexistent/chromium"])
        #expect(missing.status == ExitStatus.couldNotBuild.rawValue, "\(missing.output)")
        #expect(missing.output.contains("install Debian's `chromium` package"))
        #expect(try Data(contentsOf: pdf) == before)
    }

    /// `12.3K` → 12300 bytes, as pdfimages prints sizes.
    static func bytes(_ s: String) -> Int? {
        let units: [Character: Double] = ["B": 1, "K": 1024, "M": 1_048_576]
        guard let unit = s.last, let scale = units[unit], let value = Double(s.dropLast()) else { return nil }
        return Int(value * scale)
    }
}
