import Foundation
import Testing
@testable import Folio

/// Statement fences and embeds: lines of their own that the parser reads as blocks.
@Suite struct DirectiveTests {
    func parse(_ text: String) throws -> Notebook {
        try NotebookParser.parse(text: text, path: "n.md", relativePath: "n.md")
    }

    /// The blocks as short names, prose by its HTML.
    func shape(_ nb: Notebook) -> [String] {
        nb.blocks.map { block in
            switch block {
            case .prose(let html): "prose " + html.trimmingCharacters(in: .whitespacesAndNewlines)
            case .heading(let h): "heading \(h.text) @\(h.line)"
            case .calloutStart: "callout"
            case .calloutEnd: "/callout"
            case .statementStart(let n): "statement \(nb.statements[n].label)"
            case .statementEnd: "/statement"
            case .embed(let n): "embed \(nb.embeds[n].notebook)#\(nb.embeds[n].label)"
            case .tableStart(let n): "table \(nb.tables[n].label)"
            case .tableEnd: "/table"
            case .cell(let c): "cell @\(c.line)"
            }
        }
    }

    @Test func aStatementHoldsItsCellsAndKeepsEveryLineInPlace() throws {
        let nb = try parse("""
        Before it.
        ::: {#claim-rank name="Rank is n·k" .note}
        Some text.

        ```swift
        check(true, "yes")
        ```
        :::
        ## After {#sec-after}

        ```swift
        print(1)
        ```
        """)
        #expect(shape(nb) == ["prose <p>Before it.</p>", "statement claim-rank", "prose <p>Some text.</p>", "cell @6", "/statement",
                              "heading After @9", "cell @12"])
        let s = try #require(nb.statements.first)
        #expect(s.kind == .claim && s.title == "Rank is n·k" && s.line == 2 && s.cells == [0])
        #expect(nb.warnings.isEmpty)
    }

    @Test func nestedStatementsGiveTheirCellsToBoth() throws {
        let nb = try parse("::: {#thm-outer}\n::: {#lem-inner}\n```swift\nlet a = 1\n```\n:::\n```swift\nlet b = 2\n```\n:::\n")
        #expect(nb.statements.map(\.label) == ["thm-outer", "lem-inner"])
        #expect(nb.statements.map(\.cells) == [[0, 1], [0]])
        #expect(shape(nb) == ["statement thm-outer", "statement lem-inner", "cell @4", "/statement", "cell @8", "/statement"])
    }

    @Test func whatIsNotAStatementStaysText() throws {
        // A bare `:::` with nothing open, a div without a statement's label, a fence inside code,
        // an indented fence and an embed inside a sentence.
        let nb = try parse(":::\n\n::: {.aside}\n\n```\n::: {#thm-x}\n```\n\n    ::: {#thm-y}\n\nSee {{< embed a.md#fig-x >}} here.\n")
        #expect(nb.statements.isEmpty && nb.embeds.isEmpty)
        let html = nb.blocks.compactMap { if case .prose(let h) = $0 { h } else { nil } }.joined()
        #expect(html.contains("<p>:::</p>") && html.contains("<p>::: {.aside}</p>"))
        #expect(html.contains("See {{&lt; embed a.md#fig-x &gt;}} here."))
        #expect(nb.cells.count == 1 && nb.cells[0].code.contains("::: {#thm-x}"))
    }

    @Test func anUnclosedStatementIsAWarningAtItsFence() throws {
        let nb = try parse("Text.\n\n::: {#def-open}\nBody.\n")
        #expect(shape(nb) == ["prose <p>Text.</p>", "statement def-open", "prose <p>Body.</p>", "/statement"])
        #expect(nb.warnings.map(\.description) == ["n.md:3: warning: statement `def-open` is never closed; end it with a line `:::` (it runs to the end of the notebook)"])
    }

    @Test func anEmbedIsABlockWithItsTargetAndLine() throws {
        let nb = try parse("Text\n{{< embed ../other/a.md#fig-loss >}}\nmore text\n")
        #expect(shape(nb) == ["prose <p>Text</p>", "embed ../other/a.md#fig-loss", "prose <p>more text</p>"])
        #expect(nb.embeds == [Embed(notebook: "../other/a.md", label: "fig-loss", line: 2)])
    }

    @Test func importedCallsAreFoundBeforeAnythingRuns() throws {
        let nb = try parse("```swift\nlet j = imported(\"jac.md\", \"jacobian\", as: Matrix.self)\nlet name = \"x\"\nlet v = imported(\"jac.md\", name, as: Double.self)\n```\n\n```swift\nlet w = imported(path, \"y\", as: Int.self)\n```\n")
        #expect(nb.imports == [ImportedValue(notebook: "jac.md", name: "jacobian", line: 2), ImportedValue(notebook: "jac.md", name: nil, line: 4)])
        #expect(nb.warnings.map(\.line) == [8])
    }

    @Test func aMarkdownTableIsLabelledByTheCaptionAfterIt() throws {
        let nb = try parse("| a | b |\n|---|---|\n| 1 | 2 |\n\n: Counts of $x$ {#tbl-counts}\n\n```swift\n//| label: tbl-cell\n```\n\n| c |\n|---|\n| 3 |\n\n: no label here\n")
        #expect(shape(nb).map { $0.hasPrefix("prose <table>") ? "prose <table>" : $0 }
                == ["table tbl-counts", "prose <table>", "/table", "cell @8", "prose <table>"])
        let t = try #require(nb.tables.first)
        #expect(t.label == "tbl-counts" && t.line == 5 && t.captionHTML.hasPrefix("Counts of \u{E000}M0\u{E001}"))
        let numbers = Numbering(nb)
        #expect(numbers.text(for: "tbl-counts") == "Table 1" && numbers.text(for: "tbl-cell") == "Table 2")
        // The unlabelled one keeps its caption line as text.
        #expect(nb.blocks.contains { if case .prose(let h) = $0 { h.contains("<p>: no label here</p>") } else { false } })
    }

    @Test func labelsAreNumberedByKindAndChapter() throws {
        let nb = try parse("""
        ## One
        ::: {#thm-a}
        :::
        ::: {#def-b}
        :::
        ::: {#thm-c}
        :::
        ```swift
        //| label: tbl-t
        ```
        $$ x $$ {#eq-x}
        ### One point one
        """)
        let plain = Numbering(nb), numbered = Numbering(nb, chapter: 3)
        #expect(["thm-a", "def-b", "thm-c", "tbl-t", "eq-x", "one", "one-point-one"].map { plain.text(for: $0) ?? "-" }
                == ["Theorem 1", "Definition 1", "Theorem 2", "Table 1", "Equation (1)", "Section 1", "Section 1.1"])
        #expect(["thm-c", "eq-x", "one-point-one"].map { numbered.text(for: $0) ?? "-" } == ["Theorem 3.2", "Equation (3.1)", "Section 3.1.1"])
    }
}

