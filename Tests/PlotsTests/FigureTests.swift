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
        // Coordinates are; the values kept for tooltips (`data-points`) are exact.
        let svg = Figure { Line(x: [0, 1.0 / 3], y: [0, 2.0 / 3]) }.svg
        let d = svg.components(separatedBy: "class=\"fp-line fp-s1\" d=\"").last?.prefix { $0 != "\"" } ?? ""
        #expect(!d.isEmpty && !d.contains("0.33333"))
        #expect(svg.contains("data-points=\"0,0 0.3333333333333333,0.6666666666666666\""))
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

/// `series:` — one category, one style and one legend entry, whatever marks draw it.
@Suite struct SeriesEncodingTests {
    /// An element's `class` (FoundationXML names attributes of a namespaced document oddly).
    func cls(_ e: XMLElement) -> String {
        e.attributes?.first { $0.localName == "class" || $0.name == "class" }?.stringValue ?? ""
    }

    /// The sweep summary's defect: a series with a single point showed in the legend with the
    /// colour and marker of another series. Each category's point now matches its legend entry.
    @Test func aSinglePointSeriesLooksLikeItsLegendEntry() throws {
        let svg = Figure(title: "Sweep") {
            for (name, points) in [("alpha=0.1", [(1.0, 2.0), (2.0, 3.0)]), ("alpha=0.2", [(1.5, 2.5)]), ("alpha=0.3", [(1.0, 1.0), (3.0, 2.0)])] {
                Line(x: points.map(\.0), y: points.map(\.1), series: name)
                Scatter(x: points.map(\.0), y: points.map(\.1), series: name)
            }
        }.svg
        let doc = try XMLDocument(data: Data(svg.utf8))
        let legend = try doc.nodes(forXPath: "//*[local-name()='g'][@class='fp-legend']").first as? XMLElement
        let texts = try #require(legend).children?.compactMap { ($0 as? XMLElement)?.name == "text" ? $0.stringValue : nil } ?? []
        #expect(texts == ["alpha=0.1", "alpha=0.2", "alpha=0.3"], "one entry per category")
        // In the plot: three point groups, each a series class and a marker shape.
        let plotted = try doc.nodes(forXPath: "//*[local-name()='g'][@clip-path]/*[local-name()='g'][contains(@class,'fp-point')]")
            .compactMap { $0 as? XMLElement }.map { (cls($0), ($0.children?.first as? XMLElement)?.name ?? "") }
        let keyed = try #require(legend).children?.compactMap { $0 as? XMLElement }.filter { $0.name == "g" }
            .map { (cls($0), ($0.children?.first as? XMLElement)?.name ?? "") } ?? []
        #expect(plotted.count == 3 && keyed.count == 3)
        for (p, k) in zip(plotted, keyed) {
            #expect(p.0 == k.0 && p.1 == k.1, "plotted \(p), legend \(k)")
        }
        // The lines take the same classes as their points.
        let lines = try doc.nodes(forXPath: "//*[local-name()='g'][@clip-path]/*[local-name()='path'][contains(@class,'fp-line')]")
            .compactMap { ($0 as? XMLElement).map(cls) }
        #expect(lines == plotted.map { $0.0.replacingOccurrences(of: "fp-point", with: "fp-line") })
        // A legend line for each category, drawn with its marker on top.
        #expect(svg.components(separatedBy: "<path class=\"fp-line fp-s").count - 1 == lines.count + 3)
    }

