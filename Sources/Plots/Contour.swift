import Compute
import Foundation

/// Contour lines of z over a grid (marching squares): `z[i, j]` is the value at (`x[j]`, `y[i]`).
/// Each level is one path in its colour from the colour map (the figure shows the map as a colour
/// bar), labelled with its value on its longest piece. A loss surface's valleys, a cap function's
/// level sets.
public struct Contour: Mark {
    public var x: [Double], y: [Double]
    public var z: Matrix
    public var levels: [Double]
    public var colorMap: ColorMap
    /// Whether each level is labelled with its value.
    public var labelsLevels: Bool
    /// Bands between the levels filled with their colours (the lines then drawn thin and dark).
    public var filled: Bool
    public var label: String?
    /// The values the colours span: the data's.
    public let range: ClosedRange<Double>

    /// `levels`: the values to draw (default: about `count` rounded values inside z's range).
    public init<X: Sequence, Y: Sequence>(x: X, y: Y, z: Matrix, levels: [Double]? = nil, count: Int = 8, colorMap: ColorMap = .viridis,
                                         labels: Bool = true, filled: Bool = false, label: String? = nil)
    where X.Element == Double, Y.Element == Double {
        self.x = Array(x); self.y = Array(y); self.z = z
        precondition(z.rows == self.y.count && z.cols == self.x.count, "Contour: z is \(z.rows)×\(z.cols), the grid \(self.y.count) y × \(self.x.count) x")
        let finite = z.elements.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        range = lo...(hi > lo ? hi : lo + 1)
        self.levels = levels ?? Ticks.linear(lo, hi, count: count).filter { $0 > lo && $0 < hi }
        self.colorMap = colorMap; self.labelsLevels = labels; self.filled = filled; self.label = label
    }

    /// The grid's own values: `f(x, y)` at every (x, y).
    public init<X: Sequence, Y: Sequence>(x: X, y: Y, levels: [Double]? = nil, count: Int = 8, colorMap: ColorMap = .viridis,
                                         labels: Bool = true, filled: Bool = false, label: String? = nil, _ f: (Double, Double) -> Double)
    where X.Element == Double, Y.Element == Double {
        let xs = Array(x), ys = Array(y)
        var z = Matrix.zeros(ys.count, xs.count)
        for i in ys.indices { for j in xs.indices { z[i, j] = f(xs[j], ys[i]) } }
        self.init(x: xs, y: ys, z: z, levels: levels, count: count, colorMap: colorMap, labels: labels, filled: filled, label: label)
    }