/// The build's order of execution: a notebook starts once those it imports from are done, and
/// notebooks with nothing between them run side by side.
@Suite struct DependencyOrderTests {
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var events: [String] = []
        func add(_ e: String) { lock.lock(); events.append(e); lock.unlock() }
    }

    @Test func itemsStartAfterTheirDependenciesAndIndependentOnesOverlap() {
        let log = Log()
        // 0 and 1 are independent: 0 waits for 1 to start, which only happens if they run at once.
        let oneStarted = DispatchSemaphore(value: 0)
        let results = Parallel.map(4, after: [[], [], [0], [1, 2]], jobs: 2) { i, done -> Int in
            log.add("start \(i)")
            if i == 1 { oneStarted.signal() }
            if i == 0 { #expect(oneStarted.wait(timeout: .now() + 10) == .success, "item 0 and item 1 did not run side by side") }
            if i == 2 { #expect(done[0] == 0) }
            if i == 3 { #expect(done[1] == 10 && done[2] == 20) }
            log.add("end \(i)")
            return i * 10
        }
        #expect(results == [0, 10, 20, 30])
        let at = { (e: String) in log.events.firstIndex(of: e)! }
        #expect(at("start 2") > at("end 0"))
        #expect(at("start 3") > at("end 1") && at("start 3") > at("end 2"))
    }

    @Test func aCycleIsFoundWithItsEdgesInOrder() {
        typealias E = NotebookGraph.Edge
        let edges = [E(kind: .imports, from: 0, to: 1, line: 3), E(kind: .embeds, from: 1, to: 2, line: 5),
                     E(kind: .imports, from: 2, to: 1, line: 7), E(kind: .imports, from: 3, to: 0, line: 1)]
        let cycle = NotebookGraph.cycle(edges, count: 4)
        #expect(cycle?.map { [$0.from, $0.to] } == [[1, 2], [2, 1]])
        #expect(NotebookGraph.cycle(Array(edges.prefix(2)) + [edges[3]], count: 4) == nil)
    }
}
