import Compute
import Foundation

/// Collects a figure's marks: `Figure { Line(…); Scatter(…) }`.
@resultBuilder
public enum FigureBuilder {
    public static func buildExpression(_ mark: any Mark) -> [any Mark] { [mark] }
    public static func buildExpression(_ marks: [any Mark]) -> [any Mark] { marks }
    public static func buildBlock(_ parts: [any Mark]...) -> [any Mark] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Mark]?) -> [any Mark] { part ?? [] }
    public static func buildEither(first: [any Mark]) -> [any Mark] { first }
    public static func buildEither(second: [any Mark]) -> [any Mark] { second }
    public static func buildArray(_ parts: [[any Mark]]) -> [any Mark] { parts.flatMap { $0 } }
}

/// The style a series gets from its position: colour, stroke pattern and marker shape all cycle,
/// so series differ in more than colour.
public struct SeriesStyle: Sendable {
    public var index: Int
    public var stroke: Stroke
    public var marker: MarkerShape

    /// The style of the `n`th series (from 0).
    static func cycled(_ n: Int) -> SeriesStyle {
        SeriesStyle(index: n % 8 + 1, stroke: Stroke.cycle[n % 4], marker: MarkerShape.cycle[n % 6])
    }
}

/// Where a figure's legend goes.
public enum LegendPlacement: Sendable, Hashable {
    case automatic, topLeft, topRight, bottomLeft, bottomRight, outside, none
}

/// Where things go while a figure is drawn.
public struct DrawContext {
    public struct Rect { public var left, top, right, bottom: Double }
    public var plot: Rect
    var xScale: Scale
    var yScale: Scale
    public var series: SeriesStyle
    /// Whether the series has filled marks (bars, areas) drawn already, under this one.
    public var seriesFilled = false
    /// What the marks cover, in pixels: where the legend should not go.
    var covered: [Footprint] = []
    /// Tooltips of marks whose points are not elements of their own (areas, error bars, arrows,
    /// contour lines, heatmap cells): `x,y,text` in pixels, for the page's script.
    var tips: [String] = []
    var svg = ""
    /// Points that could not be drawn (NaN, ∞, non-positive on a log axis).
    public var skipped = 0

    /// Part of the plot a mark covers, in pixels.
    public enum Footprint: Sendable {
        case point(Double, Double)
        case segment(Double, Double, Double, Double)
        case rect(left: Double, top: Double, right: Double, bottom: Double)

        /// Whether it reaches into `r` (a segment is sampled every few pixels).
        func touches(_ r: Rect) -> Bool {
            func inside(_ x: Double, _ y: Double) -> Bool { x >= r.left && x <= r.right && y >= r.top && y <= r.bottom }
            switch self {
            case .point(let x, let y): return inside(x, y)
            case .segment(let x1, let y1, let x2, let y2):
                if max(x1, x2) < r.left || min(x1, x2) > r.right || max(y1, y2) < r.top || min(y1, y2) > r.bottom { return false }
                let steps = max(1, Int((abs(x2 - x1) + abs(y2 - y1)) / 3))
                return (0...steps).contains { i in let t = Double(i) / Double(steps); return inside(x1 + t * (x2 - x1), y1 + t * (y2 - y1)) }
            case .rect(let left, let top, let right, let bottom):
                return left <= r.right && right >= r.left && top <= r.bottom && bottom >= r.top
            }
        }
    }

    /// A tooltip at (px, py) for the page (at most `SVG.tooltipLimit` per figure).
    public mutating func tip(_ px: Double, _ py: Double, _ text: String) {
        guard tips.count < SVG.tooltipLimit else { return }
        tips.append(SVG.num(px) + "," + SVG.num(py) + "," + text.replacingOccurrences(of: "|", with: "¦"))
    }

    /// Records that a mark covers `footprint`, so the legend avoids it.
    public mutating func cover(_ footprint: Footprint) { covered.append(footprint) }

    public func x(_ v: Double) -> Double { xScale(v) }
    public func y(_ v: Double) -> Double { yScale(v) }
    public func accepts(_ x: Double, _ y: Double) -> Bool { xScale.accepts(x) && yScale.accepts(y) }
    func point(_ x: Double, _ y: Double) -> String { SVG.num(xScale(x)) + "," + SVG.num(yScale(y)) }
}