    public var isSeries: Bool { false }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (Plots.extent(x, xScale), Plots.extent(y, yScale))
    }

    /// The figure's colour bar for this contour.
    var colorBar: (ClosedRange<Double>, ColorMap) { (range, colorMap) }

    /// A point where a level crosses a cell edge, in data units; `edge` names the edge of the grid
    /// it lies on, so the pieces of neighbouring cells join exactly.
    struct Crossing { var edge: Int; var x: Double; var y: Double }

    /// The pieces of the level's line, each a polyline of crossings, joined across cells.
    func polylines(at level: Double) -> [[Crossing]] {
        let rows = z.rows, cols = z.cols
        guard rows >= 2, cols >= 2 else { return [] }
        // Edge ids: the horizontal edge from (i, j) to (i, j+1) is 2(i·cols + j), the vertical
        // one from (i, j) to (i+1, j) is 2(i·cols + j) + 1.
        func crossing(_ i0: Int, _ j0: Int, _ i1: Int, _ j1: Int) -> Crossing {
            let a = z[i0, j0], b = z[i1, j1]
            let t = (level - a) / (b - a)
            let edge = 2 * (min(i0, i1) * cols + min(j0, j1)) + (i0 == i1 ? 0 : 1)
            return Crossing(edge: edge, x: x[j0] + t * (x[j1] - x[j0]), y: y[i0] + t * (y[i1] - y[i0]))
        }
        var segments: [(Crossing, Crossing)] = []
        for i in 0..<(rows - 1) {
            for j in 0..<(cols - 1) {
                let a = z[i, j], b = z[i, j + 1], c = z[i + 1, j + 1], d = z[i + 1, j]
                guard a.isFinite, b.isFinite, c.isFinite, d.isFinite else { continue }
                // The cell's edges in order around it: a–b, b–c, c–d, d–a; those the level crosses.
                var crossings: [Crossing] = []
                if (a >= level) != (b >= level) { crossings.append(crossing(i, j, i, j + 1)) }
                if (b >= level) != (c >= level) { crossings.append(crossing(i, j + 1, i + 1, j + 1)) }
                if (c >= level) != (d >= level) { crossings.append(crossing(i + 1, j + 1, i + 1, j)) }
                if (d >= level) != (a >= level) { crossings.append(crossing(i + 1, j, i, j)) }
                if crossings.count == 2 {
                    segments.append((crossings[0], crossings[1]))
                } else if crossings.count == 4 {
                    // A saddle: the centre's side decides which corners the level cuts off.
                    let centreAbove = (a + b + c + d) / 4 >= level
                    if centreAbove == (a >= level) {
                        segments.append((crossings[0], crossings[1])); segments.append((crossings[2], crossings[3]))
                    } else {
                        segments.append((crossings[3], crossings[0])); segments.append((crossings[1], crossings[2]))
                    }
                }
            }
        }
        // Join the segments that share an edge into polylines.
        var byEdge: [Int: [Int]] = [:]
        for (k, s) in segments.enumerated() { byEdge[s.0.edge, default: []].append(k); byEdge[s.1.edge, default: []].append(k) }
        var used = [Bool](repeating: false, count: segments.count)
        var lines: [[Crossing]] = []
        func extend(_ line: inout [Crossing]) {
            while let end = line.last, let next = byEdge[end.edge]?.first(where: { !used[$0] }) {
                used[next] = true
                let s = segments[next]
                line.append(s.0.edge == end.edge ? s.1 : s.0)
            }
        }
        for k in segments.indices where !used[k] {
            used[k] = true
            var line = [segments[k].0, segments[k].1]
            extend(&line)
            line.reverse()
            extend(&line)
            lines.append(line)
        }
        return lines
    }

    /// The region where z ≥ `level`, as path data in pixels: whole cells above it merged into
    /// runs along each row, the cells it crosses cut along the level (marching squares; a saddle
    /// joins its high corners when its centre is high).
    func region(atLeast level: Double, _ ctx: DrawContext) -> String {
        var d = ""
        func move(_ points: [(Double, Double)]) {
            d += "M" + points.map { SVG.num(ctx.x($0.0)) + "," + SVG.num(ctx.y($0.1)) }.joined(separator: "L") + "Z"
        }
        for i in 0..<(z.rows - 1) {
            var run: Int?  // the first cell of a run of whole cells in this row
            func endRun(_ j: Int) {
                if let start = run { move([(x[start], y[i]), (x[j], y[i]), (x[j], y[i + 1]), (x[start], y[i + 1])]) }
                run = nil
            }
            for j in 0..<(z.cols - 1) {
                // Corners around the cell: (i, j), (i, j+1), (i+1, j+1), (i+1, j).
                let corners = [(i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j)]
                let values = corners.map { z[$0.0, $0.1] }
                guard values.allSatisfy(\.isFinite) else { endRun(j); continue }
                let high = values.map { $0 >= level }
                if high.allSatisfy({ $0 }) { if run == nil { run = j }; continue }
                endRun(j)
                guard high.contains(true) else { continue }
                func point(_ k: Int) -> (Double, Double) { (x[corners[k].1], y[corners[k].0]) }
                func crossing(_ a: Int, _ b: Int) -> (Double, Double) {
                    let t = (level - values[a]) / (values[b] - values[a])
                    let p = point(a), q = point(b)
                    return (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
                }
                let saddle = high == [true, false, true, false] || high == [false, true, false, true]
                if saddle && values.reduce(0, +) / 4 < level {
                    // Two separate corners: a triangle at each.
                    for k in 0..<4 where high[k] { move([crossing(k, (k + 3) % 4), point(k), crossing(k, (k + 1) % 4)]) }
                } else {
                    var polygon: [(Double, Double)] = []
                    for k in 0..<4 {
                        if high[k] { polygon.append(point(k)) }
                        if high[k] != high[(k + 1) % 4] { polygon.append(crossing(k, (k + 1) % 4)) }
                    }
                    move(polygon)
                }
            }
            endRun(z.cols - 1)
        }
        return d
    }

    public func draw(_ ctx: inout DrawContext) {
        let span = range.upperBound - range.lowerBound
        var body = "", labels = ""
        if filled {
            // Painted upward: the whole grid in the lowest band's colour, then each level's region
            // over it in the colour of the band above that level.
            let bounds = [range.lowerBound] + levels + [range.upperBound]
            for (k, level) in ([range.lowerBound] + levels).enumerated() {
                let middle = (bounds[k] + bounds[k + 1]) / 2
                let colour = colorMap.color(span == 0 ? 0.5 : (middle - range.lowerBound) / span)
                let d = region(atLeast: level, ctx)
                if !d.isEmpty { body += "<path fill=\"\(colour)\" stroke=\"\(colour)\" stroke-width=\".5\" d=\"\(d)\"/>" }
            }
            ctx.cover(.rect(left: ctx.plot.left, top: ctx.plot.top, right: ctx.plot.right, bottom: ctx.plot.bottom))
        }
        for level in levels {
            let colour = colorMap.color(span == 0 ? 0.5 : (level - range.lowerBound) / span)
            var d = ""
            var longest: (length: Double, at: (Double, Double))?
            for line in polylines(at: level) {
                let points = line.filter { ctx.accepts($0.x, $0.y) }.map { (ctx.x($0.x), ctx.y($0.y)) }
                guard points.count >= 2 else { continue }
                d += "M" + points.map { SVG.num($0.0) + "," + SVG.num($0.1) }.joined(separator: "L")
                // Hovering near a line names its level (every few vertices, so a long line costs little).
                for (k, p) in points.enumerated() where k % 6 == 0 { ctx.tip(p.0, p.1, "level \(SVG.datum(level))") }
                var length = 0.0
                for (p, q) in zip(points, points.dropFirst()) {
                    ctx.cover(.segment(p.0, p.1, q.0, q.1))
                    length += hypot(q.0 - p.0, q.1 - p.1)
                }
                if length > (longest?.length ?? 40) { longest = (length, points[points.count / 2]) }
            }
            guard !d.isEmpty else { continue }
            body += filled ? "<path class=\"fp-contour fp-contour-on-fill\" d=\"\(d)\"/>" : "<path class=\"fp-contour\" stroke=\"\(colour)\" d=\"\(d)\"/>"
            if labelsLevels, let (_, at) = longest {
                labels += "<text class=\"fp-contour-label\" x=\"\(SVG.num(at.0))\" y=\"\(SVG.num(at.1 + 4))\" text-anchor=\"middle\">\(SVG.escape(Ticks.labels([level]).first ?? ""))</text>"
            }
        }
        guard !body.isEmpty else { return }
        ctx.svg += "<g class=\"fp-contours\">\(body)\(labels)</g>\n"
    }
}
