import Foundation
import Testing
@testable import Folio

/// A project read as one book, end to end: a copy of `Tests/Fixtures/book` (two chapters; a
/// definition, a figure, a table, an equation and a claim box in the first; references to all of
/// them, an embed and an imported value in the second) built by the `folio` binary, then edited.
@Suite(.serialized) struct BookTests {
    func fixture() throws -> URL { try TestSupport.copyOfFixture("book") }

    func build(_ dir: URL, _ extra: [String] = []) throws -> (status: Int32, output: String, report: BuildReport?) {
        try TestSupport.buildWithReport(dir, extra)
    }

    func executed(_ report: BuildReport?) -> [String: Bool] { TestSupport.executed(report) }

    func read(_ dir: URL, _ path: String) -> String { TestSupport.read(dir.appendingPathComponent(path)) }

    func edit(_ dir: URL, _ path: String, _ change: (String) -> String) {
        let url = dir.appendingPathComponent(path)
        let before = TestSupport.read(url)
        let after = change(before)
        precondition(after != before, "the edit of \(path) changed nothing")
        TestSupport.write(after, to: url)
    }

    @Test func referencesAcrossPagesCarryChapterNumbersAndThePagerFollowsTheOrder() throws {
        let dir = try fixture()
        let cold = try build(dir)
        #expect(cold.status == 0, "\(cold.output)")
        let rates = read(dir, "site/rates.html"), uses = read(dir, "site/uses.html")
        // Every kind of label, referred to from the other chapter: its page, its anchor, its number.
        for (label, text) in [("def-rate", "Definition 1.1"), ("fig-rate", "Figure 1.1"), ("eq-square", "Equation (1.1)"),
                              ("sec-setting", "Section 1.1"), ("claim-quarter", "Claim 1.1"), ("tbl-counts", "Table 1.1"),
                              ("tbl-meaning", "Table 1.2")] {
            #expect(uses.contains("<a class=\"xref\" href=\"rates.html#\(label)\">\(text)</a>"), "\(label)")
        }
        // On its own page the same labels are anchors with the same numbers.
        #expect(rates.contains("<a class=\"xref\" href=\"#fig-rate\">Figure 1.1</a>"))
        #expect(rates.contains("<figure id=\"fig-rate\">"))
        #expect(rates.contains("<figcaption><strong>Figure 1.1</strong>: The rate, printed</figcaption>"))
        #expect(rates.contains("<span class=\"eq-number\">(1.1)</span>"))
        #expect(rates.contains("<div class=\"statement kind-def\" id=\"def-rate\">\n<p class=\"statement-title\"><strong>Definition 1.1</strong> (Rate)</p>"))
        // A table's caption goes above it.
        #expect(rates.contains("<figure id=\"tbl-counts\" class=\"table\">\n<figcaption><strong>Table 1.1</strong>: The counts</figcaption>\n<div class=\"cell\""))
        // A Markdown table labelled by the `: caption {#tbl-…}` paragraph after it.
        #expect(rates.contains("<figure id=\"tbl-meaning\" class=\"table\">\n<figcaption><strong>Table 1.2</strong>: What the counts mean</figcaption>\n<table>"))
        // Chapters and sections numbered in the project's order.
        #expect(rates.contains("<h1><span class=\"section-number\">1</span> Rates</h1>"))
        #expect(rates.contains("<span class=\"section-number\">1.2</span> Checks"))
        #expect(uses.contains("<h1><span class=\"section-number\">2</span> Uses</h1>"))
        #expect(uses.contains("<span class=\"section-number\">2.1</span> Using the rate"))
        #expect(rates.contains("<a class=\"next\" rel=\"next\" href=\"uses.html\"><small>Next</small>Rates") == false)
        #expect(rates.contains("<a class=\"next\" rel=\"next\" href=\"uses.html\"><small>Next</small>Uses</a>"))
        #expect(uses.contains("<a class=\"prev\" rel=\"prev\" href=\"rates.html\"><small>Previous</small>Rates</a>"))
        #expect(!uses.contains("rel=\"next\""))

        // The order decides the numbers: swap the chapters.
        edit(dir, "folio.yml") { $0.replacingOccurrences(of: "  - notebooks/rates.md\n  - notebooks/uses.md", with: "  - notebooks/uses.md\n  - notebooks/rates.md") }
        let swapped = try build(dir)
        #expect(swapped.status == 0, "\(swapped.output)")
        #expect(read(dir, "site/uses.html").contains("<a class=\"xref\" href=\"rates.html#fig-rate\">Figure 2.1</a>"))
        #expect(read(dir, "site/rates.html").contains("<a class=\"prev\" rel=\"prev\" href=\"uses.html\">"))

        // Without chapter numbers a reference to another page says whose number it is.
        edit(dir, "folio.yml") { $0.replacingOccurrences(of: "number-sections: true", with: "number-sections: false") }
        let plain = try build(dir)
        #expect(plain.status == 0, "\(plain.output)")
        let unnumbered = read(dir, "site/uses.html")
        #expect(unnumbered.contains("<a class=\"xref\" href=\"rates.html#fig-rate\">Figure 1 of Rates</a>"))
        #expect(!unnumbered.contains("section-number"))
        #expect(read(dir, "site/rates.html").contains("<a class=\"xref\" href=\"#fig-rate\">Figure 1</a>"))
    }

