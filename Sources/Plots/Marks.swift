import Foundation

/// Something drawn in a figure's plotting area.
public protocol Mark {
    /// Data extents in x and y (nil: the mark does not constrain that axis).
    func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?)
    /// Draws the mark; `style` is the series style assigned to it.
    func draw(_ ctx: inout DrawContext)
    /// The label shown in the legend, if any.
    var label: String? { get }
    /// Whether the mark takes a series colour (rules and text do not).
    var isSeries: Bool { get }
    /// The category the mark belongs to (`series: "control"`): every mark of one category gets
    /// the same colour, stroke and marker, and the category one legend entry. Nil: a series of
    /// its own, named in the legend by its `label`.
    var series: String? { get }
}

extension Mark {
    public var isSeries: Bool { true }
    public var series: String? { nil }
}

/// Line patterns, so series stay distinct in print and for colour-blind readers.
public enum Stroke: Sendable {
    case solid, dashed, dotted, dashDot
    var dashArray: String? {
        switch self {
        case .solid: return nil
        case .dashed: return "6 3"
        case .dotted: return "1.5 3"
        case .dashDot: return "7 3 1.5 3"
        }
    }
    static let cycle: [Stroke] = [.solid, .dashed, .dotted, .dashDot]
}

/// Marker shapes for scatter series.
public enum MarkerShape: Sendable {
    case circle, square, triangle, diamond, cross, plus
    static let cycle: [MarkerShape] = [.circle, .square, .triangle, .diamond, .cross, .plus]
}

func extent<S: Sequence>(_ values: S, _ kind: ScaleKind) -> ClosedRange<Double>? where S.Element == Double {
    var lo = Double.infinity, hi = -Double.infinity
    for v in values where v.isFinite && (kind == .linear || v > 0) {
        lo = min(lo, v); hi = max(hi, v)
    }
    return lo <= hi ? lo...hi : nil
}

/// A polyline through (x, y) points in order. Non-finite points break the line.
public struct Line: Mark {
    public var x: [Double], y: [Double]
    public var label: String?
    public var stroke: Stroke?
    public var width: Double
    public var series: String?

    public init<X: Sequence, Y: Sequence>(x: X, y: Y, label: String? = nil, stroke: Stroke? = nil, width: Double = 2, series: String? = nil)
    where X.Element == Double, Y.Element == Double {
        self.x = Array(x); self.y = Array(y); self.label = label; self.stroke = stroke; self.width = width; self.series = series
        precondition(self.x.count == self.y.count, "Line: \(self.x.count) x values and \(self.y.count) y values")
    }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (Plots.extent(x, xScale), Plots.extent(y, yScale))
    }

    public func draw(_ ctx: inout DrawContext) {
        var d = ""
        var pen = false
        var last: (Double, Double)?
        // The values of the vertices, in the order of `d`, for the page's tooltips.
        var values: [String] = []
        let carries = x.count <= SVG.tooltipLimit
        for i in x.indices {
            guard ctx.accepts(x[i], y[i]) else { pen = false; last = nil; ctx.skipped += 1; continue }
            d += (pen ? "L" : "M") + ctx.point(x[i], y[i])
            if carries { values.append(SVG.datum(x[i]) + "," + SVG.datum(y[i])) }
            let p = (ctx.x(x[i]), ctx.y(y[i]))
            ctx.cover(last.map { .segment($0.0, $0.1, p.0, p.1) } ?? .point(p.0, p.1))
            last = p
            pen = true
        }
        guard !d.isEmpty else { return }
        let dash = (stroke ?? ctx.series.stroke).dashArray.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        let data = carries ? " data-points=\"\(values.joined(separator: " "))\"" + SVG.seriesAttribute(series ?? label) : ""
        ctx.svg += "<path class=\"fp-line fp-s\(ctx.series.index)\" d=\"\(d)\" stroke-width=\"\(SVG.num(width))\"\(dash)\(data)/>\n"
    }
}

/// Points at (x, y), drawn with the series' marker shape.
public struct Scatter: Mark {
    public var x: [Double], y: [Double]
    public var label: String?
    public var size: Double
    public var shape: MarkerShape?
    public var series: String?

