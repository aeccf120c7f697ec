import Foundation

/// Error bars at points (x, y): vertical ones from y − below to y + above, horizontal ones from
/// x − left to x + right, each with caps. Symmetric (`yError:`) or not (`yBelow:yAbove:`); give
/// the bars the `series:` of the points or bars they belong to and they take their colour.
public struct ErrorBar: Mark {
    public var x: [Double], y: [Double]
    /// Distances below and above each y (nil: no vertical bars).
    public var yBelow: [Double]?, yAbove: [Double]?
    /// Distances left and right of each x (nil: no horizontal bars).
    public var xLeft: [Double]?, xRight: [Double]?
    public var label: String?
    public var series: String?
    /// Cap length in pixels.
    public var cap: Double

    /// Symmetric bars: ± `yError` vertically and/or ± `xError` horizontally.
    public init<X: Sequence, Y: Sequence>(x: X, y: Y, yError: [Double]? = nil, xError: [Double]? = nil, label: String? = nil,
                                         series: String? = nil, cap: Double = 6)
    where X.Element == Double, Y.Element == Double {
        self.init(x: x, y: y, yBelow: yError, yAbove: yError, xLeft: xError, xRight: xError, label: label, series: series, cap: cap)
    }

    /// Asymmetric bars: each side its own distance (a confidence interval around an estimate).
    public init<X: Sequence, Y: Sequence>(x: X, y: Y, yBelow: [Double]?, yAbove: [Double]?, xLeft: [Double]? = nil, xRight: [Double]? = nil,
                                         label: String? = nil, series: String? = nil, cap: Double = 6)
    where X.Element == Double, Y.Element == Double {
        self.x = Array(x); self.y = Array(y)
        self.yBelow = yBelow; self.yAbove = yAbove; self.xLeft = xLeft; self.xRight = xRight
        self.label = label; self.series = series; self.cap = cap
        for (name, values) in [("yBelow", yBelow), ("yAbove", yAbove), ("xLeft", xLeft), ("xRight", xRight)] {
            if let values { precondition(values.count == self.x.count, "ErrorBar: \(self.x.count) points and \(values.count) \(name) values") }
        }
        precondition(self.x.count == self.y.count, "ErrorBar: \(self.x.count) x values and \(self.y.count) y values")
    }

    func ends(_ i: Int) -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let lo = { (v: [Double]?) in abs(v?[i] ?? 0) }
        return ((x[i] - lo(xLeft))...(x[i] + lo(xRight)), (y[i] - lo(yBelow))...(y[i] + lo(yAbove)))
    }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        let spans = x.indices.filter { x[$0].isFinite && y[$0].isFinite }.map(ends)
        return (Plots.extent(spans.flatMap { [$0.x.lowerBound, $0.x.upperBound] }, xScale),
                Plots.extent(spans.flatMap { [$0.y.lowerBound, $0.y.upperBound] }, yScale))
    }

    /// `2 ± 0.5`, or `2 (−0.5, +1)` when the sides differ, or `2`.
    func interval(_ v: Double, _ below: Double?, _ above: Double?) -> String {
        switch (below.map(abs), above.map(abs)) {
        case (nil, nil): SVG.datum(v)
        case let (b?, a?) where a == b: "\(SVG.datum(v)) ± \(SVG.datum(a))"
        case let (b, a): "\(SVG.datum(v)) (−\(SVG.datum(b ?? 0)), +\(SVG.datum(a ?? 0)))"
        }
    }

    public func draw(_ ctx: inout DrawContext) {
        var d = ""
        let half = cap / 2
        for i in x.indices {
            guard ctx.accepts(x[i], y[i]) else { ctx.skipped += 1; continue }
            let (xs, ys) = ends(i)
            let px = ctx.x(x[i]), py = ctx.y(y[i])
            ctx.tip(px, py, SVG.tipPrefix(series ?? label) + "x = \(interval(x[i], xLeft?[i], xRight?[i])), y = \(interval(y[i], yBelow?[i], yAbove?[i]))")
            if yBelow != nil || yAbove != nil {
                // On a log axis an end at or below zero is drawn to the edge of the plot.
                let top = ctx.accepts(x[i], ys.upperBound) ? ctx.y(ys.upperBound) : ctx.plot.top
                let bottom = ctx.accepts(x[i], ys.lowerBound) ? ctx.y(ys.lowerBound) : ctx.plot.bottom
                d += "M\(SVG.num(px)),\(SVG.num(bottom))V\(SVG.num(top))"
                ctx.cover(.segment(px, bottom, px, top))
                d += "M\(SVG.num(px - half)),\(SVG.num(top))h\(SVG.num(cap))M\(SVG.num(px - half)),\(SVG.num(bottom))h\(SVG.num(cap))"
            }
            if xLeft != nil || xRight != nil {
                let left = ctx.accepts(xs.lowerBound, y[i]) ? ctx.x(xs.lowerBound) : ctx.plot.left
                let right = ctx.accepts(xs.upperBound, y[i]) ? ctx.x(xs.upperBound) : ctx.plot.right
                d += "M\(SVG.num(left)),\(SVG.num(py))H\(SVG.num(right))"
                ctx.cover(.segment(left, py, right, py))
                d += "M\(SVG.num(left)),\(SVG.num(py - half))v\(SVG.num(cap))M\(SVG.num(right)),\(SVG.num(py - half))v\(SVG.num(cap))"
            }
        }
        guard !d.isEmpty else { return }
        ctx.svg += "<path class=\"fp-errorbar fp-s\(ctx.series.index)\(ctx.seriesFilled ? " fp-on-fill" : "")\" d=\"\(d)\"/>\n"
    }
}