/// A chart: marks on a pair of scales, with axes, a title, labels and a legend, drawn as one
/// self-contained SVG (no fonts, no scripts). Shown inline when it is a cell's last value or is
/// passed to `display(_:)`.
///
/// ```swift
/// Figure(title: "Noise grows like √n") {
///     Scatter(x: ns, y: norms, label: "measured")
///     Line(x: ns, y: ns.map { $0.squareRoot() }, label: "√n")
/// }
/// .xScale(.log10).yScale(.log10).xLabel("terms n").yLabel("noise norm")
/// ```
public struct Figure {
    public var marks: [any Mark]
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScaleKind: ScaleKind = .linear
    public var yScaleKind: ScaleKind = .linear
    public var xDomain: ClosedRange<Double>?
    public var yDomain: ClosedRange<Double>?
    public var width: Double = 640
    public var height: Double = 400
    /// Text for screen readers (`<desc>`); a summary of the marks by default.
    public var summary: String?
    /// A colour bar for heatmaps (set by `Heatmap`).
    var colorBar: (ClosedRange<Double>, ColorMap)?
    /// Where the legend goes (`.legend(…)`).
    public var legendPlacement: LegendPlacement = .automatic
    /// Marks measured on a second y axis, at the right (`.rightAxis(…) {…}`).
    var rightAxis: RightAxis?
    struct RightAxis {
        var label: String?
        var scaleKind: ScaleKind
        var domain: ClosedRange<Double>?
        var marks: [any Mark]
    }
    /// Drawn as a panel of `Panels`: where, its number, and the styles the panels share.
    var panel: Panel?
    struct Panel {
        var x: Double, y: Double
        var index: Int
        /// Category (a mark's `series`, else its `label`) → style, the same in every panel.
        var styles: [String: SeriesStyle]
    }
    /// Ticks placed by hand (value, label), replacing the computed ones.
    public var customXTicks: [(Double, String)]?
    public var customYTicks: [(Double, String)]?

    public init(title: String? = nil, width: Double = 640, height: Double = 400, @FigureBuilder _ marks: () -> [any Mark]) {
        self.title = title
        self.width = width
        self.height = height
        self.marks = marks()
    }

    public func xLabel(_ s: String) -> Figure { var f = self; f.xLabel = s; return f }
    public func yLabel(_ s: String) -> Figure { var f = self; f.yLabel = s; return f }
    public func xScale(_ k: ScaleKind) -> Figure { var f = self; f.xScaleKind = k; return f }
    public func yScale(_ k: ScaleKind) -> Figure { var f = self; f.yScaleKind = k; return f }
    public func xDomain(_ d: ClosedRange<Double>) -> Figure { var f = self; f.xDomain = d; return f }
    public func yDomain(_ d: ClosedRange<Double>) -> Figure { var f = self; f.yDomain = d; return f }
    public func size(width: Double, height: Double) -> Figure { var f = self; f.width = width; f.height = height; return f }
    public func describe(_ s: String) -> Figure { var f = self; f.summary = s; return f }
    /// A second y axis at the right, for `marks` measured in other units (a loss and an accuracy
    /// over the same steps): its own scale and ticks; its marks' legend entries say "(right)".
    public func rightAxis(label: String? = nil, scale: ScaleKind = .linear, domain: ClosedRange<Double>? = nil,
                          @FigureBuilder _ marks: () -> [any Mark]) -> Figure {
        var f = self
        f.rightAxis = RightAxis(label: label, scaleKind: scale, domain: domain, marks: marks())
        return f
    }
    /// Where the legend goes: `.automatic` (the corner of the plot that covers the fewest marks),
    /// a corner, `.outside` (right of the plot, which narrows to make room), or `.none`.
    public func legend(_ placement: LegendPlacement) -> Figure { var f = self; f.legendPlacement = placement; return f }
    /// Ticks at `values` with `labels` (default: the values written out) on the x axis.
    public func xTicks(_ values: [Double], labels: [String]? = nil) -> Figure {
        var f = self; f.customXTicks = Array(zip(values, labels ?? Ticks.labels(values))); return f
    }
    public func yTicks(_ values: [Double], labels: [String]? = nil) -> Figure {
        var f = self; f.customYTicks = Array(zip(values, labels ?? Ticks.labels(values))); return f
    }

