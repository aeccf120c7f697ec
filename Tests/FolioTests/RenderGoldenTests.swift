import Foundation
import Testing
@testable import Folio

/// One fixture per rendering feature: `Tests/Fixtures/render/NAME.md` must render to NAME.html
/// byte for byte (cells shown, not run; math left for KaTeX in the browser so the golden does not
/// depend on node). Re-record with `RECORD_GOLDEN=1 swift test --filter RenderGoldenTests`.
@Suite struct RenderGoldenTests {
    static let names = ["basics", "gfm", "math", "escaping", "cells"]

    func build(_ name: String) throws -> (page: String, index: String) {
        let dir = TestSupport.fixtures.appendingPathComponent("render")
        let out = TestSupport.temporaryDirectory("golden")
        var options = BuildOptions()
        options.inputs = [dir.appendingPathComponent("\(name).md").path]
        options.output = out.appendingPathComponent("site").path
        options.execute = false
        options.jobs = 1
        let builder = Builder(options: options, log: CollectingLog())
        builder.math = MathRenderer(node: nil)
        let summary = builder.run()
        #expect(summary.exitCode == 0)
        let site = out.appendingPathComponent("site")
        return (TestSupport.read(site.appendingPathComponent("\(name).html")), TestSupport.read(site.appendingPathComponent("index.html")))
    }

    @Test(arguments: names)
    func pageMatchesGolden(_ name: String) throws {
        let (page, _) = try build(name)
        #expect(!page.isEmpty)
        let golden = TestSupport.fixtures.appendingPathComponent("render/\(name).html")
        #expect(TestSupport.matchesGolden(page, golden), "render/\(name).html differs; inspect and re-record with RECORD_GOLDEN=1")
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        let (page, index) = try build("escaping")
        for html in [page, index] {
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<img src=x onerror"))
            #expect(!html.contains("href=\"javascript:"))
            #expect(!html.contains("<style>body"))
            #expect(!html.contains("<i>tag</i>"))
        }
        #expect(page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; co"))
    }

    @Test func mathSurvivesMarkdown() throws {
        let (page, _) = try build("math")
        #expect(page.contains("\\(x_1 * y_1 * z\\)"))
        #expect(page.contains("$5 and $6 is not math"))
        #expect(page.contains("<code>$x$</code>"))
        #expect(page.contains("$not math$"))
        #expect(page.components(separatedBy: "class=\"math ").count - 1 == 5)
    }
}