    public init<X: Sequence, Y: Sequence>(x: X, y: Y, label: String? = nil, size: Double = 3.5, shape: MarkerShape? = nil, series: String? = nil)
    where X.Element == Double, Y.Element == Double {
        self.x = Array(x); self.y = Array(y); self.label = label; self.size = size; self.shape = shape; self.series = series
        precondition(self.x.count == self.y.count, "Scatter: \(self.x.count) x values and \(self.y.count) y values")
    }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (Plots.extent(x, xScale), Plots.extent(y, yScale))
    }

    public func draw(_ ctx: inout DrawContext) {
        let shape = self.shape ?? ctx.series.marker
        var body = ""
        let carries = x.count <= SVG.tooltipLimit
        for i in x.indices {
            guard ctx.accepts(x[i], y[i]) else { ctx.skipped += 1; continue }
            let data = carries ? " data-x=\"\(SVG.datum(x[i]))\" data-y=\"\(SVG.datum(y[i]))\"" : ""
            body += SVG.marker(shape, cx: ctx.x(x[i]), cy: ctx.y(y[i]), r: size, data: data)
            ctx.cover(.rect(left: ctx.x(x[i]) - size, top: ctx.y(y[i]) - size, right: ctx.x(x[i]) + size, bottom: ctx.y(y[i]) + size))
        }
        guard !body.isEmpty else { return }
        ctx.svg += "<g class=\"fp-point fp-s\(ctx.series.index)\"\(carries ? SVG.seriesAttribute(series ?? label) : "")>\(body)</g>\n"
    }
}

/// Bars from a baseline (0, or the axis bottom on log scales; `base` per bar when stacked) up
/// to `base + height`.
public struct Bar: Mark {
    public var x: [Double], height: [Double]
    public var label: String?
    /// Bar width in data units (default: 80% of the smallest gap between x values).
    public var width: Double?
    public var series: String?
    /// Where each bar starts (stacked bars start on the ones below); nil: the axis.
    public var base: [Double]?

    public init<X: Sequence, Y: Sequence>(x: X, height: Y, label: String? = nil, width: Double? = nil, series: String? = nil, base: [Double]? = nil)
    where X.Element == Double, Y.Element == Double {
        self.x = Array(x); self.height = Array(height); self.label = label; self.width = width; self.series = series; self.base = base
        precondition(self.x.count == self.height.count, "Bar: \(self.x.count) x values and \(self.height.count) heights")
        if let base { precondition(base.count == self.x.count, "Bar: \(self.x.count) x values and \(base.count) bases") }
    }

    /// Bars of several series stacked at each x, one series on top of the one before; each
    /// series a category (its colour and legend entry).
    public static func stacked(x: [Double], _ series: [(name: String, heights: [Double])], width: Double? = nil) -> [any Mark] {
        var below = [Double](repeating: 0, count: x.count)
        return series.map { s in
            defer { for i in below.indices where i < s.heights.count { below[i] += s.heights[i] } }
            return Bar(x: x, height: s.heights, width: width, series: s.name, base: below)
        }
    }

    /// Bars of several series side by side at each x, the group 80% of the smallest gap wide.
    public static func grouped(x: [Double], _ series: [(name: String, heights: [Double])]) -> [any Mark] {
        let sorted = x.filter(\.isFinite).sorted()
        let gap = zip(sorted.dropFirst(), sorted).map { $0 - $1 }.filter { $0 > 0 }.min() ?? 1
        let each = 0.8 * gap / Double(max(1, series.count))
        return series.enumerated().map { k, s in
            let offset = (Double(k) - Double(series.count - 1) / 2) * each
            return Bar(x: x.map { $0 + offset }, height: s.heights, width: each * 0.92, series: s.name)
        }
    }