    /// Problems met while drawing (skipped points), for the notebook to show.
    public var warnings: [String] { render().warnings }

    /// The SVG text.
    public var svg: String { render().svg }

    /// The data's extent over all marks, before rounding to a nice domain.
    func dataExtent() -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        let left = Self.extent(of: marks, xScale: xScaleKind, yScale: yScaleKind)
        let right = rightAxis.map { Self.extent(of: $0.marks, xScale: xScaleKind, yScale: $0.scaleKind) }
        let x = [left.x, right?.x].compactMap { $0 }
        return (x.isEmpty ? nil : x.map(\.lowerBound).min()!...x.map(\.upperBound).max()!, left.y)
    }

    static func extent(of marks: [any Mark], xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        var xs: ClosedRange<Double>?, ys: ClosedRange<Double>?
        for m in marks {
            let e = m.extent(xScale: xScale, yScale: yScale)
            if let x = e.x { xs = xs.map { min($0.lowerBound, x.lowerBound)...max($0.upperBound, x.upperBound) } ?? x }
            if let y = e.y { ys = ys.map { min($0.lowerBound, y.lowerBound)...max($0.upperBound, y.upperBound) } ?? y }
        }
        return (xs, ys)
    }

    /// The legend's key of a mark: its category; in a panel, its label too (one legend for all panels).
    func legendKey(_ m: any Mark) -> String? { m.series ?? (panel == nil ? nil : m.label) }

    func render() -> (svg: String, warnings: [String]) {
        let r = renderWithLegend()
        return (r.svg, r.warnings)
    }

    func renderWithLegend() -> (svg: String, warnings: [String], legend: [LegendEntry]) {
        // A contour's colours need their bar as a heatmap's do.
        let colorBar = self.colorBar ?? marks.lazy.compactMap { ($0 as? Contour)?.colorBar }.first
        let (xs, ys) = dataExtent()
        let xd = xDomain ?? Scale.niceDomain(xs?.lowerBound ?? 0, xs?.upperBound ?? 1, kind: xScaleKind)
        let yd = yDomain ?? Scale.niceDomain(ys?.lowerBound ?? 0, ys?.upperBound ?? 1, kind: yScaleKind)

        // A panel's legend is the whole figure's, drawn once beside the panels.
        let allMarks = marks + (rightAxis?.marks ?? [])
        let labelled = panel == nil && legendPlacement != .none && allMarks.contains { ($0.label != nil || $0.series != nil) && $0.isSeries }
        let legendNames = allMarks.filter(\.isSeries).compactMap { $0.series ?? $0.label }.map { $0 + (rightAxis == nil ? "" : " (right)") }
        let legendSize = (width: min(220, 34 + 7.2 * Double(legendNames.map(\.count).max() ?? 0)),
                          height: 8 + 18 * Double(Set(allMarks.compactMap(\.series)).count + allMarks.filter { $0.isSeries && $0.series == nil && $0.label != nil }.count))
        let outside = labelled && legendPlacement == .outside
        let left = 64.0 + (yLabel == nil ? 0 : 16)
        let right = width - 16 - (colorBar == nil ? 0 : 70) - (outside ? legendSize.width + 8 : 0)
            - (rightAxis == nil ? 0 : 48 + (rightAxis?.label == nil ? 0 : 16))
        let top = 16.0 + (title == nil ? 0 : 26)
        let bottom = height - 40 - (xLabel == nil ? 0 : 18)
        let plot = DrawContext.Rect(left: left, top: top, right: right, bottom: bottom)
        let xScale = Scale(kind: xScaleKind, domain: xd, range: left...right, reversed: false)
        let yScale = Scale(kind: yScaleKind, domain: yd, range: top...bottom, reversed: true)

        var out = ""
        let desc = summary ?? defaultSummary()
        if let panel {
            out += "<svg class=\"fp-panel\" x=\"\(SVG.num(panel.x))\" y=\"\(SVG.num(panel.y))\" viewBox=\"0 0 \(SVG.num(width)) \(SVG.num(height))\" width=\"\(SVG.num(width))\" height=\"\(SVG.num(height))\">\n"
        } else {
            out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"folio-plot\" viewBox=\"0 0 \(SVG.num(width)) \(SVG.num(height))\" width=\"\(SVG.num(width))\" height=\"\(SVG.num(height))\" role=\"img\" aria-label=\"\(SVG.escape(title ?? "Figure"))\">\n"
            out += "<title>\(SVG.escape(title ?? "Figure"))</title>\n<desc>\(SVG.escape(desc))</desc>\n"
            out += SVG.style
        }
        if let title { out += "<text class=\"fp-title\" x=\"\(SVG.num(width / 2))\" y=\"22\" text-anchor=\"middle\">\(SVG.escape(title))</text>\n" }

        // Grid and ticks.
        var xt = xScale.ticks(count: max(3, Int((right - left) / 90)))
        var yt = yScale.ticks(count: max(3, Int((bottom - top) / 60)))
        if let c = customXTicks { xt = (c.map(\.0), c.map(\.1), []) }
        if let c = customYTicks { yt = (c.map(\.0), c.map(\.1), []) }
        var grid = "", axis = ""
        for (v, label) in zip(xt.major, xt.labels) {
            let px = SVG.num(xScale(v))
            grid += "M\(px),\(SVG.num(top))V\(SVG.num(bottom))"
            axis += "<text x=\"\(px)\" y=\"\(SVG.num(bottom + 16))\" text-anchor=\"middle\">\(SVG.escape(label))</text>"
        }
        for (v, label) in zip(yt.major, yt.labels) {
            let py = SVG.num(yScale(v))
            grid += "M\(SVG.num(left)),\(py)H\(SVG.num(right))"
            axis += "<text x=\"\(SVG.num(left - 6))\" y=\"\(SVG.num(yScale(v) + 4))\" text-anchor=\"end\">\(SVG.escape(label))</text>"
        }
        var minor = ""
        for v in xt.minor { minor += "M\(SVG.num(xScale(v))),\(SVG.num(bottom))v4" }
        for v in yt.minor { minor += "M\(SVG.num(left)),\(SVG.num(yScale(v)))h-4" }
        if !grid.isEmpty { out += "<path class=\"fp-grid\" d=\"\(grid)\"/>\n" }
        out += "<rect class=\"fp-frame\" x=\"\(SVG.num(left))\" y=\"\(SVG.num(top))\" width=\"\(SVG.num(right - left))\" height=\"\(SVG.num(bottom - top))\"/>\n"
        if !minor.isEmpty { out += "<path class=\"fp-minor\" d=\"\(minor)\"/>\n" }
        out += "<g class=\"fp-axis\">\(axis)</g>\n"
        if let xLabel { out += "<text class=\"fp-label\" x=\"\(SVG.num((left + right) / 2))\" y=\"\(SVG.num(height - 10))\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>\n" }
        if let yLabel { out += "<text class=\"fp-label\" transform=\"translate(16 \(SVG.num((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(yLabel))</text>\n" }
        // The second axis: its own scale, ticks at the right edge, its label beyond them.
        var rightScale: Scale?
        if let axis = rightAxis {
            let ys = Self.extent(of: axis.marks, xScale: xScaleKind, yScale: axis.scaleKind).y
            let domain = axis.domain ?? Scale.niceDomain(ys?.lowerBound ?? 0, ys?.upperBound ?? 1, kind: axis.scaleKind)
            let scale = Scale(kind: axis.scaleKind, domain: domain, range: top...bottom, reversed: true)
            let ticks = scale.ticks(count: max(3, Int((bottom - top) / 60)))
            var labels = "", marks = ""
            for (v, label) in zip(ticks.major, ticks.labels) {
                marks += "M\(SVG.num(right)),\(SVG.num(scale(v)))h5"
                labels += "<text x=\"\(SVG.num(right + 8))\" y=\"\(SVG.num(scale(v) + 4))\" text-anchor=\"start\">\(SVG.escape(label))</text>"
            }
            out += "<path class=\"fp-minor\" d=\"\(marks)\"/>\n<g class=\"fp-axis fp-axis-right\">\(labels)</g>\n"
            if let label = axis.label {
                out += "<text class=\"fp-label\" transform=\"translate(\(SVG.num(right + 56)) \(SVG.num((top + bottom) / 2))) rotate(90)\" text-anchor=\"middle\">\(SVG.escape(label))</text>\n"
            }
            rightScale = scale
        }

        // Marks, clipped to the plotting area. The clip id is derived from the content, so the
        // output is deterministic and two figures on a page do not share one.
        var ctx = DrawContext(plot: plot, xScale: xScale, yScale: yScale, series: SeriesStyle(index: 1, stroke: .solid, marker: .circle))
        // A category's style, given by its first mark (or by the panels); a mark of no category
        // gets a style of its own.
        var categories = panel?.styles ?? [:]
        var seriesIndex = categories.count
        var legend: [LegendEntry] = []
        for (n, m) in allMarks.enumerated() {
            // Marks of the second axis are measured on its scale, and say so in the legend.
            let onRight = n >= marks.count
            ctx.yScale = onRight ? rightScale ?? yScale : yScale
            let key = legendKey(m).map { onRight ? $0 + " (right)" : $0 }
            if m.isSeries {
                if let key, let style = categories[key] {
                    ctx.series = style
                } else {
                    ctx.series = SeriesStyle.cycled(seriesIndex)
                    seriesIndex += 1
                    if let key { categories[key] = ctx.series }
                }
            }
            // Error bars over a category's bars are drawn dark, or the bar's own colour would hide them.
            ctx.seriesFilled = key.map { name in legend.contains { $0.category == name && $0.glyphs.contains(.swatch) } } ?? false
            m.draw(&ctx)
            guard m.isSeries, let glyph = LegendEntry.Glyph(m, ctx.series) else { continue }
            if let key, let i = legend.firstIndex(where: { $0.category == key }) {
                if !legend[i].glyphs.contains(glyph) { legend[i].glyphs.append(glyph) }
            } else if let text = key ?? m.label.map({ onRight ? $0 + " (right)" : $0 }) {
                legend.append(LegendEntry(text: text, category: key, style: ctx.series, glyphs: [glyph]))
            }
        }
        if let panel {
            // The panel's letter, as a caption names it: (a), (b)…
            out += "<text class=\"fp-panel-label\" x=\"8\" y=\"20\">(\(Panels.letter(panel.index)))</text>\n"
        }
        let clipID = "fpclip" + (panel.map { "p\($0.index)" } ?? "") + SVG.hash(ctx.svg + desc)
        out += "<clipPath id=\"\(clipID)\"><rect x=\"\(SVG.num(left))\" y=\"\(SVG.num(top))\" width=\"\(SVG.num(right - left))\" height=\"\(SVG.num(bottom - top))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#\(clipID))\">\n\(ctx.svg)</g>\n"
        if !ctx.tips.isEmpty { out += "<g class=\"fp-tips\" data-tips=\"\(SVG.escape(ctx.tips.joined(separator: "|")))\"></g>\n" }
        if labelled {
            let corner = outside ? (x: right + 8, y: top) : legendCorner(legendSize, plot: plot, covered: ctx.covered)
            out += legendSVG(legend, x0: corner.x, y0: corner.y, width: legendSize.width)
        }
        if let (range, map) = colorBar { out += SVG.colorBar(range: range, map: map, x: right + 18, top: top, bottom: bottom) }
        out += "</svg>"
        var warnings: [String] = []
        if ctx.skipped > 0 {
            let what = xScaleKind != .linear || yScaleKind != .linear ? "NaN, infinite or non-positive (log axis)" : "NaN or infinite"
            warnings.append("Figure\(title.map { " “\($0)”" } ?? ""): \(ctx.skipped) point\(ctx.skipped == 1 ? " was" : "s were") \(what) and left out")
        }
        return (out, warnings, legend)
    }

    /// One line of the legend: a category (every mark of it drawn over one another: a line with
    /// its marker) or one labelled mark.
    struct LegendEntry {
        enum Glyph: Equatable {
            case line(Stroke), marker(MarkerShape), swatch, errorBar

            init?(_ mark: any Mark, _ style: SeriesStyle) {
                switch mark {
                case let line as Line: self = .line(line.stroke ?? style.stroke)
                case let scatter as Scatter: self = .marker(scatter.shape ?? style.marker)
                case is ErrorBar: self = .errorBar
                default: self = .swatch
                }
            }
        }
        var text: String
        var category: String?
        var style: SeriesStyle
        var glyphs: [Glyph]
    }

    /// The legend's top-left corner inside the plot: the placement asked for, or (automatic) the
    /// corner whose box covers the fewest marks, top right first among equals.
    func legendCorner(_ size: (width: Double, height: Double), plot: DrawContext.Rect, covered: [DrawContext.Footprint]) -> (x: Double, y: Double) {
        let margin = 8.0
        let corners: [LegendPlacement: (x: Double, y: Double)] = [
            .topRight: (plot.right - size.width - margin, plot.top + margin), .topLeft: (plot.left + margin, plot.top + margin),
            .bottomRight: (plot.right - size.width - margin, plot.bottom - size.height - margin),
            .bottomLeft: (plot.left + margin, plot.bottom - size.height - margin),
        ]
        if let chosen = corners[legendPlacement] { return chosen }
        var best = (placement: LegendPlacement.topRight, count: Int.max)
        for placement in [LegendPlacement.topRight, .topLeft, .bottomRight, .bottomLeft] {
            let c = corners[placement]!
            // A few pixels around the box: a marker just outside it still reads as crowded.
            let box = DrawContext.Rect(left: c.x - 4, top: c.y - 4, right: c.x + size.width + 4, bottom: c.y + size.height + 4)
            let count = covered.lazy.filter { $0.touches(box) }.count
            if count < best.count { best = (placement, count) }
            if count == 0 { break }
        }
        return corners[best.placement]!
    }

    func legendSVG(_ entries: [LegendEntry], x0: Double, y0: Double, width w: Double) -> String {
        let h = 8 + 18 * Double(entries.count)
        var s = "<g class=\"fp-legend\"><rect class=\"fp-legend-bg\" x=\"\(SVG.num(x0))\" y=\"\(SVG.num(y0))\" width=\"\(SVG.num(w))\" height=\"\(SVG.num(h))\" rx=\"4\"/>"
        for (i, e) in entries.enumerated() {
            let cy = y0 + 13 + 18 * Double(i)
            let style = e.style
            // Swatches first, then lines and error bars, then markers on top, as the marks stack.
            for glyph in e.glyphs where glyph == .swatch {
                s += "<rect class=\"fp-swatch fp-s\(style.index)\" x=\"\(SVG.num(x0 + 8))\" y=\"\(SVG.num(cy - 5))\" width=\"16\" height=\"10\"/>"
            }
            for case .line(let stroke) in e.glyphs {
                let dash = stroke.dashArray.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                s += "<path class=\"fp-line fp-s\(style.index)\" d=\"M\(SVG.num(x0 + 6)),\(SVG.num(cy))h20\" stroke-width=\"2\"\(dash)/>"
            }
            if e.glyphs.contains(.errorBar) {
                s += "<path class=\"fp-errorbar fp-s\(style.index)\" d=\"M\(SVG.num(x0 + 16)),\(SVG.num(cy - 6))v12M\(SVG.num(x0 + 13)),\(SVG.num(cy - 6))h6M\(SVG.num(x0 + 13)),\(SVG.num(cy + 6))h6\"/>"
            }
            for case .marker(let shape) in e.glyphs {
                s += "<g class=\"fp-point fp-s\(style.index)\">\(SVG.marker(shape, cx: x0 + 16, cy: cy, r: 3.5))</g>"
            }
            s += "<text x=\"\(SVG.num(x0 + 30))\" y=\"\(SVG.num(cy + 4))\">\(SVG.escape(e.text))</text>"
        }
        return s + "</g>\n"
    }

    func defaultSummary() -> String {
        var parts: [String] = []
        for m in marks {
            let kind = String(describing: type(of: m))
            parts.append(m.label.map { "\(kind.lowercased()) “\($0)”" } ?? kind.lowercased())
        }
        var s = "Chart with " + (parts.isEmpty ? "no marks" : parts.joined(separator: ", "))
        if let xLabel { s += "; x: \(xLabel)" + (xScaleKind == .linear ? "" : " (log scale)") }
        if let yLabel { s += "; y: \(yLabel)" + (yScaleKind == .linear ? "" : " (log scale)") }
        return s + "."
    }
}
