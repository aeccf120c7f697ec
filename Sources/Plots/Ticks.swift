import Foundation

/// Axis ticks. Linear axes use the extended Wilkinson algorithm (Talbot, Lin & Hanrahan, "An
/// Extension of Wilkinson's Algorithm for Positioning Tick Labels on Axes", InfoVis 2010), which
/// searches nice steps (Q = 1, 5, 2, 2.5, 4, 3 times a power of ten) scoring simplicity,
/// coverage, density and legibility. Log axes use decades with minor ticks at 2…9.
public enum Ticks {
    static let Q: [Double] = [1, 5, 2, 2.5, 4, 3]
    static let w: (Double, Double, Double, Double) = (0.25, 0.2, 0.5, 0.05)

    /// About `m` nice tick values for [dmin, dmax]; as in the paper, ticks need not cover the data
    /// (axes show only those inside the plotted domain).
    public static func linear(_ dmin: Double, _ dmax: Double, count m: Int = 5) -> [Double] {
        guard dmin.isFinite, dmax.isFinite else { return [] }
        if dmax - dmin < 1e-12 * max(1, abs(dmin)) {
            return dmin == 0 ? [-1, 0, 1] : linear(dmin - abs(dmin) * 0.1, dmax + abs(dmax) * 0.1, count: m)
        }
        let eps = 1e-10
        var best = -2.0
        var bestLabels: (Double, Double, Double)?
        let n = Double(Q.count)
        var j = 1.0
        outer: while j < 100 {
            for (qi, q) in Q.enumerated() {
                let sm = 1 - Double(qi) / (n - 1) - j + 1
                if w.0 * sm + w.1 + w.2 + w.3 < best { break outer }
                var k = 2.0
                while k < 100 {
                    let dm = k >= Double(m) ? 2 - (k - 1) / (Double(m) - 1) : 1
                    if w.0 * sm + w.1 + w.2 * dm + w.3 < best { break }
                    let delta = (dmax - dmin) / (k + 1) / j / q
                    var z = ceil(log10(delta))
                    while z < 400 {
                        let step = j * q * pow(10, z)
                        let span = step * (k - 1)
                        let range = dmax - dmin
                        let cm = span > range ? 1 - 0.5 * (2 * pow((span - range) / 2, 2)) / pow(0.1 * range, 2) : 1
                        if w.0 * sm + w.1 * cm + w.2 * dm + w.3 < best { break }
                        let minStart = floor(dmax / step) * j - (k - 1) * j
                        let maxStart = ceil(dmin / step) * j
                        if minStart > maxStart { z += 1; continue }
                        var start = minStart
                        while start <= maxStart {
                            let lmin = start * (step / j), lmax = lmin + step * (k - 1)
                            // simplicity: rewards Q's early entries, small j, and including zero
                            let r = lmin.truncatingRemainder(dividingBy: step)
                            let hasZero = lmin <= 0 && lmax >= 0 && (abs(r) < eps || step - abs(r) < eps)
                            let s = 1 - Double(qi) / (n - 1) - j + (hasZero ? 1 : 0)
                            let c = 1 - 0.5 * (pow(dmax - lmax, 2) + pow(dmin - lmin, 2)) / pow(0.1 * range, 2)
                            let rr = (k - 1) / (lmax - lmin), rt = (Double(m) - 1) / (max(lmax, dmax) - min(dmin, lmin))
                            let g = 2 - max(rr / rt, rt / rr)
                            let score = w.0 * s + w.1 * c + w.2 * g + w.3
                            if score > best {
                                best = score
                                bestLabels = (lmin, lmax, step)
                            }
                            start += 1
                        }
                        z += 1
                    }
                    k += 1
                }
            }
            j += 1
        }
        guard let (lmin, lmax, step) = bestLabels else { return [dmin, dmax] }
        let count = Int(((lmax - lmin) / step).rounded()) + 1
        // Multiply integers by the step, then round to the step's decimals: no 0.30000000000000004.
        let decimals = decimalsFor(step)
        return (0..<count).map { i in roundTo(lmin + Double(i) * step, decimals) }
    }

    /// Decimal places needed to write multiples of `step` exactly.
    static func decimalsFor(_ step: Double) -> Int {
        var d = 0
        while d < 15 {
            let scaled = step * pow(10, Double(d))
            if abs(scaled - scaled.rounded()) < 1e-9 * max(1, scaled) { return d }
            d += 1
        }
        return d
    }

    static func roundTo(_ x: Double, _ decimals: Int) -> Double {
        let f = pow(10, Double(decimals))
        let r = (x * f).rounded() / f
        return r == 0 ? 0 : r  // no −0
    }

    /// Labels for linear ticks: the fewest decimals that tell them apart, a true minus sign.
    public static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { format($0, decimals: decimalsFor(abs($0))) } }
        let step = abs(ticks[1] - ticks[0])
        let biggest = ticks.map(abs).max() ?? 0
        if biggest >= 1e6 || (biggest < 1e-3 && biggest > 0) {
            return ticks.map { scientific($0) }
        }
        let d = decimalsFor(step)
        return ticks.map { format($0, decimals: d) }
    }

    static func format(_ x: Double, decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", x)
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }

    static let superscripts: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]

    /// `10⁻³`-style power.
    public static func power(base: Int, _ exponent: Int) -> String {
        "\(base)" + String(String(exponent).map { superscripts[$0] ?? $0 })
    }

    static func scientific(_ x: Double) -> String {
        if x == 0 { return "0" }
        let e = Int(floor(log10(abs(x))))
        let mant = x / pow(10, Double(e))
        let m = String(format: "%.2g", mant)
        return (m == "1" ? "" : (m == "-1" ? "−" : m.replacingOccurrences(of: "-", with: "−") + "×")) + power(base: 10, e)
    }

    /// Major ticks (powers of `base`) and minor ticks for a log axis over [lo, hi] (both > 0).
    public static func log(_ lo: Double, _ hi: Double, base: Double) -> (major: [Double], minor: [Double]) {
        guard lo > 0, hi > lo else { return ([], []) }
        let e0 = Int(floor(Foundation.log(lo) / Foundation.log(base) + 1e-9))
        let e1 = Int(ceil(Foundation.log(hi) / Foundation.log(base) - 1e-9))
        var stride = 1
        while (e1 - e0) / stride > 8 { stride += 1 }
        var major: [Double] = [], minor: [Double] = []
        for e in e0...e1 {
            let v = pow(base, Double(e))
            if (e - e0) % stride == 0, v >= lo * (1 - 1e-9), v <= hi * (1 + 1e-9) { major.append(v) }
            if base == 10 && stride == 1 {
                for k in 2...9 {
                    let m = Double(k) * v
                    if m > lo && m < hi { minor.append(m) }
                }
            }
        }
        return (major, minor)
    }
}