    /// Monte-Carlo estimates with ± one standard error, counts with an asymmetric interval,
    /// and an x uncertainty: a golden (re-record with RECORD_GOLDEN=1).
    @Test func errorBarsMatchTheirGoldenAndTheirSeries() throws {
        let figure = Figure(title: "Estimates") {
            Scatter(x: [1, 2, 3, 4], y: [1.1, 1.9, 3.2, 3.9], series: "estimate")
            ErrorBar(x: [1, 2, 3, 4], y: [1.1, 1.9, 3.2, 3.9], yError: [0.2, 0.3, 0.25, 0.4], series: "estimate")
            Bar(x: [6, 7], height: [2, 3], series: "counts")
            ErrorBar(x: [6, 7], y: [2, 3], yBelow: [0.5, 1], yAbove: [1, 0.5], series: "counts")
            ErrorBar(x: [2.5], y: [5], xError: [0.5], label: "onset ± width")
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/error-bars.svg")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil { try figure.svg.write(to: url, atomically: true, encoding: .utf8) }
        #expect(figure.svg == (try String(contentsOf: url, encoding: .utf8)))
        // The bars reach the interval's ends: the y axis covers 3.9 + 0.4 and 2 − 0.5.
        let (x, y) = ErrorBar(x: [6, 7], y: [2, 3], yBelow: [0.5, 1], yAbove: [1, 0.5]).extent(xScale: .linear, yScale: .linear)
        #expect(x == 6...7 && y == 1.5...3.5)
        // Each category's error bars take its points' or bars' colour.
        let svg = figure.svg
        let plot = svg[svg.range(of: "clip-path=")!.lowerBound...]
        #expect(plot.contains("<g class=\"fp-point fp-s1\">") && plot.contains("<path class=\"fp-errorbar fp-s1\""))
        #expect(plot.contains("<g class=\"fp-bar fp-s2\" data-series=\"counts\">") && plot.contains("<path class=\"fp-errorbar fp-s2 fp-on-fill\""))
        #expect(plot.contains("<path class=\"fp-errorbar fp-s3\""))
        // Their intervals, for the tooltips: symmetric, asymmetric, along x.
        let tips = svg.components(separatedBy: "data-tips=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
        #expect(tips.contains(",estimate: x = 1, y = 1.1 ± 0.2"))
        #expect(tips.contains(",counts: x = 6, y = 2 (−0.5, +1)"))
        #expect(tips.contains(",onset ± width: x = 2.5 ± 0.5, y = 5"))
    }

    @Test func aLinesOwnStrokeIsTheOneItsLegendShows() {
        let svg = Figure { Line(x: [1, 2], y: [1, 2], label: "dashed", stroke: .dashed) }.svg
        let legend = svg[svg.range(of: "fp-legend")!.lowerBound...]
        #expect(legend.contains("stroke-dasharray=\"6 3\""))
    }
}

/// `.legend(…)`: automatic placement keeps the legend off the data when a corner is free.
@Suite struct LegendPlacementTests {
    /// The legend's background box: x, y, width, height.
    func legendBox(_ svg: String) -> (Double, Double, Double, Double)? {
        guard let r = svg.range(of: "<rect class=\"fp-legend-bg\" ") else { return nil }
        let tag = svg[r.upperBound...].prefix { $0 != ">" }
        func value(_ name: String) -> Double? {
            guard let a = tag.range(of: "\(name)=\"") else { return nil }
            return Double(tag[a.upperBound...].prefix { $0 != "\"" })
        }
        guard let x = value("x"), let y = value("y"), let w = value("width"), let h = value("height") else { return nil }
        return (x, y, w, h)
    }

    @Test(arguments: [("rising", [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]), ("falling", [10.0, 9, 8, 7, 6, 5, 4, 3, 2, 1]),
                      ("valley", [10.0, 6, 3, 1, 0, 0, 1, 3, 6, 10]), ("hill", [0.0, 4, 7, 9, 10, 10, 9, 7, 4, 0])])
    func automaticPlacementCoversNoPoint(_ shape: String, _ ys: [Double]) throws {
        let xs = (1...10).map(Double.init)
        let figure = Figure { Scatter(x: xs, y: ys, label: "data \(shape)") }
        let svg = figure.svg
        let (x, y, w, h) = try #require(legendBox(svg))
        // Every point's centre, from the drawn markers, lies outside the legend's box.
        var centres: [(Double, Double)] = []
        var rest = Substring(svg[svg.range(of: "clip-path=\"url")!.lowerBound...])
        while let c = rest.range(of: "<circle cx=\"") {
            let after = rest[c.upperBound...]
            let cx = Double(after.prefix { $0 != "\"" })!
            let cyStart = after.range(of: "cy=\"")!.upperBound
            centres.append((cx, Double(after[cyStart...].prefix { $0 != "\"" })!))
            rest = after
        }
        #expect(centres.count >= 10)
        for (cx, cy) in centres.prefix(10) { #expect(!(cx >= x && cx <= x + w && cy >= y && cy <= y + h), "\(shape): point (\(cx), \(cy)) under the legend") }
    }

    @Test func outsideNarrowsThePlotAndNoneDrawsNoLegend() throws {
        let marks = { Figure { Line(x: [0, 1], y: [0, 1], label: "a fairly long series name") } }
        let inside = marks().svg, outside = marks().legend(.outside).svg
        let frame = { (svg: String) -> Double in
            let r = svg.range(of: "<rect class=\"fp-frame\" ")!
            let tag = svg[r.upperBound...]
            return Double(tag[tag.range(of: "width=\"")!.upperBound...].prefix { $0 != "\"" })!
        }
        #expect(frame(outside) < frame(inside) - 100)
        let (x, _, _, _) = try #require(legendBox(outside))
        #expect(x > 640 - 16 - 230)
        #expect(!marks().legend(.none).svg.contains("<g class=\"fp-legend\""))
        let (bx, by, _, _) = try #require(legendBox(marks().legend(.bottomLeft).svg))
        #expect(bx < 100 && by > 250)
    }
}

/// `Contour`: marching squares, joined, labelled, with a colour bar.
@Suite struct ContourTests {
    let grid = stride(from: -2.0, through: 2.0, by: 0.1).map { $0 }

    /// z = x² + y²: the level r² is the circle of radius r; every vertex of its line lies on it to
    /// within the interpolation error of a 0.1 grid (linear interpolation of r² across a cell:
    /// at most h²/4 in r², so under 0.01 in r for r ≥ 0.5).
    @Test func levelsOfAParaboloidAreCircles() {
        let bowl = Contour(x: grid, y: grid, levels: [0.25, 1, 2.25]) { x, y in x * x + y * y }
        for (level, r) in [(0.25, 0.5), (1.0, 1.0), (2.25, 1.5)] {
            let lines = bowl.polylines(at: level)
            #expect(lines.count == 1, "level \(level): one closed line, got \(lines.count)")
            let line = lines[0]
            #expect(line.count > 20)
            #expect(line.first!.edge == line.last!.edge, "the circle closes")
            for p in line { #expect(abs(hypot(p.x, p.y) - r) < 0.01, "level \(level): (\(p.x), \(p.y)) is \(hypot(p.x, p.y)) from the centre") }
        }
    }

    /// A saddle (z = x·y) at level 0: the two axes, never a cross-cut through the saddle's cell.
    @Test func aSaddleAtItsLevelGivesTheAxes() {
        let saddle = Contour(x: [-1, 0.5, 1], y: [-1, 0.5, 1], levels: [0.01]) { x, y in x * y }
        for line in saddle.polylines(at: 0.01) {
            for p in line { #expect(p.x * p.y >= -1e-9, "a point of the line lies where x·y < 0: (\(p.x), \(p.y))") }
        }
    }

    @Test func matchesItsGoldenWithAColourBarAndLabels() throws {
        // Two minima at (±1, 0) and a saddle between them.
        let figure = Figure(title: "A loss with two minima") {
            Contour(x: grid, y: grid, levels: [0.1, 0.5, 1, 2, 4, 8]) { x, y in (x * x - 1) * (x * x - 1) + y * y }
            Scatter(x: [-1, 1], y: [0, 0], label: "minima")
        }.xLabel("w₁").yLabel("w₂")
        let svg = figure.svg
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/contour.svg")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil { try svg.write(to: url, atomically: true, encoding: .utf8) }
        #expect(svg == (try String(contentsOf: url, encoding: .utf8)))
        #expect(svg.contains("<g class=\"fp-colorbar\">"))
        #expect(svg.components(separatedBy: "<path class=\"fp-contour\"").count - 1 >= 5)
        #expect(svg.components(separatedBy: "<text class=\"fp-contour-label\"").count - 1 >= 5)
        _ = try XMLDocument(data: Data(svg.utf8))
    }
}

/// Stacked and grouped bars, a vector field and an annotation with its arrow.
@Suite struct MoreMarksTests {
    @Test func stackedBarsStartWhereTheOnesBelowEnd() {
        let marks = Bar.stacked(x: [1, 2], [("a", [1, 2]), ("b", [3, 1]), ("c", [0.5, 0.5])])
        let bars = marks.compactMap { $0 as? Bar }
        #expect(bars.map(\.base) == [[0, 0], [1, 2], [4, 3]])
        #expect(bars.map(\.series) == ["a", "b", "c"])
        // The y axis reaches the top of the stack.
        #expect(bars[2].extent(xScale: .linear, yScale: .linear).y == 0...4.5)
    }

    @Test func groupedBarsSitSideBySideWithinTheGap() {
        let bars = Bar.grouped(x: [1, 2, 3], [("a", [1, 1, 1]), ("b", [2, 2, 2])]).compactMap { $0 as? Bar }
        #expect(bars.count == 2)
        #expect(abs(bars[0].x[0] - 0.8) < 1e-12 && abs(bars[1].x[0] - 1.2) < 1e-12)
        #expect(bars.allSatisfy { abs(($0.width ?? 0) - 0.368) < 1e-12 })
    }

    @Test func marksMatchTheirGolden() throws {
        let grid = stride(from: -1.0, through: 1.0, by: 0.25).map { $0 }
        let figure = Figure(title: "A rotation field, stacked counts") {
            Quiver(x: grid, y: grid) { x, y in (-y, x) }
            Annotation("the fixed point", x: 0, y: 0)
            Bar.stacked(x: [1.5, 1.75], [("first", [0.3, 0.5]), ("second", [0.4, 0.2])], width: 0.2)
        }
        let svg = figure.svg
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/more-marks.svg")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil { try svg.write(to: url, atomically: true, encoding: .utf8) }
        #expect(svg == (try String(contentsOf: url, encoding: .utf8)))
        // The longest arrows (the grid's corners) are 28 px; the centre's is none.
        #expect(svg.contains("<path class=\"fp-quiver fp-s1\""))
        #expect(svg.contains(",at (1, 0.5): (-0.5, 1)|"), "each arrow's tooltip: where it starts and the vector")
        #expect(svg.contains("<g class=\"fp-annotation\">") && svg.contains(">the fixed point</text>"))
        _ = try XMLDocument(data: Data(svg.utf8))
    }

    @Test func quiverArrowsKeepTheirDirectionAndTheLongestIsItsLength() {
        let q = Quiver(x: [0, 1], y: [0, 0], u: [1, 0], v: [0, 2], longest: 30)
        let svg = Figure { q }.xDomain(-1...2).yDomain(-1...1).svg
        let d = svg.components(separatedBy: "class=\"fp-quiver fp-s1\" d=\"").last!.prefix { $0 != "\"" }
        // Shafts: "Mx,yLx,y" at the start of each arrow.
        let shafts = d.split(separator: "M").enumerated().filter { $0.offset % 2 == 0 }.map { $0.element }
        let lengths = shafts.map { part -> (Double, Double) in
            let nums = part.split(whereSeparator: { $0 == "," || $0 == "L" }).compactMap { Double($0) }
            return (nums[2] - nums[0], nums[3] - nums[1])
        }
        #expect(lengths.count == 2)
        #expect(abs(hypot(lengths[1].0, lengths[1].1) - 30) < 0.02, "the longest arrow: \(lengths)")
        #expect(lengths[0].1 == 0 && lengths[0].0 > 0, "the first points right")
        #expect(abs(lengths[1].0) < 0.02 && lengths[1].1 < 0, "the second points up (pixels grow down)")
    }
}

/// `Panels` / `Figure.grid`: one SVG, lettered panels, one legend, shared or free axes.
@Suite struct PanelsTests {
    func panels(sharedY: Bool) -> Panels {
        Figure.grid(rows: 2, cols: 2, title: "Training", sharedY: sharedY) {
            Figure(title: "small") { Line(x: [0, 1, 2], y: [3, 2, 1.5], series: "train"); Line(x: [0, 1, 2], y: [3, 2.5, 2.2], series: "test") }
            Figure(title: "large") { Line(x: [0, 1, 2], y: [9, 4, 2], series: "train"); Line(x: [0, 1, 2], y: [9, 6, 5], series: "test") }
            Figure(title: "estimates") {
                Scatter(x: [1, 2], y: [2, 3], series: "train")
                ErrorBar(x: [1, 2], y: [2, 3], yError: [0.5, 0.4], series: "train")
            }
            Figure(title: "field") { Quiver(x: [0, 1], y: [0, 1], u: [1, 0], v: [0, 1]) }
        }
    }

    /// The y tick labels of panel `k`, in order.
    func yTicks(_ svg: String, panel k: Int) -> [String] {
        let part = svg.components(separatedBy: "<svg class=\"fp-panel\"")[k + 1]
        let axis = part.components(separatedBy: "<g class=\"fp-axis\">")[1].components(separatedBy: "</g>")[0]
        return axis.components(separatedBy: "text-anchor=\"end\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test func onePictureLetteredPanelsOneLegendOneStylePerCategory() throws {
        let svg = panels(sharedY: false).svg
        _ = try XMLDocument(data: Data(svg.utf8))
        #expect(svg.components(separatedBy: "<svg class=\"fp-panel\"").count - 1 == 4)
        for letter in ["(a)", "(b)", "(c)", "(d)"] { #expect(svg.contains(">\(letter)</text>")) }
        #expect(svg.components(separatedBy: "<g class=\"fp-legend\">").count - 1 == 1, "one legend for the figure")
        // "train" is the first category everywhere: its line in (a) and (b), its points in (c).
        // (Two lines in the panels, one in the legend.)
        #expect(svg.components(separatedBy: "class=\"fp-line fp-s1\" d=").count - 1 == 3)
        #expect(svg.contains("<g class=\"fp-point fp-s1\" data-series=\"train\">"))
        #expect(svg.components(separatedBy: "class=\"fp-line fp-s2\" d=").count - 1 == 3)
        // Free axes: each panel's own; shared: the same ticks in every panel with data.
        #expect(yTicks(svg, panel: 0) != yTicks(svg, panel: 1))
        let shared = panels(sharedY: true).svg
        #expect(yTicks(shared, panel: 0) == yTicks(shared, panel: 1) && yTicks(shared, panel: 1) == yTicks(shared, panel: 2))
        // Clip ids differ between panels even for the same content.
        let ids = shared.components(separatedBy: "<clipPath id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(Set(ids).count == 4)
    }

    @Test func matchesItsGolden() throws {
        let svg = panels(sharedY: true).svg
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/panels.svg")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil { try svg.write(to: url, atomically: true, encoding: .utf8) }
        #expect(svg == (try String(contentsOf: url, encoding: .utf8)))
    }
}

/// A second y axis, and facets.
@Suite struct AxesAndFacetsTests {
    @Test func aRightAxisMeasuresItsOwnMarks() throws {
        let f = Figure { Line(x: [0, 10], y: [0, 1], label: "loss") }
            .rightAxis(label: "accuracy (%)", domain: 0...100) { Scatter(x: [5], y: [50], label: "accuracy", shape: .circle) }
        let svg = f.svg
        _ = try XMLDocument(data: Data(svg.utf8))
        #expect(svg.contains("<g class=\"fp-axis fp-axis-right\">") && svg.contains(">accuracy (%)</text>"))
        #expect(svg.contains(">100</text>") && svg.contains(">accuracy (right)</text>"))
        // 50 on the right axis (0…100) is halfway up, as 0.5 is on the left (0…1).
        let cy = try #require(Double(svg.components(separatedBy: "data-x=\"5\"").first!.components(separatedBy: "cy=\"").last!.prefix { $0 != "\"" }))
        let frame = svg.components(separatedBy: "<rect class=\"fp-frame\" ")[1]
        func attr(_ name: String) -> Double { Double(frame.components(separatedBy: "\(name)=\"")[1].prefix { $0 != "\"" })! }
        #expect(abs(cy - (attr("y") + attr("height") / 2)) < 0.01, "cy \(cy)")
    }

    @Test func groupedBarsAndARightAxisMatchTheirGolden() throws {
        let svg = Figure(title: "Accuracy by model, and its cost") {
            Bar.grouped(x: [1, 2, 3], [("train", [0.91, 0.95, 0.97]), ("test", [0.88, 0.90, 0.89])])
        }
        .rightAxis(label: "seconds") { Line(x: [1, 2, 3], y: [12, 40, 160], label: "training time") }
        .yLabel("accuracy").svg
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/grouped-right-axis.svg")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil { try svg.write(to: url, atomically: true, encoding: .utf8) }
        #expect(svg == (try String(contentsOf: url, encoding: .utf8)))
        // A histogram's bins carry their edges and counts for the tooltips.
        let hist = Figure { Histogram([0.1, 0.2, 0.2, 0.9], bins: 2, range: 0...1, label: "h") }.svg
        #expect(hist.contains("data-x=\"0–0.5\" data-y=\"3\"") && hist.contains("data-x=\"0.5–1\" data-y=\"1\""))
    }

    @Test func facetsTitleEachPanelWithItsValue() {
        let svg = Panels.facets([1, 2, 3], columns: 3, sharedY: true) { k in
            Figure { Line(x: [0, 1], y: [0, Double(k)], series: "k·x") }
        }.svg
        for k in 1...3 { #expect(svg.contains("text-anchor=\"middle\">\(k)</text>")) }
        #expect(svg.components(separatedBy: "<svg class=\"fp-panel\"").count - 1 == 3)
    }
}

extension ContourTests {
    /// The area of path data made of closed polygons (`M…L…Z`), by the shoelace formula.
    static func area(_ d: String) -> Double {
        d.split(separator: "M").reduce(0.0) { total, polygon in
            let points = polygon.dropLast().split(separator: "L").map { p -> (Double, Double) in
                let xy = p.split(separator: ",").compactMap { Double($0) }
                return (xy[0], xy[1])
            }
            let twice = zip(points, points.dropFirst() + points.prefix(1)).reduce(0.0) { $0 + $1.0.0 * $1.1.1 - $1.1.0 * $1.0.1 }
            return total + abs(twice) / 2
        }
    }

    /// Filled bands: the region z = x² + y² ≥ 1 on [-2, 2]² is the square less the unit disc,
    /// 16 − π, to within the grid's resolution; ≥ 0 is the whole square.
    @Test func filledRegionsHaveTheRightArea() {
        let bowl = Contour(x: grid, y: grid, levels: [1], filled: true) { x, y in x * x + y * y }
        let scale = Scale(kind: .linear, domain: -2...2, range: 0...400, reversed: false)
        let ctx = DrawContext(plot: .init(left: 0, top: 0, right: 400, bottom: 400), xScale: scale, yScale: scale,
                              series: SeriesStyle.cycled(0))
        let outside = Self.area(bowl.region(atLeast: 1, ctx)) / 10_000
        #expect(abs(outside - (16 - Double.pi)) < 0.02, "area \(outside)")
        #expect(abs(Self.area(bowl.region(atLeast: 0, ctx)) / 10_000 - 16) < 1e-9)
        let svg = Figure { bowl }.svg
        #expect(svg.components(separatedBy: "<path fill=\"").count - 1 == 2, "two bands")
        #expect(svg.contains("fp-contour fp-contour-on-fill"))
    }

    @Test func filledContoursMatchTheirGolden() throws {
        let svg = Figure(title: "Filled bands of a loss with two minima") {
            Contour(x: grid, y: grid, levels: [0.1, 0.5, 1, 2, 4, 8], filled: true) { x, y in (x * x - 1) * (x * x - 1) + y * y }
        }.svg
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/contour-filled.svg")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil { try svg.write(to: url, atomically: true, encoding: .utf8) }
        #expect(svg == (try String(contentsOf: url, encoding: .utf8)))
        _ = try XMLDocument(data: Data(svg.utf8))
    }
}
