import Foundation
import Testing
@testable import Folio

/// Parsing must stay linear on inputs modelled on cmark's pathological tests. Rather than a
/// wall-clock limit (those live in `make bench`), each input is parsed at size n and 4n: linear
/// work takes about 4× as long, quadratic about 16×; more than 10× fails. The best of three runs
/// of each size: other suites run at the same time, and one slow run once read as 8.6×.
@Suite(.serialized) struct PathologicalTests {
    static let inputs: [(String, (Int) -> String)] = [
        ("dollar runs", { String(repeating: "$a ", count: $0) }),
        ("backslash-paren runs", { String(repeating: "\\(", count: $0) }),
        ("inline math", { String(repeating: "$x_1^2 + y$ ", count: $0) }),
        ("citation-like brackets", { String(repeating: "[@a ", count: $0) }),
        ("at signs", { String(repeating: "@fig-", count: $0) }),
        ("pipes", { String(repeating: "|", count: $0) + "\n" }),
        ("table rows", { "| a | b |\n|---|---|\n" + String(repeating: "| 1 | 2 |\n", count: $0 / 4) }),
        ("backtick runs", { n in (1...Int(Double(n).squareRoot())).map { String(repeating: "`", count: $0) + "a" }.joined() }),
    ]

    static func seconds(_ text: String) throws -> Double {
        let start = ContinuousClock.now
        _ = try NotebookParser.parse(text: text, path: "p.md", relativePath: "p.md")
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    @Test(arguments: inputs.map(\.0))
    func parsingIsLinear(_ name: String) throws {
        let make = Self.inputs.first { $0.0 == name }!.1
        let n = 12_000
        _ = try Self.seconds(make(n))  // warm up
        let small = try (0..<3).map { _ in try Self.seconds(make(n)) }.min()!
        let large = try (0..<3).map { _ in try Self.seconds(make(4 * n)) }.min()!
        #expect(large / max(small, 1e-4) < 10, "\(name): 4× the input took \(large / small)× the time")
    }
}

/// swift-syntax's lookahead is exponential in the depth of nested `[` (the markdown fuzz target
/// found a 30-deep cell that never finished highlighting). SwiftSource parses deep brackets as
/// parentheses; a parse that has not finished after 20 s fails the test instead of hanging it.
@Suite struct DeepBracketTests {
    final class Box<T>: @unchecked Sendable { var value: T? }

    static func withDeadline<T: Sendable>(_ seconds: Double, _ work: @escaping @Sendable () -> T) -> T? {
        let box = Box<T>(), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { box.value = work(); done.signal() }
        return done.wait(timeout: .now() + seconds) == .success ? box.value : nil
    }

    @Test func deeplyNestedArraysHighlightAndClassify() throws {
        let literal = String(repeating: "[", count: 40) + "1" + String(repeating: "]", count: 40)
        let code = "let deep = \(literal)\nprint(deep)\n"
        let html = try #require(Self.withDeadline(20) { SwiftHighlighter.highlight(code) }, "highlighting did not finish")
        #expect(html.hasPrefix("<span class=\"hl-k\">let</span> deep = "))
        #expect(html.contains(String(repeating: "[", count: 40) + "<span class=\"hl-n\">1</span>" + String(repeating: "]", count: 40)),
                "the brackets shown are the notebook's, not the parser's")
        let items = try #require(Self.withDeadline(20) { SwiftSource.parse(code).statements.count })
        #expect(items == 2)
        #expect(SwiftSource.bracketDepth(Array(code.utf8)) == 40)
    }
}
