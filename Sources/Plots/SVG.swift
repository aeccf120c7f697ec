import Foundation
import FolioWire

/// SVG text helpers: compact numbers, escaping, markers, the embedded style sheet.
enum SVG {
    /// Coordinates rounded to 0.01 px, without trailing zeros: compact and deterministic.
    static func num(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var s = String(format: "%.2f", r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// Escapes text for SVG element content and attributes; drops characters XML forbids.
    static func escape(_ s: String) -> String { XMLText.escape(s) }

    /// A marker; `data` (attributes, with a leading space) goes on its element.
    static func marker(_ shape: MarkerShape, cx: Double, cy: Double, r: Double, data: String) -> String {
        guard !data.isEmpty else { return marker(shape, cx: cx, cy: cy, r: r) }
        return String(marker(shape, cx: cx, cy: cy, r: r).dropLast(2)) + data + "/>"
    }

    /// The most points of one mark that carry their values for the page's tooltips: past it the
    /// bytes would outweigh what hovering over a cloud can tell.
    static let tooltipLimit = 5000

    /// A value as the tooltip shows it: exact (Swift's shortest round-trip form), without `.0`.
    static func datum(_ v: Double) -> String {
        let s = "\(v)"
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// "name: " before a tooltip's values, when the mark has a name.
    static func tipPrefix(_ name: String?) -> String { name.map { $0 + ": " } ?? "" }

    /// ` data-series="…"` for a mark's group, when it has a name.
    static func seriesAttribute(_ name: String?) -> String {
        name.map { " data-series=\"\(escape($0))\"" } ?? ""
    }

    static func marker(_ shape: MarkerShape, cx: Double, cy: Double, r: Double) -> String {
        let x = num(cx), y = num(cy)
        switch shape {
        case .circle: return "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"\(num(r))\"/>"
        case .square: return "<rect x=\"\(num(cx - r))\" y=\"\(num(cy - r))\" width=\"\(num(2 * r))\" height=\"\(num(2 * r))\"/>"
        case .triangle: return "<path d=\"M\(x),\(num(cy - r * 1.2))L\(num(cx + r * 1.1)),\(num(cy + r * 0.8))L\(num(cx - r * 1.1)),\(num(cy + r * 0.8))Z\"/>"
        case .diamond: return "<path d=\"M\(x),\(num(cy - r * 1.3))L\(num(cx + r * 1.3)),\(y)L\(x),\(num(cy + r * 1.3))L\(num(cx - r * 1.3)),\(y)Z\"/>"
        case .cross: return "<path class=\"fp-open\" d=\"M\(num(cx - r)),\(num(cy - r))L\(num(cx + r)),\(num(cy + r))M\(num(cx - r)),\(num(cy + r))L\(num(cx + r)),\(num(cy - r))\"/>"
        case .plus: return "<path class=\"fp-open\" d=\"M\(num(cx - r * 1.2)),\(y)H\(num(cx + r * 1.2))M\(x),\(num(cy - r * 1.2))V\(num(cy + r * 1.2))\"/>"
        }
    }

    /// FNV-1a, hex: stable ids derived from content.
    static func hash(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h & 0xFFFF_FFFF, radix: 16)
    }

    /// Colours come from the page's CSS variables (so plots follow light/dark themes), with the
    /// Okabe–Ito colour-blind-safe palette as fallback when the SVG stands alone.
    static let palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]
    static let style: String = {
        var s = "<style>\n"
        s += ".folio-plot{font-family:system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;font-size:12px}"
        s += ".folio-plot text{fill:var(--fg,#1d2127)}.folio-plot .fp-title{font-size:15px;font-weight:600}"
        s += ".folio-plot .fp-label{font-size:13px}.folio-plot .fp-axis text{fill:var(--muted,#5b6470)}"
        s += ".folio-plot .fp-grid{stroke:var(--line,#dfe3e8);stroke-width:1;fill:none}"
        s += ".folio-plot .fp-frame{fill:none;stroke:var(--muted,#5b6470);stroke-width:1}"
        s += ".folio-plot .fp-minor{stroke:var(--muted,#5b6470);stroke-width:1}"
        s += ".folio-plot .fp-line{fill:none;stroke-linejoin:round;stroke-linecap:round}"
        s += ".folio-plot .fp-rule{stroke:var(--muted,#5b6470);stroke-width:1.2}"
        s += ".folio-plot .fp-note{fill:var(--muted,#5b6470);font-size:11px}"
        s += ".folio-plot .fp-area{opacity:.25}.folio-plot .fp-hist,.folio-plot .fp-bar{opacity:.85}"
        s += ".folio-plot .fp-open{fill:none;stroke-width:1.6}.folio-plot .fp-errorbar{fill:none;stroke-width:1.4}"
        s += ".folio-plot .fp-contour{fill:none;stroke-width:1.5;stroke-linejoin:round}.folio-plot .fp-contour-on-fill{stroke:#1d2127;stroke-opacity:.55;stroke-width:.8}"
        s += ".folio-plot .fp-panel-label{font-weight:700;font-size:13px}"
        s += ".folio-plot .fp-quiver{fill:none;stroke-width:1.3;stroke-linecap:round;stroke-linejoin:round}"
        s += ".folio-plot .fp-annotation path{fill:none;stroke:var(--fg,#1d2127);stroke-width:1.1;stroke-linecap:round}.folio-plot .fp-annotation text{font-size:11px}"
        s += ".folio-plot .fp-contour-label{font-size:10px;paint-order:stroke;stroke:var(--bg,#fff);stroke-width:3px}"
        s += ".folio-plot .fp-legend-bg{fill:var(--bg,#fff);fill-opacity:.85;stroke:var(--line,#dfe3e8)}"
        s += ".folio-plot .fp-swatch{stroke:none;opacity:.85}"
        for (i, c) in palette.enumerated() {
            let v = "var(--series-\(i + 1),\(c))"
            s += ".folio-plot .fp-s\(i + 1){stroke:\(v);fill:\(v)}.folio-plot .fp-line.fp-s\(i + 1){fill:none}.folio-plot .fp-point.fp-s\(i + 1) .fp-open{fill:none}"
        }
        s += ".folio-plot .fp-errorbar.fp-on-fill{stroke:var(--fg,#1d2127)}"
        return s + "\n</style>\n"
    }()

    static func colorBar(range: ClosedRange<Double>, map: ColorMap, x: Double, top: Double, bottom: Double) -> String {
        let steps = 32
        var s = "<g class=\"fp-colorbar\">"
        let h = (bottom - top) / Double(steps)
        for i in 0..<steps {
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            s += "<rect x=\"\(num(x))\" y=\"\(num(top + Double(i) * h))\" width=\"14\" height=\"\(num(h + 0.5))\" fill=\"\(map.color(t))\"/>"
        }
        let ticks = Ticks.linear(range.lowerBound, range.upperBound, count: 5).filter { range.contains($0) }
        for (v, label) in zip(ticks, Ticks.labels(ticks)) {
            let t = range.upperBound == range.lowerBound ? 0.5 : (v - range.lowerBound) / (range.upperBound - range.lowerBound)
            let y = bottom - t * (bottom - top)
            s += "<text class=\"fp-note\" x=\"\(num(x + 18))\" y=\"\(num(y + 4))\">\(escape(label))</text>"
        }
        return s + "</g>\n"
    }
}

/// Colour maps for heatmaps: viridis (sequential, perceptually uniform, colour-blind safe) and a
/// blue–white–red diverging map for signed data centred on zero.
public enum ColorMap: Sendable {
    case viridis, diverging

    static let viridisStops: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]
    static let divergingStops: [(Double, Double, Double)] = [
        (33, 102, 172), (103, 169, 207), (209, 229, 240), (247, 247, 247), (253, 219, 199), (239, 138, 98), (178, 24, 43),
    ]

    /// The colour at t ∈ [0, 1] as `#rrggbb`.
    public func color(_ t: Double) -> String {
        let stops = self == .viridis ? Self.viridisStops : Self.divergingStops
        let x = min(1, max(0, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x)), f = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        func c(_ u: Double, _ v: Double) -> String {
            let n = Int((u + (v - u) * f).rounded())
            return String(format: "%02x", min(255, max(0, n)))
        }
        return "#" + c(a.0, b.0) + c(a.1, b.1) + c(a.2, b.2)
    }
}
