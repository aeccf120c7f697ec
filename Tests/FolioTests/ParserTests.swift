import Foundation
import Testing
@_spi(Fuzzing) @testable import Folio

@Suite struct ParserTests {
    func parse(_ text: String) throws -> Notebook {
        try NotebookParser.parse(text: text, path: "n.md", relativePath: "n.md")
    }

    @Test func frontMatterFields() throws {
        let nb = try parse("---\ntitle: T\ndescription: D\ntags: [a, b]\ndate: 2026-01-02\nsource: 000.txt\ndraft: true\ntimeout: 5\nswift: 6\noptimize: true\nimports: [Dispatch]\n---\n# H\n")
        let fm = nb.frontMatter
        #expect(fm.title == "T" && fm.description == "D" && fm.tags == ["a", "b"] && fm.date == "2026-01-02")
        #expect(fm.source == "000.txt" && fm.draft && fm.timeout == 5 && fm.swiftVersion == 6 && fm.optimize && fm.imports == ["Dispatch"])
        #expect(nb.headings.first?.line == 13)
    }

    @Test func malformedFrontMatterNamesTheLine() {
        do {
            _ = try parse("---\ntitle: ok\ntags: [a, b\n---\n")
            Issue.record("expected an error")
        } catch let e as FolioError {
            #expect(e.description.hasPrefix("n.md:"))
            #expect(e.diagnostic.line >= 3)
            #expect(e.description.contains("YAML"))
        } catch { Issue.record("wrong error \(error)") }
        #expect(throws: FolioError.self) { try parse("---\ndraft: maybe\n---\n") }
        let error = #expect(throws: FolioError.self) { try parse("---\n\ndraft: maybe\n---\n") }
        #expect(error?.diagnostic.line == 3)
    }

    /// Found by the front-matter fuzz target: `---\r\n` made the reader look for a `"\n"`
    /// Character, which a `\r\n` line ending never is, and trap.
    @Test func windowsLineEndingsInFrontMatter() throws {
        let nb = try parse("---\r\ntitle: T\r\ntags: [a]\r\n---\r\n# H\r\n\r\n```swift\r\n//| label: x\r\nlet a = 1\r\n```\r\n")
        #expect(nb.frontMatter.title == "T" && nb.frontMatter.tags == ["a"])
        #expect(nb.headings.first?.line == 5)
        #expect(nb.cells.first?.options.label == "x" && nb.cells.first?.codeLine == 9)
        #expect(try parse("---\r\n").frontMatter.title == nil)
        #expect(try parse("---\r\ntitle: open\r\n").headings.isEmpty)
    }

    /// Found by fuzzing: libyaml also breaks lines at a lone `\r`, so its error lines ran past
    /// the front matter. Lone `\r`s now end lines everywhere, as in CommonMark.
    @Test func loneCarriageReturnsEndLines() throws {
        do {
            _ = try parse("---\ntitle: a\rb: [\n---\n")
            Issue.record("expected an error")
        } catch let e as FolioError {
            #expect(e.diagnostic.line == 3 || e.diagnostic.line == 4, "\(e)")
        }
        let nb = try parse("# A\r\r# B\r")
        #expect(nb.headings.map(\.line) == [1, 3])
        #expect(FrontMatterReader.yamlLineOffsets("a\r\nb\rc\u{2028}d\n") == [0, 1, 1, 1, 2])
    }

    @Test func notUTF8IsAClearError() {
        do {
            _ = try NotebookParser.parse(data: Data([0x61, 0x0A, 0x62, 0xFF, 0x63]), path: "bad.md", relativePath: "bad.md")
            Issue.record("expected an error")
        } catch let e as FolioError {
            #expect(e.description == "bad.md:2:2: error: the file is not valid UTF-8; save it as UTF-8 text")
        } catch { Issue.record("wrong error") }
    }

    @Test func cellsCarryLanguageOptionsAndLines() throws {
        let nb = try parse("# T\n\n```swift\n//| echo: false\n//| timeout: 3\n//| bogus: 1\nlet x = 1\n```\n\n```python\nprint(1)\n```\n")
        let cells = nb.cells
        #expect(cells.count == 2)
        #expect(cells[0].language == .swift && cells[0].line == 4 && cells[0].codeLine == 7)
        #expect(cells[0].code == "let x = 1")
        #expect(!cells[0].options.echo && cells[0].options.timeout == 3)
        #expect(nb.warnings.contains { $0.line == 6 && $0.message.contains("bogus") })
        #expect(cells[1].language == .other("python") && !cells[1].isExecutable)
    }

    @Test func cellLinesSurviveMultiLineMath() throws {
        let nb = try parse("$$\na\n\nb\n$$\n\n$$x\ny$$\n\n```swift\nlet a = 1\n```\n")
        // A blank line ends a formula, so the first `$$` is text; the cell starts on line 11.
        #expect(nb.cells.first?.line == 11)
    }

    @Test func headingIdsAreUniqueAndExplicitIdsWin() throws {
        let nb = try parse("## Intro\n## Intro\n## Other {#sec-other}\n")
        #expect(nb.headings.map(\.id) == ["intro", "intro-2", "sec-other"])
        #expect(nb.headings[2].text == "Other")
    }

    /// Found by the markdown fuzz target: a formula inside a raw tag's attribute was replaced by
    /// KaTeX's HTML, whose quotes closed the attribute and let the rest of it become markup.
    @Test func placeholdersInsideRawTagsAreShownAsText() throws {
        func prose(_ md: String) throws -> String {
            try parse(md).blocks.compactMap { if case .prose(let h) = $0 { return h } else { return nil } }.joined()
        }
        let attribute = try prose("<a href=\"x$y$<script>alert(1)</script>\">t</a>\n")
        #expect(!attribute.contains("<a href"), "\(attribute)")
        #expect(!attribute.contains("<script"))
        #expect(!(try prose("<a title=\"see [@knuth]\">t</a>\n")).contains("<a title"))
        #expect(!(try prose("<div>\n<!-- $x$ -->\n</div>\n")).contains("<!--"))
        // Formulas between tags are still formulas.
        let details = try prose("<details><summary>Why $x^2$?</summary>\n\nBecause.\n\n</details>\n")
        #expect(details.contains("<details><summary>Why \u{E000}M0\u{E001}?</summary>"), "\(details)")
    }

    @Test func rawHTMLThatCouldRunScriptIsShownAsText() throws {
        let nb = try parse("<img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(1)\">x</a> <sub>ok</sub> <script>alert(1)</script>\n")
        let html = nb.blocks.compactMap { if case .prose(let h) = $0 { return h } else { return nil } }.joined()
        #expect(!html.contains("<img"))
        #expect(!html.contains("<a href=\"javascript"))
        #expect(html.contains("<sub>ok</sub>"))
        #expect(!html.contains("<script>"))
    }

    @Test func placeholderCharactersCannotBeForged() throws {
        let nb = try parse("fake \u{E000}M0\u{E001} and $x$\n")
        let html = nb.blocks.compactMap { if case .prose(let h) = $0 { return h } else { return nil } }.joined()
        #expect(html.components(separatedBy: "\u{E000}").count == 2)
    }
}
