import Foundation
import Testing
@testable import Folio

/// Incremental builds: exactly the notebooks whose execution inputs changed run again.
@Suite(.serialized) struct CacheTests {
    func project() -> URL {
        let dir = TestSupport.temporaryDirectory("cache")
        TestSupport.write("# A\n\nProse.\n\n```swift\nlet a = 2\nprint(a * 21)\ncheck(a == 2, \"a is two\")\n```\n", to: dir.appendingPathComponent("notebooks/a.md"))
        TestSupport.write("---\ninputs: [data/*.txt]\n---\n# B\n\n```swift\nlet text = try String(contentsOfFile: \"data/value.txt\", encoding: .utf8)\nprint(\"read\", text.trimmingCharacters(in: .whitespacesAndNewlines))\n```\n", to: dir.appendingPathComponent("notebooks/b.md"))
        TestSupport.write("41\n", to: dir.appendingPathComponent("notebooks/data/value.txt"))
        return dir
    }

    func build(_ dir: URL, _ extra: [String] = []) throws -> (executed: [String: Bool], report: BuildReport, output: String) {
        let r = try TestSupport.runFolio(["build", "--report", "r.json"] + extra, in: dir)
        let report = try TestSupport.report(dir.appendingPathComponent("r.json"))
        var executed: [String: Bool] = [:]
        for nb in report.notebooks { executed[nb.source] = nb.executed }
        return (executed, report, r.output)
    }

    func rendered(_ report: BuildReport) -> [String: Bool] {
        var r: [String: Bool] = [:]
        for nb in report.notebooks { r[nb.source] = nb.rendered }
        return r
    }

    @Test func onlyWhatChangedRuns() throws {
        let dir = project()
        let cold = try build(dir)
        #expect(cold.executed == ["notebooks/a.md": true, "notebooks/b.md": true])
        #expect(rendered(cold.report) == ["notebooks/a.md": true, "notebooks/b.md": true])
        let warm = try build(dir)
        #expect(warm.executed == ["notebooks/a.md": false, "notebooks/b.md": false])
        // Nothing changed: both pages are carried over from the current site, not rendered.
        #expect(rendered(warm.report) == ["notebooks/a.md": false, "notebooks/b.md": false])
        #expect(TestSupport.read(dir.appendingPathComponent("site/a.html")).contains("<pre class=\"output text\">42\n</pre>"))

        // A prose edit (which also moves the cell down a line) executes nothing…
        let a = dir.appendingPathComponent("notebooks/a.md")
        TestSupport.write(TestSupport.read(a).replacingOccurrences(of: "Prose.", with: "Prose,\nnow longer."), to: a)
        let prose = try build(dir)
        #expect(prose.executed == ["notebooks/a.md": false, "notebooks/b.md": false])
        #expect(rendered(prose.report) == ["notebooks/a.md": true, "notebooks/b.md": false])
        // …and the cached claim moved with its cell.
        let page = TestSupport.read(dir.appendingPathComponent("site/a.html"))
        #expect(page.contains("data-line=\"9\""))
        #expect(page.contains("<pre class=\"output text\">42\n</pre>"))

        // A code edit executes only its notebook.
        TestSupport.write(TestSupport.read(a).replacingOccurrences(of: "a * 21", with: "a * 20"), to: a)
        let code = try build(dir)
        #expect(code.executed == ["notebooks/a.md": true, "notebooks/b.md": false])
        #expect(code.output.contains("notebooks/a.md: drift since the last run: outputs changed in the cell at line 7"))

        // A changed input file executes the notebook that declared it.
        TestSupport.write("43\n", to: dir.appendingPathComponent("notebooks/data/value.txt"))
        #expect(try build(dir).executed == ["notebooks/a.md": false, "notebooks/b.md": true])

        // --no-cache runs everything.
        #expect(try build(dir, ["--no-cache"]).executed == ["notebooks/a.md": true, "notebooks/b.md": true])
    }

    @Test func corruptEntriesAreMisses() throws {
        let dir = project()
        _ = try build(dir)
        let cache = dir.appendingPathComponent(".folio/cache")
        for f in try FileManager.default.contentsOfDirectory(atPath: cache.path) {
            let url = cache.appendingPathComponent(f)
            let data = try Data(contentsOf: url)
            try data.prefix(data.count / 2).write(to: url)   // truncated
        }
        let again = try build(dir)
        #expect(again.executed == ["notebooks/a.md": true, "notebooks/b.md": true])
        #expect(again.report.ok)
    }

    @Test func driftReportsFlippedClaims() throws {
        let dir = project()
        _ = try build(dir)
        let a = dir.appendingPathComponent("notebooks/a.md")
        TestSupport.write(TestSupport.read(a).replacingOccurrences(of: "let a = 2", with: "let a = 3"), to: a)
        let r = try build(dir)
        let nb = try #require(r.report.notebooks.first { $0.source == "notebooks/a.md" })
        let drift = try #require(nb.drift)
        #expect(drift.changedCells == [6])
        #expect(drift.flippedClaims.count == 1 && drift.flippedClaims.first?.text == "a is two" && drift.flippedClaims.first?.now == "fails")
        #expect(r.output.contains("claim at line 8 now fails: a is two"))
    }

    @Test func cleanRemovesCacheAndSite() throws {
        let dir = project()
        _ = try build(dir)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".folio").path))
        let r = try TestSupport.runFolio(["clean"], in: dir)
        #expect(r.status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".folio").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))
    }
}
