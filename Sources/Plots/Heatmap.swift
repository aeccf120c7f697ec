import Compute
import Foundation

/// A matrix drawn as coloured cells: row 0 at the top, column 0 at the left, as printed.
public struct Heatmap: Mark {
    public var matrix: Matrix
    public var colorMap: ColorMap
    /// The value range mapped to the colour map (default: the data's; symmetric about 0 for `.diverging`).
    public var range: ClosedRange<Double>

    public init(_ matrix: Matrix, colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil) {
        self.matrix = matrix
        self.colorMap = colorMap
        let finite = matrix.elements.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if let range { self.range = range }
        else if colorMap == .diverging { let m = max(abs(lo), abs(hi), 1e-300); self.range = -m...m }
        else { self.range = lo...(hi > lo ? hi : lo + 1) }
    }

    public var label: String? { nil }
    public var isSeries: Bool { false }

    public func extent(xScale: ScaleKind, yScale: ScaleKind) -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        (0...Double(max(1, matrix.cols)), 0...Double(max(1, matrix.rows)))
    }

    public func draw(_ ctx: inout DrawContext) {
        var body = ""
        let span = range.upperBound - range.lowerBound
        for i in 0..<matrix.rows {
            for j in 0..<matrix.cols {
                let v = matrix[i, j]
                guard v.isFinite else { ctx.skipped += 1; continue }
                let x0 = ctx.x(Double(j)), x1 = ctx.x(Double(j + 1))
                let y0 = ctx.y(Double(matrix.rows - i)), y1 = ctx.y(Double(matrix.rows - i - 1))
                let t = span == 0 ? 0.5 : (v - range.lowerBound) / span
                body += "<rect x=\"\(SVG.num(x0))\" y=\"\(SVG.num(y0))\" width=\"\(SVG.num(x1 - x0 + 0.3))\" height=\"\(SVG.num(y1 - y0 + 0.3))\" fill=\"\(colorMap.color(t))\"/>"
                ctx.tip((x0 + x1) / 2, (y0 + y1) / 2, "row \(i), column \(j): \(SVG.datum(v))")
            }
        }
        ctx.svg += "<g class=\"fp-heatmap\">\(body)</g>\n"
        ctx.cover(.rect(left: ctx.plot.left, top: ctx.plot.top, right: ctx.plot.right, bottom: ctx.plot.bottom))
    }
}

extension Figure {
    /// A figure of one heatmap with a colour bar, axes fitted exactly to the matrix.
    public static func heatmap(_ matrix: Matrix, title: String? = nil, colorMap: ColorMap = .viridis,
                               range: ClosedRange<Double>? = nil, width: Double = 420, height: Double = 380) -> Figure {
        let h = Heatmap(matrix, colorMap: colorMap, range: range)
        var f = Figure(title: title, width: width, height: height) { h }
        f.xDomain = 0...Double(max(1, matrix.cols))
        f.yDomain = 0...Double(max(1, matrix.rows))
        f.colorBar = (h.range, colorMap)
        // Index labels at cell centres, rows counted from the top as printed.
        let cs = Swift.max(1, matrix.cols / 10 + (matrix.cols % 10 == 0 ? 0 : 1)), rs = Swift.max(1, matrix.rows / 10 + (matrix.rows % 10 == 0 ? 0 : 1))
        let cols = Array(stride(from: 0, to: matrix.cols, by: cs)), rows = Array(stride(from: 0, to: matrix.rows, by: rs))
        f.customXTicks = cols.map { (Double($0) + 0.5, String($0)) }
        f.customYTicks = rows.map { (Double(matrix.rows - $0) - 0.5, String($0)) }
        f.summary = "Heatmap of a \(matrix.rows)×\(matrix.cols) matrix, values from \(Ticks.labels([h.range.lowerBound]).first!) to \(Ticks.labels([h.range.upperBound]).first!)."
        return f
    }
}
