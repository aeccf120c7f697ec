import Foundation
import Testing
@testable import Folio

/// End-to-end: the `folio` binary builds fixture notebooks from Tests/Fixtures/execute; each test
/// asserts the exit code, the report (per-cell status and outputs) and the page.
@Suite(.serialized) struct ExecutionTests {
    struct Built {
        var status: Int32
        var output: String
        var report: BuildReport
        var page: String
        var cells: [BuildReport.CellReport] { report.notebooks.first?.cells ?? [] }
        func statuses() -> [String] { cells.map(\.status) }
        func outputs(_ i: Int) -> [(String, String)] {
            i < cells.count ? cells[i].outputs.map { ($0.kind.rawValue, $0.text) } : []
        }
        var pageURL: URL
    }

    func build(_ name: String, extra: [String] = []) throws -> Built {
        let dir = TestSupport.temporaryDirectory(name)
        let src = TestSupport.fixtures.appendingPathComponent("execute/\(name).md")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("notebooks"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: src, to: dir.appendingPathComponent("notebooks/\(name).md"))
        let run = try TestSupport.runFolio(["build", "notebooks", "--out", "site", "--report", "report.json", "--jobs", "1"] + extra, in: dir)
        let page = dir.appendingPathComponent("site/\(name).html")
        return Built(status: run.status, output: run.output, report: try TestSupport.report(dir.appendingPathComponent("report.json")),
                     page: TestSupport.read(page), pageURL: page)
    }

    @Test func shadowingAndTrailingValues() throws {
        let b = try build("shadowing")
        #expect(b.status == 0, "\(b.output)")
        #expect(b.statuses() == ["ok", "ok", "ok", "ok"])
        #expect(b.outputs(0).map(\.1) == ["x = 1\n", "42"])
        #expect(b.outputs(1).map(\.1) == ["1\n", "\"now a string\""])
        #expect(b.outputs(2).map(\.1) == ["2"])
        #expect(b.outputs(3).map(\.1) == ["no trailing value\n"])
        #expect(b.page.contains("<pre class=\"output value\">42</pre>"))
    }

    @Test func typesExtensionsOperatorsInCells() throws {
        let b = try build("types")
        #expect(b.status == 0, "\(b.output)")
        #expect(b.outputs(1).map(\.1) == ["12.0 RED 9 2\n"])
    }

    /// Errors local to cells: each at its line; the cells that use what a failing cell declares
    /// (and theirs in turn) do not run and say why; every other cell runs.
    @Test func everyCompileErrorAtItsLineAndTheOtherCellsRun() throws {
        let b = try build("compile-errors")
        #expect(b.status == 1)
        #expect(b.output.contains("notebooks/compile-errors.md:8:14: error: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(b.output.contains("notebooks/compile-errors.md:14:9: error: cannot find 'undefinedName' in scope"))
        #expect(b.statuses() == ["ok", "error", "error", "not-run", "not-run", "ok"], "\(b.output)")
        #expect(b.outputs(0).map(\.1) == ["runs: unrelated to the errors\n"])
        #expect(b.outputs(3).map(\.1) == ["not run: it uses `a`, declared by the cell at line 8, which did not compile"])
        #expect(b.outputs(4).map(\.1) == ["not run: it uses `c`, declared by the cell at line 18, which did not compile"])
        #expect(b.outputs(5).map(\.1) == ["runs too 7\n"])
        #expect(b.page.contains("compile-errors.md:14:9: error: cannot find &#39;undefinedName&#39; in scope"))
    }

    @Test func crashKeepsEarlierOutputAndNamesTheLine() throws {
        let b = try build("crash")
        #expect(b.status == 1)
        #expect(b.statuses() == ["ok", "error", "not-run"])
        #expect(b.outputs(0).map(\.1) == ["before\n"])
        #expect(b.outputs(1).first?.1 == "about to index\n")
        #expect(b.outputs(1).last?.0 == "error")
        #expect(b.outputs(1).last?.1.contains("Index out of range") == true)
        #expect(b.output.contains("notebooks/crash.md:11: error: crashed: Fatal error: Index out of range"))
        #expect(b.page.contains("not run"))
    }

    @Test func cellTimeoutKillsAndSaysSo() throws {
        let start = Date()
        let b = try build("timeout")
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(b.status == 1)
        #expect(b.statuses() == ["ok", "error", "not-run"])
        #expect(b.outputs(1).map(\.1).contains("spinning\n"))
        #expect(b.outputs(1).last?.1 == "the cell timed out after 1 s (cell option `timeout`)")
    }

