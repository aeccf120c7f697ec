import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Compute
@testable import Plots

@Suite struct FigureTests {
    func everyMark() -> Figure {
        Figure(title: "All <marks> & \"quotes\"") {
            Line(x: [1, 2, 3], y: [1, 4, 9], label: "line <1>")
            Scatter(x: [1, 2, 3], y: [2, 3, 4], label: "points")
            Bar(x: [1, 2, 3], height: [1, 2, 1], label: "bars")
            Histogram([0.1, 0.2, 0.2, 0.9], bins: 4, label: "hist")
            Area(x: [1, 2, 3], low: [0, 0, 0], high: [1, 2, 3], label: "area")
            Rule(y: 2, label: "rule & co")
            Rule(x: 2)
            Text("note <b>", x: 2, y: 5)
        }.xLabel("x <axis>").yLabel("y")
    }

    func parse(_ svg: String) throws -> XMLDocument {
        try XMLDocument(data: Data(svg.utf8))
    }

    @Test func svgIsWellFormedAccessibleAndEscaped() throws {
        let svg = everyMark().svg
        let doc = try parse(svg)
        let root = try #require(doc.rootElement())
        #expect(root.name == "svg")
        #expect(root.attributes?.first { $0.localName == "role" || $0.name == "role" }?.stringValue == "img")
        #expect(try doc.nodes(forXPath: "/*[local-name()='svg']/*[local-name()='title']").first?.stringValue == "All <marks> & \"quotes\"")
        #expect(try !doc.nodes(forXPath: "//*[local-name()='desc']").isEmpty)
        #expect(!svg.contains("<marks>") && !svg.contains("<b>"))
        #expect(!svg.contains("<script") && !svg.contains("href=\"http"))
    }

    @Test func sameInputSameBytes() {
        #expect(everyMark().svg == everyMark().svg)
    }

    @Test func coordinatesAreRounded() {
        let svg = Figure { Line(x: [0, 1.0 / 3], y: [0, 2.0 / 3]) }.svg
        #expect(!svg.contains("0.33333"))
    }

    @Test func nonFiniteValuesAreSkippedWithAWarning() throws {
        let f = Figure { Line(x: [1, 2, 3, 4], y: [1, .nan, .infinity, 2]) }
        _ = try parse(f.svg)
        #expect(f.warnings.count == 1)
        #expect(f.warnings[0].contains("2 points"))
        let log = Figure { Scatter(x: [1, 10, 0, -5], y: [1, 2, 3, 4]) }.xScale(.log10)
        _ = try parse(log.svg)
        #expect(log.warnings.first?.contains("non-positive") == true)
        #expect(Figure { Line(x: [Double.nan], y: [Double.nan]) }.svg.hasSuffix("</svg>"))
    }

    @Test func heatmapAndTable() throws {
        let m = Matrix([[1, 2], [3, 4]])
        let f = Figure.heatmap(m, title: "H")
        _ = try parse(f.svg)
        #expect(f.svg.components(separatedBy: "<rect x=").count >= 5)
        let t = Table(.init("n", [1, 2]), .init("name", ["<a>", "b"]))
        #expect(t.html.contains("&lt;a&gt;"))
        #expect(t.rowCount == 2)
    }

    /// A golden SVG: any change to layout, ticks or styling shows up as a diff to review
    /// (re-record with RECORD_GOLDEN=1).
    @Test func matchesGoldenSVG() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/every-mark.svg")
        let svg = everyMark().svg
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try svg.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(svg == (try String(contentsOf: url, encoding: .utf8)))
        let log = Figure { Scatter(x: [1, 10, 100, 1000], y: [0.001, 0.01, 0.1, 1]) }.xScale(.log10).yScale(.log2)
        _ = try parse(log.svg)
    }
}