    var barWidth: Double {
        if let width { return width }
        let s = x.filter(\.isFinite).sorted()
        let gaps = zip(s.dropFirst(), s).map { $0 - $1 }.filter { $0 > 0 }
        return 0.8 * (gaps.min() ?? 1)
    }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        let w = xScale == .linear ? barWidth / 2 : 0
        let xs = Plots.extent(x, xScale).map { ($0.lowerBound - w)...($0.upperBound + w) }
        let bases = base ?? [Double](repeating: 0, count: x.count)
        let ys = Plots.extent(zip(bases, height).map { $0 + $1 } + (base ?? []) + (yScale == .linear ? [0] : []), yScale)
        return (xs, ys)
    }

    public func draw(_ ctx: inout DrawContext) {
        let w = barWidth / 2
        // On a log x axis a width in data units means nothing: use 80% of the smallest pixel gap.
        let pixels = x.filter { ctx.xScale.accepts($0) }.map { ctx.x($0) }.sorted()
        let pixelGap = zip(pixels.dropFirst(), pixels).map { $0 - $1 }.filter { $0 > 0 }.min() ?? 20
        var body = ""
        for i in x.indices {
            let from = self.base?[i] ?? 0
            guard ctx.accepts(x[i], from + height[i]) else { ctx.skipped += 1; continue }
            let base = self.base != nil && ctx.yScale.accepts(from) ? ctx.y(from) : ctx.yScale.kind == .linear ? ctx.y(0) : ctx.plot.bottom
            let top = ctx.y(from + height[i])
            let linear = ctx.xScale.kind == .linear
            let left = linear ? ctx.x(x[i] - w) : ctx.x(x[i]) - 0.4 * pixelGap
            let right = linear ? ctx.x(x[i] + w) : ctx.x(x[i]) + 0.4 * pixelGap
            let data = x.count <= SVG.tooltipLimit ? " data-x=\"\(SVG.datum(x[i]))\" data-y=\"\(SVG.datum(height[i]))\"" : ""
            body += "<rect x=\"\(SVG.num(min(left, right)))\" y=\"\(SVG.num(min(top, base)))\" width=\"\(SVG.num(abs(right - left)))\" height=\"\(SVG.num(abs(base - top)))\"\(data)/>"
            ctx.cover(.rect(left: min(left, right), top: min(top, base), right: max(left, right), bottom: max(top, base)))
        }
        ctx.svg += "<g class=\"fp-bar fp-s\(ctx.series.index)\"\(x.count <= SVG.tooltipLimit ? SVG.seriesAttribute(series ?? label) : "")>\(body)</g>\n"
    }
}

/// A histogram of `values` in `bins` equal bins (counts, or a density that integrates to 1).
public struct Histogram: Mark {
    public var edges: [Double]
    public var heights: [Double]
    public var label: String?
    public var skippedValues: Int

    public init<S: Sequence>(_ values: S, bins: Int = 30, range: ClosedRange<Double>? = nil, density: Bool = false, label: String? = nil)
    where S.Element == Double {
        let finite = values.filter(\.isFinite)
        skippedValues = Array(values).count - finite.count
        let lo = range?.lowerBound ?? finite.min() ?? 0, hi = range?.upperBound ?? finite.max() ?? 1
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= lo && v <= hi { counts[min(bins - 1, Int((v - lo) / width))] += 1 }
        if density {
            let total = counts.reduce(0, +)
            if total > 0 { counts = counts.map { $0 / (total * width) } }
        }
        edges = (0...bins).map { lo + Double($0) * width }
        heights = counts
        self.label = label
    }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (Plots.extent(edges, xScale), Plots.extent(heights + [0], yScale))
    }

    public func draw(_ ctx: inout DrawContext) {
        ctx.skipped += skippedValues
        var body = ""
        for i in heights.indices where heights[i] > 0 {
            guard ctx.accepts(edges[i], heights[i]), ctx.accepts(edges[i + 1], heights[i]) else { continue }
            let l = ctx.x(edges[i]), r = ctx.x(edges[i + 1]), t = ctx.y(heights[i])
            let base = ctx.yScale.kind == .linear ? ctx.y(0) : ctx.plot.bottom
            // The tooltip names the bin by its edges and gives its count (or density).
            let data = heights.count <= SVG.tooltipLimit ? " data-x=\"\(SVG.datum(edges[i]))–\(SVG.datum(edges[i + 1]))\" data-y=\"\(SVG.datum(heights[i]))\"" : ""
            body += "<rect x=\"\(SVG.num(l))\" y=\"\(SVG.num(t))\" width=\"\(SVG.num(max(0, r - l)))\" height=\"\(SVG.num(max(0, base - t)))\"\(data)/>"
            ctx.cover(.rect(left: l, top: min(t, base), right: r, bottom: max(t, base)))
        }
        ctx.svg += "<g class=\"fp-hist fp-s\(ctx.series.index)\"\(SVG.seriesAttribute(label))>\(body)</g>\n"
    }
}

/// A filled band between `low` and `high` (or between 0 and `y`).
public struct Area: Mark {
    public var x: [Double], low: [Double], high: [Double]
    public var label: String?

    public init<X: Sequence, L: Sequence, H: Sequence>(x: X, low: L, high: H, label: String? = nil)
    where X.Element == Double, L.Element == Double, H.Element == Double {
        self.x = Array(x); self.low = Array(low); self.high = Array(high); self.label = label
        precondition(self.x.count == self.low.count && self.x.count == self.high.count, "Area: x, low and high must have the same length")
    }

