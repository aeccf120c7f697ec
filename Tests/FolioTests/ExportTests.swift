import Foundation
import Testing
@testable import Folio

/// The prose an export writes is Markdown that means what the notebook's prose means: parsed
/// again, it gives the same HTML (normalised as in the GFM conformance test), and exporting that
/// gives the same Markdown again. The files themselves are read back by pandoc, nbformat and
/// nbconvert in `Tests/export`.
@Suite struct ExportTests {
    static let prose: [String] = [
        "Plain *emphasis*, **strong**, ~~struck~~, `code with `` ticks`, and ``` `edge` ```.",
        "A [link](https://example.org/a_(b)) and ![an image](figures/a.png \"title\") and <https://swift.org>.",
        "Not markup: \\*stars\\*, \\_under\\_, \\# hash, \\[brackets\\], a \\<tag\\>, 5 \\$ and & and &amp; and \\\\.",
        "1986\\. A year, not a list.\n\n\\- not an item\n\n\\+ nor this",
        "Line one  \nline two\\\nline three",
        "- tight\n- list\n  - nested\n  - items\n- end",
        "1. loose\n\n2. ordered\n\n   with a second paragraph\n\n3. list",
        "7. starts\n8. at seven",
        "A [titled](https://a.org \"The \\\"title\\\"\") link.",
        "- item\n\n      indented code in an item\n\n- next",
        "> a quote\n> - with a list\n>\n> > and a nested quote",
        "````swift\nlet fence = \"```\"\nprint(fence)\n````",
        "    indented code\n    stays code",
        "| left | centre | right |\n|:-----|:------:|------:|\n| a \\| b | `c` | *d* |\n| 1 | 2 | 3 |",
        "- [x] done\n- [ ] to do",
        "* * *",
        "### A heading with *emphasis*\n\nText under it.",
        "Café, naïve, 東京, emoji 🙂 and a non-breaking&nbsp;space.",
    ]

    func notebook(_ markdown: String) throws -> Notebook {
        try NotebookParser.parse(text: markdown + "\n", path: "p.md", relativePath: "p.md")
    }

    func exported(_ nb: Notebook) -> String {
        let renderer = PageRenderer(context: SiteContext(entries: [], mathInBrowser: true), math: MathRenderer.Typeset())
        let run = ExecutedNotebook(notebook: nb, cells: [], diagnostics: [], executed: false, seconds: 0)
        let doc = NotebookExporter(renderer: renderer, flavour: .jupyter, showsCode: true).export(run)
        let markdown = doc.blocks.compactMap { if case .markdown(let m) = $0 { m } else { nil } }.joined(separator: "\n\n")
        // Past the title heading the exporter adds when the notebook has no top-level heading.
        let titled = !nb.blocks.contains { if case .heading(let h) = $0 { h.level == 1 } else { false } }
        return titled ? markdown.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).dropFirst(2).joined() : markdown
    }

    /// The prose's HTML, normalised; an empty comment (what ends a list before another) is nothing.
    func html(_ nb: Notebook) -> String {
        HTMLNormalizer.normalize(nb.blocks.map { block -> String in
            switch block {
            case .prose(let html): html
            case .heading(let h): "<h\(h.level)>\(h.html)</h\(h.level)>"
            default: ""
            }
        }.joined()).replacingOccurrences(of: "<!-- -->", with: "")
    }

    @Test(arguments: prose) func proseRoundTripsThroughMarkdown(_ markdown: String) throws {
        let original = try notebook(markdown)
        let written = exported(original)
        let again = try notebook(written)
        #expect(html(again) == html(original), "written as:\n\(written)")
        #expect(exported(again) == written)
    }

    @Test func formulasAreTeXBetweenDollarsAndReferencesTheirWords() throws {
        let nb = try notebook("""
            Inline $a_1 + b^2$ and a display
            $$
            \\int_0^1 x\\,dx
            $$ {#eq-int}
            as @eq-int says.
            """)
        let written = exported(nb)
        #expect(written.contains("Inline $a_1 + b^2$ and a display"))
        #expect(written.contains("$$\\int_0^1 x\\,dx \\tag{1}$$"))
        #expect(written.contains("as Equation (1) says."), "\(written)")
    }
}

extension ExportTests {
    /// Every example of the GFM spec that is prose alone (a top-level fence is a cell) goes
    /// through the export's Markdown and back to the same HTML, except where Folio itself departs
    /// from the spec (formulas in `\\(…\\)`, the raw-HTML allowlist: the conformance test's list)
    /// and raw HTML, which an export writes as its text (pandoc's Word writer drops raw HTML).
    static let gfmDeviations: [Int: String] = [
        301: "a tight list item whose quote is followed by code: without a blank line the code is the quote's lazy continuation, with one the list is loose",
        426: "strong emphasis nested three deep (`******`) is written back as two",
    ]
    @Test func gfmExamplesRoundTripThroughMarkdown() throws {
        var differ: [Int] = []
        var total = 0
        for ex in try GFMConformanceTests.examples() where GFMConformanceTests.deviations[ex.number] == nil
            && Self.gfmDeviations[ex.number] == nil && ex.section != "HTML blocks" && ex.section != "Raw HTML"
            && ex.markdown.range(of: "<[a-z]+[ />]", options: .regularExpression) == nil {
            guard let original = try? notebook(ex.markdown),
                  original.blocks.allSatisfy({ if case .cell = $0 { false } else { true } }) else { continue }
            total += 1
            let written = exported(original)
            if (try? notebook(written)).map(html) != html(original) { differ.append(ex.number) }
        }
        #expect(total > 500)
        #expect(differ.isEmpty, "\(differ.count) of \(total) examples read back differently: \(differ)")
    }
}
