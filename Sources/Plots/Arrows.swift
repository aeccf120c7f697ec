import Foundation

/// A vector field: at each (x, y) an arrow along (u, v). Arrows keep their directions in data
/// units and are scaled together, so the longest is `longest` pixels (default 28); `scale` fixes
/// the data length drawn per unit of (u, v) instead.
public struct Quiver: Mark {
    public var x: [Double], y: [Double], u: [Double], v: [Double]
    public var scale: Double?
    public var longest: Double
    public var label: String?
    public var series: String?

    public init(x: [Double], y: [Double], u: [Double], v: [Double], scale: Double? = nil, longest: Double = 28, label: String? = nil, series: String? = nil) {
        precondition(x.count == y.count && x.count == u.count && x.count == v.count, "Quiver: x, y, u and v must have the same length")
        self.x = x; self.y = y; self.u = u; self.v = v; self.scale = scale; self.longest = longest; self.label = label; self.series = series
    }

    /// A field sampled on a grid: `f(x, y)` gives the vector at each point.
    public init(x: [Double], y: [Double], longest: Double = 28, label: String? = nil, series: String? = nil, _ f: (Double, Double) -> (Double, Double)) {
        var px: [Double] = [], py: [Double] = [], pu: [Double] = [], pv: [Double] = []
        for b in y { for a in x { let (du, dv) = f(a, b); px.append(a); py.append(b); pu.append(du); pv.append(dv) } }
        self.init(x: px, y: py, u: pu, v: pv, longest: longest, label: label, series: series)
    }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (Plots.extent(x, xScale), Plots.extent(y, yScale))
    }

    public func draw(_ ctx: inout DrawContext) {
        // Each arrow in pixels for one data unit along (u, v); then one factor for all.
        var raw: [(px: Double, py: Double, dx: Double, dy: Double)] = []
        let name = SVG.tipPrefix(series ?? label)
        for i in x.indices {
            guard ctx.accepts(x[i], y[i]), u[i].isFinite, v[i].isFinite, ctx.accepts(x[i] + u[i], y[i] + v[i]) else { ctx.skipped += 1; continue }
            let px = ctx.x(x[i]), py = ctx.y(y[i])
            raw.append((px, py, ctx.x(x[i] + u[i]) - px, ctx.y(y[i] + v[i]) - py))
            ctx.tip(px, py, name + "at (\(SVG.datum(x[i])), \(SVG.datum(y[i]))): (\(SVG.datum(u[i])), \(SVG.datum(v[i])))")
        }
        let maxLength = raw.map { hypot($0.dx, $0.dy) }.max() ?? 0
        guard maxLength > 0 else { return }
        let factor = scale ?? (longest / maxLength)
        var d = ""
        for (px, py, dx, dy) in raw {
            let ex = dx * factor, ey = dy * factor
            let length = hypot(ex, ey)
            guard length > 0.5 else { continue }
            d += Arrowhead.path(from: (px, py), to: (px + ex, py + ey), head: min(6, 0.4 * length))
            ctx.cover(.segment(px, py, px + ex, py + ey))
        }
        ctx.svg += "<path class=\"fp-quiver fp-s\(ctx.series.index)\" d=\"\(d)\"/>\n"
    }
}

/// Text that points at a place in the data: the text `offset` pixels away (default up and to
/// the right), an arrow from it to (x, y).
public struct Annotation: NoteMark {
    public var text: String
    public var x: Double, y: Double
    public var offset: (dx: Double, dy: Double)

    public init(_ text: String, x: Double, y: Double, offset: (dx: Double, dy: Double) = (40, -36)) {
        self.text = text; self.x = x; self.y = y; self.offset = offset
    }

    public func draw(_ ctx: inout DrawContext) {
        guard ctx.accepts(x, y) else { ctx.skipped += 1; return }
        let tx = ctx.x(x), ty = ctx.y(y)
        let lx = tx + offset.dx, ly = ty + offset.dy
        // The arrow stops short of the point and starts short of the text.
        let length = hypot(offset.dx, offset.dy)
        guard length > 12 else { return }
        let ux = -offset.dx / length, uy = -offset.dy / length
        let from = (lx + ux * 6, ly + uy * 6), to = (tx - ux * 4, ty - uy * 4)
        let anchor = offset.dx > 8 ? "start" : offset.dx < -8 ? "end" : "middle"
        let baseline = offset.dy < 0 ? -4.0 : 12.0
        ctx.svg += "<g class=\"fp-annotation\"><path d=\"\(Arrowhead.path(from: from, to: to, head: 6))\"/>"
            + "<text x=\"\(SVG.num(lx))\" y=\"\(SVG.num(ly + baseline))\" text-anchor=\"\(anchor)\">\(SVG.escape(text))</text></g>\n"
        ctx.cover(.segment(from.0, from.1, to.0, to.1))
        ctx.cover(.rect(left: lx - 4, top: ly + baseline - 12, right: lx + 7 * Double(text.count), bottom: ly + baseline + 3))
    }
}

/// An arrow as path data: the shaft and two strokes of the head, 25° either side.
enum Arrowhead {
    static func path(from: (Double, Double), to: (Double, Double), head: Double) -> String {
        let angle = atan2(to.1 - from.1, to.0 - from.0)
        let a1 = angle + .pi - 0.44, a2 = angle + .pi + 0.44
        return "M\(SVG.num(from.0)),\(SVG.num(from.1))L\(SVG.num(to.0)),\(SVG.num(to.1))"
            + "M\(SVG.num(to.0 + head * cos(a1))),\(SVG.num(to.1 + head * sin(a1)))L\(SVG.num(to.0)),\(SVG.num(to.1))"
            + "L\(SVG.num(to.0 + head * cos(a2))),\(SVG.num(to.1 + head * sin(a2)))"
    }
}
