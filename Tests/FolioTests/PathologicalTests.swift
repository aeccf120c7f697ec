import Foundation
import Testing
@testable import Folio

/// Parsing must stay linear on inputs modelled on cmark's pathological tests. Rather than a
/// wall-clock limit (those live in `make bench`), each input is parsed at size n and 4n: linear
/// work takes about 4× as long, quadratic about 16×; more than 8× fails.
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
        let n = 20_000
        _ = try Self.seconds(make(n))  // warm up
        let small = try (0..<3).map { _ in try Self.seconds(make(n)) }.min()!
        let large = try (0..<3).map { _ in try Self.seconds(make(4 * n)) }.min()!
        #expect(large / max(small, 1e-4) < 8, "\(name): 4× the input took \(large / small)× the time")
    }
}