    @Test func aStatementBoxSaysHowManyOfItsChecksHold() throws {
        let dir = try fixture()
        let cold = try build(dir)
        #expect(cold.status == 0, "\(cold.output)")
        #expect(read(dir, "site/rates.html").contains("<p class=\"statement-title\"><strong>Claim 1.1</strong> (The rate is a quarter) <span class=\"statement-status pass\">— checked, 2 of 2 hold</span></p>"))
        edit(dir, "notebooks/rates.md") { $0.replacingOccurrences(of: "check(rate * 4 == 1,", with: "check(rate * 4 == 2,") }
        let failing = try build(dir)
        #expect(failing.status == 1, "\(failing.output)")
        #expect(read(dir, "site/rates.html").contains("<strong>Claim 1.1</strong> (The rate is a quarter) <span class=\"statement-status fail\">— checked, 1 of 2 hold</span>"))
    }

    @Test func anEmbedFollowsItsSourceAndAnImportReRunsOnlyWhenTheValueChanges() throws {
        let dir = try fixture()
        let cold = try build(dir)
        #expect(cold.status == 0, "\(cold.output)")
        #expect(executed(cold.report) == ["notebooks/rates.md": true, "notebooks/uses.md": true])
        var uses = read(dir, "site/uses.html")
        #expect(uses.contains("<figure data-embed=\"fig-rate\">\n<div class=\"cell embedded\">\n<div class=\"outputs\">\n<pre class=\"output text\">rate = 0.25\n</pre>"))
        #expect(uses.contains("<figcaption><strong>Figure 1.1</strong>: The rate, printed <span class=\"embed-source\">(from <a href=\"rates.html#fig-rate\">Rates</a>)</span></figcaption>"))
        #expect(!uses.contains("export(&quot;rate&quot;"), "an embed shows outputs, not code")
        #expect(uses.contains("imported 0.25"))

        // The embedder's prose: nothing runs, and the page is drawn again with the same embed.
        edit(dir, "notebooks/uses.md") { $0.replacingOccurrences(of: "## Using the rate", with: "## Using the rate again") }
        let prose = try build(dir)
        #expect(executed(prose.report) == ["notebooks/rates.md": false, "notebooks/uses.md": false], "\(prose.output)")
        uses = read(dir, "site/uses.html")
        #expect(uses.contains("Using the rate again") && uses.contains("rate = 0.25\n</pre>"))

        // The source's output changes but its exported value does not: the embed follows, the importer does not run.
        edit(dir, "notebooks/rates.md") { $0.replacingOccurrences(of: "print(\"rate =\", rate)", with: "print(\"the rate is\", rate)") }
        let output = try build(dir)
        #expect(executed(output.report) == ["notebooks/rates.md": true, "notebooks/uses.md": false], "\(output.output)")
        uses = read(dir, "site/uses.html")
        #expect(uses.contains("<pre class=\"output text\">the rate is 0.25\n</pre>"))
        #expect(!uses.contains("rate = 0.25"))

        // The exported value changes: the importer runs again and sees it.
        edit(dir, "notebooks/rates.md") { $0.replacingOccurrences(of: "let a = 1.0, b = 4.0", with: "let a = 1.0, b = 2.0") }
        let value = try build(dir)
        #expect(executed(value.report) == ["notebooks/rates.md": true, "notebooks/uses.md": true], "\(value.output)")
        #expect(value.status == 1)  // the claims that a rate of ½ is a quarter now fail, as they should
        #expect(read(dir, "site/uses.html").contains("imported 0.5"))
        #expect(value.output.contains("notebooks/uses.md:15: error: claim failed: eight rates make two"))

        // Back to the first value: both come from the cache again.
        edit(dir, "notebooks/rates.md") { $0.replacingOccurrences(of: "let a = 1.0, b = 2.0", with: "let a = 1.0, b = 4.0") }
        let back = try build(dir)
        #expect(back.status == 0, "\(back.output)")
        #expect(executed(back.report) == ["notebooks/rates.md": false, "notebooks/uses.md": false])
    }

