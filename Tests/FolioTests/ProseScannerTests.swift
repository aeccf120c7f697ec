import Testing
@testable import Folio

@Suite struct ProseScannerTests {
    func spans(_ s: String) -> [String] { ProseScanner.scan(s).spans.map { ($0.display ? "D:" : "I:") + $0.tex } }

    @Test func delimiters() {
        #expect(spans("a $x^2$ b") == ["I:x^2"])
        #expect(spans("$$\\int_0^1 f$$") == ["D:\\int_0^1 f"])
        #expect(spans("\\(a_1\\) and \\[b\\]") == ["I:a_1", "D:b"])
        #expect(spans("$$\na\nb\n$$") == ["D:\na\nb\n"])
    }

    @Test func pandocDollarRules() {
        #expect(spans("$5 and $6") == [])
        #expect(spans("costs $5, or $ 6") == [])
        // By the same rules this one is math: `$5, or $ 6$` opens at `$5` and closes at `6$`.
        #expect(spans("costs $5, or $ 6$") == ["I:5, or $ 6"])
        #expect(spans("$x $") == [])
        #expect(spans("$x$5") == [])
        #expect(spans("a \\$5 b") == [])
    }

    @Test func codeIsNeverMath() {
        #expect(spans("`$x$` and $y$") == ["I:y"])
        #expect(spans("``a ` $x$ ``") == [])
        #expect(spans("```\n$x$\n```\n$y$") == ["I:y"])
        #expect(spans("~~~~\n$x$\n~~~~") == [])
        #expect(spans("para\n\n    $indented$\n") == [])
    }

    /// Found by fuzzing: after an escaped backtick the rest of the run was a run length the
    /// pre-pass never recorded, and the scanner trapped.
    @Test func escapedBacktickBeforeARun() {
        #expect(spans("\\```d $x$\n```\n\\[\n") == ["I:x"])
        #expect(spans("\\`` `$y$` ``") == ["I:y"])  // as cmark: `\`` is text, then a code span of one space
    }

    @Test func emphasisInsideMathIsUntouched() {
        let r = ProseScanner.scan("$a*b*c_1_2$")
        #expect(r.spans.first?.tex == "a*b*c_1_2")
        #expect(!r.text.contains("*"))
    }

    @Test func lineMapFollowsMultiLineFormulas() {
        let r = ProseScanner.scan("x\n$$\na\nb\n$$\ny\n```\ncode\n```", firstLine: 10)
        let lines = r.text.split(separator: "\n", omittingEmptySubsequences: false)
        let codeLine = lines.firstIndex(of: "code")! + 1
        #expect(r.originalLine(codeLine) == 17)
    }

    @Test func pathologicalInputsStayLinear() {
        // Runs that would be quadratic with naive closer searches.
        let dollars = String(repeating: "$a ", count: 50_000)
        let ticks = (1...300).map { String(repeating: "`", count: $0) + "x" }.joined()
        let start = ContinuousClock.now
        _ = ProseScanner.scan(dollars)
        _ = ProseScanner.scan(ticks)
        _ = ProseScanner.scan(String(repeating: "\\(", count: 50_000))
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
