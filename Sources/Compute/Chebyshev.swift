import Foundation

/// Chebyshev interpolation on an interval, following chebfun (Trefethen, *Approximation Theory
/// and Approximation Practice*): values at Chebyshev points of the second kind ↔ coefficients by
/// the DCT-I (done with a real FFT of the even extension), evaluation by Clenshaw's recurrence, and
/// adaptive construction that doubles the grid (17, 33, 65, … points) until Aurentz & Trefethen's
/// `standardChop` (ACM TOMS 43(4), 2017) finds where the coefficients reach their plateau.
public struct Chebyshev: Sendable, CustomStringConvertible {
    /// Coefficients of T₀, T₁, … on `domain`.
    public var coefficients: [Double]
    /// The interval the interpolant lives on.
    public var domain: ClosedRange<Double>

    /// An interpolant from its Chebyshev coefficients on `domain`.
    public init(coefficients: [Double], domain: ClosedRange<Double> = -1...1) {
        self.coefficients = coefficients
        self.domain = domain
    }

    /// Number of coefficients (chebfun's `length`).
    public var length: Int { coefficients.count }

    /// `n` Chebyshev points of the second kind on [−1, 1], ascending: −cos(πj/(n−1)).
    public static func points(_ n: Int) -> [Double] {
        guard n > 1 else { return n == 1 ? [0] : [] }
        let N = Double(n - 1)
        // sin form is symmetric to the last bit, unlike −cos(πj/N).
        return (0..<n).map { j in Foundation.sin(Double.pi * (2 * Double(j) - N) / (2 * N)) }
    }

    /// Points mapped to `domain`.
    public static func points(_ n: Int, on domain: ClosedRange<Double>) -> [Double] {
        points(n).map { domain.lowerBound + (domain.upperBound - domain.lowerBound) * ($0 + 1) / 2 }
    }

    /// Values at the ascending second-kind points → Chebyshev coefficients (fast DCT-I).
    public static func coefficients(fromValues v: [Double]) -> [Double] {
        let n = v.count
        guard n > 1 else { return v }
        let N = n - 1
        // Even extension of the values ordered from x = 1 down to x = −1.
        var re = [Double](repeating: 0, count: 2 * N), im = re
        for j in 0...N { re[j] = v[N - j] }
        for j in 1..<N { re[2 * N - j] = v[N - j] }
        if (2 * N) & (2 * N - 1) == 0 {
            FFT.transform(&re, &im)
        } else {
            re = slowDCT(re)
        }
        var c = [Double](repeating: 0, count: n)
        for k in 0...N { c[k] = re[k] / Double(N) }
        c[0] /= 2
        c[N] /= 2
        return c
    }

    /// Direct transform for lengths that are not 2^k + 1 (O(n²), only for small n).
    static func slowDCT(_ x: [Double]) -> [Double] {
        let m = x.count
        return (0..<m).map { k in (0..<m).reduce(0.0) { $0 + x[$1] * Foundation.cos(2 * Double.pi * Double(k * $1) / Double(m)) } }
    }

    /// Coefficients → values at the ascending second-kind points.
    public static func values(fromCoefficients c: [Double]) -> [Double] {
        let n = c.count
        guard n > 1 else { return c }
        let pts = points(n)
        let f = Chebyshev(coefficients: c)
        return pts.map { f.evaluateStandard($0) }
    }

    /// Clenshaw's recurrence on [−1, 1].
    func evaluateStandard(_ x: Double) -> Double {
        var b1 = 0.0, b2 = 0.0
        var k = coefficients.count - 1
        while k >= 1 {
            let b0 = coefficients[k] + 2 * x * b1 - b2
            b2 = b1; b1 = b0
            k -= 1
        }
        return (coefficients.first ?? 0) + x * b1 - b2
    }

    /// The interpolant's value at `x` in `domain`.
    public func callAsFunction(_ x: Double) -> Double {
        let t = (2 * x - domain.lowerBound - domain.upperBound) / (domain.upperBound - domain.lowerBound)
        return evaluateStandard(t)
    }

    /// chebfun's `standardChop`: the number of coefficients to keep, or `coeffs.count` when the
    /// sequence has not yet decayed to a plateau at relative level `tolerance` (not converged).
    public static func standardChop(_ coeffs: [Double], tolerance tol: Double = Double.ulpOfOne) -> Int {
        let n = coeffs.count
        if tol >= 1 { return 1 }
        if n < 17 { return n }
        // Step 1: the monotone envelope, normalised.
        var m = coeffs.map(Swift.abs)
        for j in stride(from: n - 2, through: 0, by: -1) { m[j] = Swift.max(m[j], m[j + 1]) }
        if m[0] == 0 { return 1 }
        var envelope = m.map { $0 / m[0] }
        // Step 2: the plateau point (1-based indices as in the paper).
        var plateauPoint = 0
        var j2 = 0
        var found = false
        for j in 2...n {
            j2 = Int((1.25 * Double(j) + 5).rounded())
            if j2 > n { return n }
            let e1 = envelope[j - 1], e2 = envelope[j2 - 1]
            let r = 3 * (1 - Foundation.log(e1) / Foundation.log(tol))
            if e1 == 0 || e2 / e1 > r {
                plateauPoint = j - 1
                found = true
                break
            }
        }
        guard found else { return n }
        // Step 3: the lowest point of the envelope plus a line biased towards the left.
        if envelope[plateauPoint - 1] == 0 { return plateauPoint }
        let floor = Foundation.pow(tol, 7.0 / 6.0)
        let j3 = envelope.filter { $0 >= floor }.count
        if j3 < j2 {
            j2 = j3 + 1
            envelope[j2 - 1] = floor
        }
        var best = 0
        var bestValue = Double.infinity
        for i in 0..<j2 {
            let t = j2 == 1 ? 0 : Double(i) / Double(j2 - 1)
            let cc = Foundation.log10(envelope[i]) + t * (-1.0 / 3.0) * Foundation.log10(tol)
            if cc < bestValue { bestValue = cc; best = i + 1 }
        }
        return Swift.max(best - 1, 1)
    }

    /// Adaptive construction as chebfun does it: sample on 17, 33, 65, … points until
    /// `standardChop` finds a plateau, then keep the coefficients before it. Returns nil when
    /// `maxLength` points are not enough (the function is not smooth enough to resolve).
    public static func adaptive(on domain: ClosedRange<Double> = -1...1, tolerance: Double = Double.ulpOfOne,
                                maxLength: Int = 65537, _ f: (Double) -> Double) -> Chebyshev? {
        var n = 17
        while n <= maxLength {
            let values = points(n, on: domain).map(f)
            let c = coefficients(fromValues: values)
            let cutoff = standardChop(c, tolerance: tolerance)
            if cutoff < n {
                return Chebyshev(coefficients: Array(c[0..<cutoff]), domain: domain)
            }
            n = 2 * n - 1
        }
        return nil
    }

    /// Length and domain, e.g. `Chebyshev interpolant of length 15 on [-1.0, 1.0]`.
    public var description: String { "Chebyshev interpolant of length \(length) on [\(domain.lowerBound), \(domain.upperBound)]" }
}