    public init<X: Sequence, Y: Sequence>(x: X, y: Y, label: String? = nil) where X.Element == Double, Y.Element == Double {
        let ys = Array(y)
        self.init(x: x, low: [Double](repeating: 0, count: ys.count), high: ys, label: label)
    }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (Plots.extent(x, xScale), Plots.extent(low + high, yScale))
    }

    public func draw(_ ctx: inout DrawContext) {
        let idx = x.indices.filter { ctx.accepts(x[$0], low[$0]) && ctx.accepts(x[$0], high[$0]) }
        ctx.skipped += x.count - idx.count
        guard idx.count >= 2 else { return }
        var d = "M" + ctx.point(x[idx[0]], high[idx[0]])
        for i in idx.dropFirst() { d += "L" + ctx.point(x[i], high[i]) }
        for i in idx.reversed() { d += "L" + ctx.point(x[i], low[i]) }
        for i in idx {
            ctx.tip(ctx.x(x[i]), ctx.y(high[i]), SVG.tipPrefix(label) + "x = \(SVG.datum(x[i])), y from \(SVG.datum(low[i])) to \(SVG.datum(high[i]))")
        }
        for (a, b) in zip(idx, idx.dropFirst()) {
            let ys = [low[a], high[a], low[b], high[b]].map(ctx.y)
            ctx.cover(.rect(left: ctx.x(x[a]), top: ys.min()!, right: ctx.x(x[b]), bottom: ys.max()!))
        }
        ctx.svg += "<path class=\"fp-area fp-s\(ctx.series.index)\" d=\"\(d)Z\"/>\n"
    }
}

/// A horizontal (`y:`) or vertical (`x:`) reference line across the plot.
public struct Rule: Mark {
    public var x: Double?, y: Double?
    public var label: String?
    public var stroke: Stroke

    public init(x: Double, label: String? = nil, stroke: Stroke = .dashed) { self.x = x; self.y = nil; self.label = label; self.stroke = stroke }
    public init(y: Double, label: String? = nil, stroke: Stroke = .dashed) { self.x = nil; self.y = y; self.label = label; self.stroke = stroke }

    public var isSeries: Bool { false }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (x.flatMap { Plots.extent([$0], xScale) }, y.flatMap { Plots.extent([$0], yScale) })
    }

    public func draw(_ ctx: inout DrawContext) {
        let dash = stroke.dashArray.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        if let x, ctx.xScale.accepts(x) {
            let px = SVG.num(ctx.x(x))
            ctx.svg += "<line class=\"fp-rule\" x1=\"\(px)\" y1=\"\(SVG.num(ctx.plot.top))\" x2=\"\(px)\" y2=\"\(SVG.num(ctx.plot.bottom))\"\(dash)/>\n"
            if let label { ctx.svg += "<text class=\"fp-note\" x=\"\(SVG.num(ctx.x(x) + 4))\" y=\"\(SVG.num(ctx.plot.top + 12))\">\(SVG.escape(label))</text>\n" }
        } else if let y, ctx.yScale.accepts(y) {
            let py = SVG.num(ctx.y(y))
            ctx.svg += "<line class=\"fp-rule\" x1=\"\(SVG.num(ctx.plot.left))\" y1=\"\(py)\" x2=\"\(SVG.num(ctx.plot.right))\" y2=\"\(py)\"\(dash)/>\n"
            if let label { ctx.svg += "<text class=\"fp-note\" x=\"\(SVG.num(ctx.plot.right - 4))\" y=\"\(SVG.num(ctx.y(y) - 4))\" text-anchor=\"end\">\(SVG.escape(label))</text>\n" }
        } else {
            ctx.skipped += 1
        }
    }
}

/// A text annotation at a data point.
public struct Text: NoteMark {
    public var text: String
    public var x: Double, y: Double
    public var anchor: String

    /// `anchor` is SVG's `text-anchor`: start, middle or end.
    public init(_ text: String, x: Double, y: Double, anchor: String = "start") {
        self.text = text; self.x = x; self.y = y
        self.anchor = ["start", "middle", "end"].contains(anchor) ? anchor : "start"
    }

    public func draw(_ ctx: inout DrawContext) {
        guard ctx.accepts(x, y) else { ctx.skipped += 1; return }
        ctx.svg += "<text class=\"fp-note\" x=\"\(SVG.num(ctx.x(x)))\" y=\"\(SVG.num(ctx.y(y)))\" text-anchor=\"\(anchor)\">\(SVG.escape(text))</text>\n"
    }
}

/// A mark placed at one point of the data that is no series: text, an annotation.
public protocol NoteMark: Mark {
    var x: Double { get }
    var y: Double { get }
}

extension NoteMark {
    public var label: String? { nil }
    public var isSeries: Bool { false }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (Plots.extent([x], xScale), Plots.extent([y], yScale))
    }
}
