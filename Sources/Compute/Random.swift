import Foundation
import FolioWire

/// A seedable generator: **xoshiro256\*\*** (Blackman & Vigna 2018) seeded through SplitMix64, the
/// pair numpy's and Julia's generators are built from. The same seed gives the same numbers on
/// every run and machine. Normal deviates use the polar Box–Muller method.
public struct Random: RandomNumberGenerator, Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)
    var spareNormal: Double?

    /// A generator whose state is expanded from `seed` with SplitMix64; the same seed gives the same numbers on every run and machine.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// Seeded from `FOLIO_SEED` (set per notebook by Folio, so rebuilds repeat), else 42.
    public static func fromEnvironment() -> Random {
        Random(seed: NotebookEnvironment.seed.value.flatMap(UInt64.init) ?? 42)
    }

    @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }
    /// A standard normal deviate (mean 0, variance 1).
    public mutating func normal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * Foundation.log(s) / s).squareRoot()
                spareNormal = v * f
                return u * f
            }
        }
    }
    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Double, std: Double) -> Double { mean + std * normal() }
    /// An integer uniform in `range`.
    public mutating func int(in range: Range<Int>) -> Int { Int.random(in: range, using: &self) }
    /// A fair coin.
    public mutating func bit() -> Int { Int(next() >> 63) }

    /// `n` independent uniform samples on [a, b).
    public mutating func uniformVector(_ n: Int, _ a: Double = 0, _ b: Double = 1) -> Vector { Vector(freshArray(n) { uniform(a, b) }) }
    /// `n` independent normal samples.
    public mutating func normalVector(_ n: Int, mean: Double = 0, std: Double = 1) -> Vector { Vector(freshArray(n) { normal(mean: mean, std: std) }) }
    /// A matrix of independent normal samples with standard deviation `std`.
    public mutating func normalMatrix(_ rows: Int, _ cols: Int, std: Double = 1) -> Matrix {
        Matrix(rows: rows, cols: cols, elements: freshArray(rows * cols) { std * normal() })
    }
    /// A matrix of independent uniform samples on [a, b).
    public mutating func uniformMatrix(_ rows: Int, _ cols: Int, _ a: Double = 0, _ b: Double = 1) -> Matrix {
        Matrix(rows: rows, cols: cols, elements: freshArray(rows * cols) { uniform(a, b) })
    }
    /// A point uniformly distributed on the unit sphere in ℝⁿ (a normalised Gaussian vector).
    public mutating func unitVector(_ n: Int) -> Vector {
        while true {
            let v = normalVector(n)
            let r = v.norm
            if r > 0 { return v / r }
        }
    }
    /// A Haar-random orthogonal matrix: QR of a Gaussian matrix with R's diagonal signs fixed
    /// (Mezzadri 2007), so the distribution is uniform, not biased by LAPACK's sign choice.
    public mutating func orthogonalMatrix(_ n: Int) -> Matrix {
        let g = normalMatrix(n, n)
        guard let (q, r) = try? g.qr() else { return Matrix.identity(n) }
        var out = q
        for j in 0..<n where r[j, j] < 0 {
            for i in 0..<n { out[i, j] = -out[i, j] }
        }
        return out
    }
    /// Fisher–Yates shuffle.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(in: 0..<(i + 1))) }
    }
    /// A uniformly random permutation of `a` (Fisher–Yates).
    public mutating func shuffled<T>(_ a: [T]) -> [T] { var c = a; shuffle(&c); return c }
    /// An index drawn with the given (unnormalised) weights.
    public mutating func choice(weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = uniform() * total
        for (i, w) in weights.enumerated() { u -= w; if u < 0 { return i } }
        return weights.count - 1
    }
}
