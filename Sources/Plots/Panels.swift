import Foundation

/// Collects the panels of `Panels { Figure {…}; Figure {…} }`.
@resultBuilder
public enum PanelBuilder {
    public static func buildExpression(_ figure: Figure) -> [Figure] { [figure] }
    public static func buildExpression(_ figures: [Figure]) -> [Figure] { figures }
    public static func buildBlock(_ parts: [Figure]...) -> [Figure] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Figure]?) -> [Figure] { part ?? [] }
    public static func buildEither(first: [Figure]) -> [Figure] { first }
    public static func buildEither(second: [Figure]) -> [Figure] { second }
    public static func buildArray(_ parts: [[Figure]]) -> [Figure] { parts.flatMap { $0 } }
}

/// Figures side by side as one figure (one SVG, one caption, one number when its cell is
/// labelled): a grid of panels lettered (a), (b)… in reading order, with one legend under all
/// of them — a category (`series:`, or a label) has the same colour and marker in every panel —
/// and axes shared across the panels or each panel's own.
///
/// ```swift
/// Panels(columns: 2, sharedY: true) {
///     Figure(title: "train") { Line(x: steps, y: trainLoss, series: "loss") }
///     Figure(title: "test") { Line(x: steps, y: testLoss, series: "loss") }
/// }
/// ```
public struct Panels {
    public var figures: [Figure]
    public var columns: Int
    public var title: String?
    /// One x (y) domain for every panel: the union of their data, so panels compare at a glance.
    public var sharedX: Bool, sharedY: Bool
    public var width: Double
    public var panelHeight: Double

    public init(columns: Int = 2, title: String? = nil, sharedX: Bool = false, sharedY: Bool = false, width: Double = 640,
                panelHeight: Double = 260, @PanelBuilder _ figures: () -> [Figure]) {
        self.figures = figures()
        self.columns = max(1, columns)
        self.title = title
        self.sharedX = sharedX; self.sharedY = sharedY
        self.width = width; self.panelHeight = panelHeight
    }

    /// `(a)` for the first panel, `(b)` for the second…
    static func letter(_ index: Int) -> String {
        index < 26 ? String(UnicodeScalar(UInt8(97 + index))) : "\(index + 1)"
    }

    public var svg: String { render().svg }
    public var warnings: [String] { render().warnings }

    func render() -> (svg: String, warnings: [String]) {
        // Every category in order of first appearance, over all panels: one style each.
        var styles: [String: SeriesStyle] = [:]
        for f in figures {
            for m in f.marks where m.isSeries {
                if let key = m.series ?? m.label, styles[key] == nil { styles[key] = SeriesStyle.cycled(styles.count) }
            }
        }
        func union(_ ranges: [ClosedRange<Double>?]) -> ClosedRange<Double>? {
            let known = ranges.compactMap { $0 }
            guard let lo = known.map(\.lowerBound).min(), let hi = known.map(\.upperBound).max() else { return nil }
            return lo...hi
        }
        let extents = figures.map { $0.dataExtent() }
        let xUnion = union(extents.map(\.x)), yUnion = union(extents.map(\.y))

        // The legend goes under the panels, so they keep the whole width.
        let legendNames = styles.keys.sorted()
        let legendWidth = min(220, 34 + 7.2 * Double(legendNames.map(\.count).max() ?? 0))
        let legendHeight = legendNames.isEmpty ? 0 : 8 + 18 * Double(legendNames.count) + 8
        let top = title == nil ? 0.0 : 30
        let rows = (figures.count + columns - 1) / columns
        let panelWidth = width / Double(columns)
        let height = top + Double(rows) * panelHeight + legendHeight

        var body = "", warnings: [String] = []
        var legend: [Figure.LegendEntry] = []
        for (i, var f) in figures.enumerated() {
            f.width = panelWidth
            f.height = panelHeight
            if sharedX, f.xDomain == nil, let x = xUnion { f.xDomain = Scale.niceDomain(x.lowerBound, x.upperBound, kind: f.xScaleKind) }
            if sharedY, f.yDomain == nil, let y = yUnion { f.yDomain = Scale.niceDomain(y.lowerBound, y.upperBound, kind: f.yScaleKind) }
            f.panel = Figure.Panel(x: Double(i % columns) * panelWidth, y: top + Double(i / columns) * panelHeight, index: i, styles: styles)
            let r = f.renderWithLegend()
            body += r.svg + "\n"
            warnings += r.warnings.map { "panel (\(Self.letter(i))): \($0)" }
            for entry in r.legend {
                if let j = legend.firstIndex(where: { $0.category == entry.category }) {
                    for g in entry.glyphs where !legend[j].glyphs.contains(g) { legend[j].glyphs.append(g) }
                } else {
                    legend.append(entry)
                }
            }
        }
        let name = title ?? "Figure of \(figures.count) panels"
        let summary = "\(figures.count) panels: " + figures.enumerated().map { "(\(Self.letter($0.offset))) \($0.element.title ?? "untitled")" }.joined(separator: "; ") + "."
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"folio-plot fp-panels\" viewBox=\"0 0 \(SVG.num(width)) \(SVG.num(height))\" width=\"\(SVG.num(width))\" height=\"\(SVG.num(height))\" role=\"img\" aria-label=\"\(SVG.escape(name))\">\n"
        out += "<title>\(SVG.escape(name))</title>\n<desc>\(SVG.escape(summary))</desc>\n" + SVG.style
        if let title { out += "<text class=\"fp-title\" x=\"\(SVG.num(width / 2))\" y=\"22\" text-anchor=\"middle\">\(SVG.escape(title))</text>\n" }
        out += body
        if !legend.isEmpty {
            let any = figures.first ?? Figure { }
            out += any.legendSVG(legend, x0: 16, y0: top + Double(rows) * panelHeight, width: legendWidth)
        }
        return (out + "</svg>", warnings)
    }
}

extension Panels {
    /// One panel per value of a category (facets), in the order given, each titled with its value
    /// unless its figure has a title: `Panels.facets(["train", "test"], sharedY: true) { split in Figure {…} }`.
    public static func facets<T: CustomStringConvertible>(_ values: [T], columns: Int = 2, title: String? = nil, sharedX: Bool = false,
                                                         sharedY: Bool = false, width: Double = 640, panelHeight: Double = 260,
                                                         _ panel: (T) -> Figure) -> Panels {
        let figures = values.map { value -> Figure in
            var f = panel(value)
            if f.title == nil { f.title = value.description }
            return f
        }
        return Panels(columns: columns, title: title, sharedX: sharedX, sharedY: sharedY, width: width, panelHeight: panelHeight) { figures }
    }
}

extension Figure {
    /// `rows` × `cols` panels as one figure (see `Panels`); the figures fill it row by row.
    public static func grid(rows: Int, cols: Int, title: String? = nil, sharedX: Bool = false, sharedY: Bool = false,
                            width: Double = 640, height: Double? = nil, @PanelBuilder _ figures: () -> [Figure]) -> Panels {
        let panels = figures()
        precondition(panels.count <= rows * cols, "Figure.grid: \(panels.count) panels do not fit \(rows) × \(cols)")
        return Panels(columns: cols, title: title, sharedX: sharedX, sharedY: sharedY, width: width,
                      panelHeight: ((height ?? Double(rows) * 260) - (title == nil ? 0 : 30)) / Double(rows)) { panels }
    }
}
