import Foundation

/// How data values map to positions along an axis.
public enum ScaleKind: Sendable, Equatable {
    case linear
    case log10
    case log2

    var base: Double? {
        switch self {
        case .linear: return nil
        case .log10: return 10
        case .log2: return 2
        }
    }
}

/// A scale fitted to a domain and a pixel range.
struct Scale {
    var kind: ScaleKind
    var domain: ClosedRange<Double>
    var range: ClosedRange<Double>
    /// Screen y grows downwards, so y scales run reversed.
    var reversed: Bool

    func transform(_ v: Double) -> Double {
        switch kind {
        case .linear: return v
        case .log10: return Foundation.log10(v)
        case .log2: return Foundation.log2(v)
        }
    }

    func callAsFunction(_ v: Double) -> Double {
        let a = transform(domain.lowerBound), b = transform(domain.upperBound)
        var t = b == a ? 0.5 : (transform(v) - a) / (b - a)
        if reversed { t = 1 - t }
        return range.lowerBound + t * (range.upperBound - range.lowerBound)
    }

    /// Whether a value can be placed on this scale at all.
    func accepts(_ v: Double) -> Bool { v.isFinite && (kind == .linear || v > 0) }

    /// Ticks and labels for the axis.
    func ticks(count: Int) -> (major: [Double], labels: [String], minor: [Double]) {
        if let base = kind.base {
            let t = Ticks.log(domain.lowerBound, domain.upperBound, base: base)
            if t.major.count >= 2 {
                let labels = t.major.map { Ticks.power(base: Int(base), Int((Foundation.log($0) / Foundation.log(base)).rounded())) }
                return (t.major, labels, t.minor)
            }
            // Less than two powers in view: plain numbers read better.
            let lin = Ticks.linear(domain.lowerBound, domain.upperBound, count: count).filter { $0 > 0 && domain.contains($0) }
            return (lin, Ticks.labels(lin), t.minor)
        }
        let t = Ticks.linear(domain.lowerBound, domain.upperBound, count: count).filter {
            $0 >= domain.lowerBound - 1e-9 * abs(domain.upperBound - domain.lowerBound) && $0 <= domain.upperBound + 1e-9 * abs(domain.upperBound - domain.lowerBound)
        }
        return (t, Ticks.labels(t), [])
    }

    /// A domain around the data: linear axes padded 5% (and widened to nice tick bounds when the
    /// ticks stick out only a little), log axes widened to whole powers when close.
    static func niceDomain(_ lo: Double, _ hi: Double, kind: ScaleKind) -> ClosedRange<Double> {
        if let base = kind.base {
            guard lo > 0 else { return 1...base }
            if hi <= lo { return lo / base...hi * base }
            let a = Foundation.log(lo) / Foundation.log(base), b = Foundation.log(hi) / Foundation.log(base)
            let pad = (b - a) * 0.04
            return Foundation.pow(base, a - pad)...Foundation.pow(base, b + pad)
        }
        if hi <= lo {
            let d = lo == 0 ? 1 : abs(lo) * 0.1
            return lo - d...hi + d
        }
        let pad = (hi - lo) * 0.05
        var a = lo - pad, b = hi + pad
        // Keep zero as the edge when the data start at zero.
        if lo >= 0 && a < 0 { a = 0 }
        if hi <= 0 && b > 0 { b = 0 }
        return a...b
    }
}
