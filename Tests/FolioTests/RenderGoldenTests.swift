import Foundation
import Testing
@testable import Folio

/// One fixture per rendering feature: `Tests/Fixtures/render/NAME.md` must render to NAME.html
/// byte for byte (cells shown, not run; math left for KaTeX in the browser so the golden does not
/// depend on node). Re-record with `RECORD_GOLDEN=1 swift test --filter RenderGoldenTests`.
@Suite struct RenderGoldenTests {
    /// Every `NAME.md` in the folder: adding a fixture pair is the whole change.
    static let names: [String] = {
        let dir = TestSupport.fixtures.appendingPathComponent("render")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }()

    @Test func everyFixtureHasItsGolden() {
        #expect(Self.names.count >= 6, "the render fixtures were not found")
        for name in Self.names {
            #expect(FileManager.default.fileExists(atPath: TestSupport.fixtures.appendingPathComponent("render/\(name).html").path) || ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil,
                    "render/\(name).md has no golden \(name).html; record it with RECORD_GOLDEN=1")
        }
    }

    func build(_ name: String, log: CollectingLog = CollectingLog()) throws -> (page: String, index: String) {
        let dir = TestSupport.fixtures.appendingPathComponent("render")
        let out = TestSupport.temporaryDirectory("golden")
        var options = BuildOptions()
        options.inputs = [dir.appendingPathComponent("\(name).md").path]
        options.output = out.appendingPathComponent("site").path
        options.execute = false
        options.jobs = 1
        let context = BuildContext(folder: out, environment: ProcessInfo.processInfo.environment)
        let summary = Builder(context: context, options: options, log: log, math: MathRenderer(node: nil)).run()
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

@Suite struct AuthoringTests {
    @Test func citationsCrossReferencesCalloutsAndWarnings() throws {
        let log = CollectingLog()
        let (page, _) = try RenderGoldenTests().build("authoring", log: log)
        #expect(page.contains("(<a class=\"cite\" href=\"#ref-aurentz2017\">Aurentz and Trefethen 2017, sec. 2</a>)"))
        #expect(page.contains("<a class=\"cite\" href=\"#ref-rbpb2023\">Radhakrishnan et al. 2023</a>; <a class=\"cite\""))
        #expect(page.contains("<a class=\"xref\" href=\"#fig-curve\">Figure 1</a>"))
        #expect(page.contains("<a class=\"xref\" href=\"#eq-pythagoras\">Equation (1)</a>"))
        #expect(page.contains("<a class=\"xref\" href=\"#sec-intro\">Section 1</a>"))
        #expect(page.contains("<span class=\"eq-number\">(1)</span>"))
        #expect(page.contains("<div class=\"callout note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>A note with <em>emphasis</em>.</p>"))
        #expect(page.contains("callout caution"))
        #expect(page.contains("<blockquote>\n<p>An ordinary quote.</p>"))
        #expect(page.contains("someone@example.org"))
        #expect(page.contains("<li id=\"ref-aurentz2017\">Jared L. Aurentz and Lloyd N. Trefethen (2017)."))
        #expect(page.contains("https://doi.org/10.1145/2998442"))
        #expect(!page.contains("@article{"))  // BibTeX blocks are data, not content
        let messages = log.text
        #expect(messages.contains(":8: warning: unknown cross-reference `@fig-missing`"))
        #expect(messages.contains(":8: warning: unknown citation key `nokey`"))
    }

    @Test func malformedBibTeXBlockIsAnErrorAtItsLine() {
        do {
            _ = try NotebookParser.parse(text: "# T\n\n```bibtex\n@article{k,\n  title = {x}\n  year = 2020}\n```\n", path: "b.md", relativePath: "b.md")
            Issue.record("expected an error")
        } catch let e as FolioError {
            #expect(e.description.hasPrefix("b.md:6: error: malformed BibTeX"))
        } catch { Issue.record("wrong error") }
    }

    @Test func searchIndexHoldsTitlesHeadingsAndProse() throws {
        let nb = try NotebookParser.parse(text: "---\ntitle: Parity <latent>\n---\n## Mediation\n\nThe xorsum is conserved.\n", path: "p.md", relativePath: "p.md")
        let js = String(decoding: IndexRenderer.searchIndex([ExecutedNotebook.unexecuted(nb)]), as: UTF8.self)
        #expect(js.hasPrefix("window.FOLIO_SEARCH = ["))
        #expect(js.contains("\"title\":\"Parity \\u003clatent>\""))
        #expect(js.contains("[\"Mediation\",\"mediation\"]"))
        #expect(js.contains("The xorsum is conserved."))
    }

    /// Search-index strings survive a JSON parser byte for byte and never close the script.
    @Test func searchIndexStringsRoundTripThroughJSON() throws {
        let hostile = "a\"b\\c\nd\te\r\u{1}f</script><!-- é ∑ 🙂 \u{7f}"
        var out: [UInt8] = []
        IndexRenderer.appendJSONString(hostile, to: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(!text.contains("<"))
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [String]
        #expect(decoded == [hostile])
    }
}

/// Formulas, citations and references inside attributes (an image's alt text, a link's title)
/// become text: their HTML there would close the attribute and garble the page.
@Suite struct AttributePlaceholderTests {
    @Test func placeholdersInAttributesBecomeText() throws {
        let md = "![a $x onerror=alert(1) y$ b](x.png)\n\n[link $z$](https://e.org \"title $q$ here\")\n\n<div>\nif a < b then $w$\n</div>\n"
        let nb = try NotebookParser.parse(text: md, path: "p.md", relativePath: "p.md")
        let context = SiteContext(entries: [.init(title: nb.title, pagePath: nb.pagePath, group: "")], mathInBrowser: true)
        let html = PageRenderer(context: context, math: MathRenderer.Typeset()).render(.unexecuted(nb)).html
        #expect(html.contains("alt=\"a x onerror=alert(1) y b\""), "\(html)")
        #expect(html.contains("title=\"title q here\""))
        #expect(html.contains(MathRenderer.browserMarkup(nb.math[1])), "math in link text stays math")
        #expect(html.contains("if a &lt; b then " + MathRenderer.browserMarkup(nb.math[3])), "a lone < in raw HTML is text, written as &lt;")
    }
}