    @Test func duplicateUnknownAndMissingLabelsAndValuesAreReportedAtTheirLines() throws {
        let dir = try fixture()
        edit(dir, "notebooks/uses.md") {
            $0.replacingOccurrences(of: "{{< embed rates.md#fig-rate >}}", with: "{{< embed rates.md#fig-rate >}}\n\nSee @fig-nothing.\n\n{{< embed rates.md#fig-nothing >}}\n")
                + "\n```swift\n//| label: fig-rate\nlet slope = imported(\"rates.md\", \"slope\", as: Double.self)\n```\n"
        }
        let broken = try build(dir)
        #expect(broken.status == 1, "\(broken.output)")
        let out = broken.output
        #expect(out.contains("notebooks/uses.md:12: warning: unknown cross-reference `@fig-nothing`"), "\(out)")
        #expect(out.contains("notebooks/uses.md:14: error: embed of rates.md#fig-nothing: notebooks/rates.md has no cell labelled `fig-nothing`"))
        // A duplicate label is an error at both of its lines.
        #expect(out.contains("notebooks/uses.md:24: error: label `fig-rate` is already defined in notebooks/rates.md:14"))
        #expect(out.contains("notebooks/rates.md:14: error: label `fig-rate` is defined again in notebooks/uses.md:24"))
        // A value the other notebook does not export: the importer does not run, the error is at the call.
        #expect(out.contains("notebooks/uses.md:25: error: not run: notebooks/rates.md exports no value `slope`; it exports `rate`"))
    }

    @Test func aCycleOfNotebooksIsAnErrorNamingThemAndTheSiteStays() throws {
        let dir = try fixture()
        let cold = try build(dir)
        #expect(cold.status == 0, "\(cold.output)")
        let before = TestSupport.files(in: dir.appendingPathComponent("site"))
        // The first chapter embeds a figure of the second, which imports from the first.
        edit(dir, "notebooks/uses.md") { $0 + "\n```swift\n//| label: fig-twice\nprint(r * 2)\n```\n" }
        edit(dir, "notebooks/rates.md") { $0.replacingOccurrences(of: "## Checks", with: "{{< embed uses.md#fig-twice >}}\n\n## Checks") }
        let cycle = try build(dir)
        #expect(cycle.status == 2, "\(cycle.output)")
        #expect(cycle.output.contains("notebooks/rates.md:24: error: link: notebooks depend on each other in a cycle: notebooks/rates.md → notebooks/uses.md → notebooks/rates.md (notebooks/rates.md:24 embeds notebooks/uses.md; notebooks/uses.md:13 imports from notebooks/rates.md)"), "\(cycle.output)")
        #expect(TestSupport.files(in: dir.appendingPathComponent("site")) == before)
    }

    @Test func aNotebookBuiltAloneBringsTheNotebooksItNeeds() throws {
        let dir = try fixture()
        let alone = try build(dir, ["notebooks/uses.md"])
        #expect(alone.status == 0, "\(alone.output)")
        #expect(executed(alone.report) == ["notebooks/rates.md": true, "notebooks/uses.md": true])
        #expect(read(dir, "site/uses.html").contains("imported 0.25"))
    }

    @Test func frozenOutputsCarryExportedValuesAndGoStaleWithThem() throws {
        let dir = try fixture()
        let freeze = try TestSupport.runFolio(["freeze"], in: dir, timeout: 600)
        #expect(freeze.status == 0, "\(freeze.output)")
        #expect(try TestSupport.runFolio(["check", "--stale"], in: dir).status == 0)
        // Built from frozen outputs alone: the importer's values come from its upstream's frozen run.
        let frozen = try build(dir, ["--frozen"])
        #expect(frozen.status == 0, "\(frozen.output)")
        #expect(read(dir, "site/uses.html").contains("imported 0.25"))
        // A changed upstream value makes the upstream stale, and with it the importer.
        edit(dir, "notebooks/rates.md") { $0.replacingOccurrences(of: "let a = 1.0, b = 4.0", with: "let a = 1.0, b = 2.0") }
        let stale = try TestSupport.runFolio(["check", "--stale"], in: dir)
        #expect(stale.status == 1)
        #expect(stale.output.contains("notebooks/rates.md: error: frozen outputs are stale"), "\(stale.output)")
        #expect(stale.output.contains("notebooks/uses.md: error: frozen outputs are stale"), "\(stale.output)")
    }
}