    @Test func claimsPassFailAndJUnit() throws {
        let b = try build("claims")
        #expect(b.status == 1)
        let claims = b.outputs(0).filter { $0.0 == "claim" }.map(\.1)
        #expect(claims == ["arithmetic works", "floating point is close", "√2 is 1.5 (false)", "arrays equal"])
        #expect(b.outputs(0).last?.1 == "after a failed claim, execution goes on\n")
        #expect(b.output.contains("notebooks/claims.md:6: error: claim failed: √2 is 1.5 (false) (got 1.4142135623730951, expected 1.5 ± 0.01"))
        let checks = try #require(b.report.notebooks.first).checks
        #expect(checks.passed == 3 && checks.failed == 1)
        #expect(b.page.contains("3 of 4 claims hold"))
        #expect(b.page.contains("<span class=\"badge\">fails</span>"))

        let dir = TestSupport.temporaryDirectory("junit")
        try FileManager.default.copyItem(at: TestSupport.fixtures.appendingPathComponent("execute/claims.md"), to: dir.appendingPathComponent("claims.md"))
        let r = try TestSupport.runFolio(["check", "claims.md", "--junit", "junit.xml"], in: dir)
        #expect(r.status == 1)
        let junit = TestSupport.read(dir.appendingPathComponent("junit.xml"))
        #expect(junit.contains("tests=\"5\" failures=\"1\""))
        #expect(junit.contains("<failure message=\"√2 is 1.5 (false)"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))
    }

    @Test func expectedErrorsDoNotFailTheBuild() throws {
        let b = try build("expected-errors")
        #expect(b.status == 0, "\(b.output)")
        #expect(b.statuses() == ["ok", "error", "error", "skipped", "ok"])
        #expect(b.outputs(1).first?.1.contains("cannot convert value") == true)
        #expect(b.outputs(2).map(\.1).contains("about to fail on purpose\n"))
        #expect(b.outputs(2).last?.1.contains("Index out of range") == true)
        #expect(b.outputs(4).map(\.1) == ["still running, kept = 7\n", "state survives expected errors"])
        #expect(b.page.contains("not evaluated"))
    }

    @Test func inlineValuesAreComputedAndCheckedAtTheirLine() throws {
        let b = try build("inline-values")
        #expect(b.status == 0, "\(b.output)")
        #expect(b.page.contains("The mean is <span class=\"inline-value\">4.0</span> over <span class=\"inline-value\">3</span> samples."))
        let e = try build("inline-error")
        #expect(e.status == 1)
        #expect(e.output.contains("notebooks/inline-error.md:7:"))
        #expect(e.output.contains("cannot find 'undefinedThing' in scope"))
    }

    @Test func hostileTextIsEscapedInEveryOutput() throws {
        let b = try build("hostile")
        #expect(b.status == 1)  // one claim fails on purpose
        for needle in ["<script>alert", "<img src=x onerror", "<b onclick", "</title><script>"] {
            #expect(!b.page.contains(needle), "page contains \(needle)")
        }
        #expect(b.page.contains("&lt;script&gt;alert(&#39;print&#39;)&lt;/script&gt;"))
        #expect(b.page.contains("&lt;script&gt;alert(&#39;claim&#39;)&lt;/script&gt;"))
        #expect(b.page.contains("&lt;script&gt;alert(&#39;plot&#39;)&lt;/script&gt;"))
        #expect(b.page.contains("alert(&#39;diagnostic&#39;)"))
        let index = TestSupport.read(b.pageURL.deletingLastPathComponent().appendingPathComponent("index.html"))
        #expect(!index.contains("<script>alert") && !index.contains("<img src=x onerror"))
    }

    @Test func languageModeOptimisationAndImportsFromFrontMatter() throws {
        let b = try build("modes")
        #expect(b.status == 0, "\(b.output)")
        #expect(b.outputs(0).first?.1 == "swift 6 mode, value 42\n")
    }

    @Test func everyMarkAndScaleRendersInAPage() throws {
        let b = try build("plots")
        #expect(b.status == 0, "\(b.output)")
        #expect(b.statuses().allSatisfy { $0 == "ok" })
        let svgs = b.page.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"folio-plot\"").count - 1
        #expect(svgs == 5)
        for mark in ["fp-line", "fp-point", "fp-area", "fp-rule", "fp-note", "fp-hist", "fp-bar", "fp-heatmap", "fp-colorbar", "fp-legend"] {
            #expect(b.page.contains(mark), "no \(mark) in the gallery")
        }
        #expect(b.page.contains("10⁰") && b.page.contains("2⁴"))          // log10 and log2 axes
        #expect(b.page.contains("<strong>Figure 1</strong>: Lines, points, a band and rules."))
        #expect(b.page.contains("1 point was NaN, infinite or non-positive (log axis) and left out"))
        #expect(b.page.contains("<table class=\"folio-table\">"))
        #expect(b.page.contains("Sine &lt;and&gt; cosine"))
    }
}
