import Foundation

/// Descriptive statistics on vectors.
public enum Stats {
    /// Arithmetic mean.
    public static func mean(_ x: Vector) -> Double { x.mean }
    /// Variance; `ddof: 1` for the unbiased sample variance (numpy's `ddof`).
    public static func variance(_ x: Vector, ddof: Int = 0) -> Double {
        guard x.count > ddof else { return .nan }
        let m = x.mean
        var s = 0.0
        for v in x.elements { s += (v - m) * (v - m) }
        return s / Double(x.count - ddof)
    }
    /// Standard deviation: the square root of `variance(x, ddof:)`.
    public static func std(_ x: Vector, ddof: Int = 0) -> Double { variance(x, ddof: ddof).squareRoot() }
    /// The q-quantile (0…1) with linear interpolation between order statistics (numpy's default).
    public static func quantile(_ x: Vector, _ q: Double) -> Double {
        guard !x.isEmpty else { return .nan }
        let s = x.elements.sorted()
        let pos = q * Double(s.count - 1)
        let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }
    /// The 0.5 quantile.
    public static func median(_ x: Vector) -> Double { quantile(x, 0.5) }

    /// Pearson correlation coefficient.
    public static func correlation(_ x: Vector, _ y: Vector) -> Double {
        precondition(x.count == y.count, "correlation: dimensions do not match (\(x.count) and \(y.count))")
        let mx = x.mean, my = y.mean
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<x.count {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Cosine of the angle between two vectors: depends on directions only.
    public static func cosineSimilarity(_ a: Vector, _ b: Vector) -> Double {
        a.dot(b) / (a.norm * b.norm)
    }

    /// Correlation of two matrices' entries (flattened), e.g. WᵀW against the AGOP.
    public static func correlation(_ a: Matrix, _ b: Matrix) -> Double {
        correlation(Vector(a.elements), Vector(b.elements))
    }

    /// Cosine similarity of two matrices as vectors (the Frobenius inner product, normalised).
    public static func cosineSimilarity(_ a: Matrix, _ b: Matrix) -> Double {
        cosineSimilarity(Vector(a.elements), Vector(b.elements))
    }

    /// Least-squares line `y ≈ slope·x + intercept`, with R².
    public struct LineFit: Sendable, CustomStringConvertible {
        /// Fitted slope.
        public var slope: Double
        /// Fitted intercept.
        public var intercept: Double
        /// Coefficient of determination of the fit.
        public var r2: Double
        /// `slope …, intercept …, R² …`.
        public var description: String { "slope \(slope), intercept \(intercept), R² \(r2)" }
    }

    /// Least-squares line y ≈ slope·x + intercept, with R².
    public static func lineFit(_ x: Vector, _ y: Vector) -> LineFit {
        precondition(x.count == y.count && x.count >= 2, "lineFit: needs two equal-length vectors of at least 2 points")
        let mx = x.mean, my = y.mean
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<x.count {
            sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my)
        }
        let slope = sxy / sxx
        return LineFit(slope: slope, intercept: my - slope * mx, r2: syy == 0 ? 1 : (sxy * sxy) / (sxx * syy))
    }

    /// The slope of log y against log x: the exponent of a power law `y ∝ x^slope`.
    public static func logLogFit(_ x: Vector, _ y: Vector) -> LineFit {
        lineFit(log(x), log(y))
    }

    /// A histogram: `bins` equal-width bins over `range` (default: the data's range).
    public struct Histogram: Sendable {
        /// Bin edges, `bins + 1` of them.
        public var edges: [Double]
        /// Number of samples in each bin.
        public var counts: [Int]
        /// Midpoint of each bin.
        public var centers: [Double] { (0..<counts.count).map { (edges[$0] + edges[$0 + 1]) / 2 } }
        /// Counts scaled so the histogram integrates to 1.
        public var density: [Double] {
            let total = Double(counts.reduce(0, +))
            return counts.indices.map { Double(counts[$0]) / (total * (edges[$0 + 1] - edges[$0])) }
        }
    }

    /// Counts of `x` in `bins` equal-width bins over `range` (default: the data's range; the last bin includes its right edge).
    public static func histogram(_ x: Vector, bins: Int, range: ClosedRange<Double>? = nil) -> Histogram {
        precondition(bins > 0, "histogram: bins must be positive")
        let lo = range?.lowerBound ?? x.min, hi = range?.upperBound ?? x.max
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        var counts = [Int](repeating: 0, count: bins)
        for v in x.elements where v >= lo && v <= hi {
            counts[Swift.min(bins - 1, Int((v - lo) / width))] += 1
        }
        return Histogram(edges: (0...bins).map { lo + Double($0) * width }, counts: counts)
    }
}
