import Foundation
import Testing
@testable import Compute
import ComputeKernels

@Suite struct RandomTests {
    @Test func sameSeedSameNumbers() {
        var a = Random(seed: 7), b = Random(seed: 7), c = Random(seed: 8)
        let xa = (0..<5).map { _ in a.next() }, xb = (0..<5).map { _ in b.next() }
        #expect(xa == xb)
        #expect(xa != (0..<5).map { _ in c.next() })
    }

    @Test func normalMomentsWithinSamplingError() {
        var r = Random(seed: 1)
        let x = r.normalVector(200_000)
        // Standard error of the mean is 1/√n ≈ 0.0022; allow 5 of them.
        #expect(abs(x.mean) < 0.011)
        #expect(abs(Stats.variance(x) - 1) < 0.02)
    }

    @Test func unitVectorsAndOrthogonalMatrices() {
        var r = Random(seed: 3)
        #expect(abs(r.unitVector(50).norm - 1) < 1e-14)
        let Q = r.orthogonalMatrix(6)
        #expect(maxDiff(Q.transposed * Q, Matrix.identity(6)) < 1e-13)
        var a = Array(0..<10)
        r.shuffle(&a)
        #expect(a.sorted() == Array(0..<10))
    }
}

@Suite struct StatisticsTests {
    @Test func knownValues() {
        let x: Vector = [1, 2, 3, 4]
        #expect(Stats.variance(x) == 1.25)
        #expect(Stats.variance(x, ddof: 1) == 5.0 / 3)
        #expect(Stats.quantile(x, 0.5) == 2.5)
        #expect(Stats.quantile([1, 2, 3, 4, 5], 0.25) == 2)
        #expect(abs(Stats.correlation(x, [2, 4, 6, 8]) - 1) < 1e-15)
        #expect(abs(Stats.cosineSimilarity([1, 0], [1, 1]) - 1 / 2.0.squareRoot()) < 1e-15)
        // Scaling never changes a cosine similarity.
        #expect(abs(Stats.cosineSimilarity([3, 1], [2, 5]) - Stats.cosineSimilarity([300, 100], [0.2, 0.5])) < 1e-15)
        let fit = Stats.logLogFit([1, 10, 100], [3, 30 * 10.0.squareRoot() / 10 * 10, 3 * 10])
        #expect(abs(fit.slope - 0.5) < 1e-12)
        let h = Stats.histogram([0, 0.1, 0.5, 0.9, 1], bins: 2, range: 0...1)
        #expect(h.counts == [2, 3])
    }
}

@Suite struct InformationTests {
    @Test func entropiesInBits() {
        #expect(Information.entropy([0.5, 0.5]) == 1)
        #expect(Information.entropy([0.25, 0.25, 0.25, 0.25]) == 2)
        #expect(Information.entropy([1, 0]) == 0)
        // X = Y uniform bits: I = 1 bit; independent: 0.
        #expect(abs(Information.mutualInformation(Matrix([[0.5, 0], [0, 0.5]])) - 1) < 1e-15)
        #expect(abs(Information.mutualInformation(Matrix([[0.25, 0.25], [0.25, 0.25]]))) < 1e-15)
        #expect(abs(Information.conditionalEntropy(Matrix([[0.25, 0.25], [0.25, 0.25]])) - 1) < 1e-15)
        #expect(abs(Information.klDivergence([0.5, 0.5], [0.25, 0.75]) - (0.5 * log2(2) + 0.5 * log2(2.0 / 3))) < 1e-15)
        #expect(Information.klDivergence([0.5, 0.5], [1, 0]) == .infinity)
        // XOR: Z = X ⊕ Y with X, Y fair and independent: I(X;Y) = 0 but I(X;Y|Z) = 1 bit.
        let z0 = Matrix([[0.25, 0], [0, 0.25]]), z1 = Matrix([[0, 0.25], [0.25, 0]])
        #expect(abs(Information.conditionalMutualInformation([z0, z1]) - 1) < 1e-15)
    }
}

@Suite struct ChebyshevTests {
    @Test func chopLengthsMatchChebfun() {
        // chebfun v5: length(chebfun(@exp)) = 15, chebfun(@sin) = 14, x² = 3; |x| is not resolved.
        #expect(Chebyshev.adaptive { exp($0) }?.length == 15)
        #expect(Chebyshev.adaptive { sin($0) }?.length == 14)
        #expect(Chebyshev.adaptive { $0 * $0 }?.length == 3)
        #expect(Chebyshev.adaptive { abs($0) } == nil)
    }

    @Test func transformsRoundTripAndEvaluate() {
        let c: [Double] = [1, 0.5, -0.25, 0.125, 0, 0.01, 0, 0, 0.3]
        let v = Chebyshev.values(fromCoefficients: c)
        #expect(maxDiff(Chebyshev.coefficients(fromValues: v), c) < 1e-14)
        let f = Chebyshev.adaptive(on: 0...2) { exp($0) }!
        #expect(abs(f(1.3) - exp(1.3)) < 1e-14 * exp(2))
        #expect(Chebyshev.points(3) == [-1, 0, 1])
    }
}

@Suite struct ODETests {
    @Test func harmonicOscillatorConservesEnergy() {
        // y'' = −y from (1, 0): exact solution cos t.
        let f: (Double, Vector) -> Vector = { _, y in [y[1], -y[0]] }
        let rk = ODE.rk4(from: 0, to: 10, steps: 1000, initial: [1, 0], f)
        #expect(abs(rk.y.last![0] - cos(10)) < 1e-8)
        let dp = ODE.dormandPrince(from: 0, to: 10, initial: [1, 0], rtol: 1e-10, atol: 1e-12, f)
        #expect(abs(dp.y.last![0] - cos(10)) < 1e-8)
        #expect(dp.t.last == 10)
        // Exponential decay y' = −2y: y(1) = e⁻².
        let e = ODE.dormandPrince(from: 0, to: 1, initial: [1]) { _, y in -2 * y }
        #expect(abs(e.y.last![0] - exp(-2)) < 1e-6)
    }
}

/// The C kernels behind exp and sum, on every instruction set this CPU has. Serialized: the
/// choice of kernel is process-wide.
@Suite(.serialized) struct VectorKernelTests {
    /// Distance in units in the last place.
    func ulps(_ a: Double, _ b: Double) -> Double { abs(a - b) / b.ulp }

    /// Runs `body` once per instruction set the CPU supports, then restores the best one.
    func onEveryInstructionSet(_ body: (String) -> Void) {
        defer { _ = folio_kernels_use("best") }
        var ran = 0
        for isa in ["baseline", "avx2", "avx512"] where folio_kernels_use(isa) == 1 {
            body(isa)
            ran += 1
        }
        #expect(ran >= 1)
    }

    @Test func withinTwoUlpOfLibm() {
        var rng = Random(seed: 31)
        // Lengths that are not multiples of 8 exercise the scalar tails too.
        let xs = (0..<200_003).map { _ in rng.uniform(-700, 700) } + (0..<100_005).map { _ in rng.uniform(-1, 1) }
        onEveryInstructionSet { isa in
            let fast = exp(Vector(xs))
            var worst = 0.0
            for i in xs.indices { worst = max(worst, ulps(fast[i], Foundation.exp(xs[i]))) }
            #expect(worst <= 2, "\(isa): \(worst) ulp")
        }
    }

    /// Special values in every lane position of a vector, so each path's fix-up is exercised.
    @Test func specialValuesMatchLibmInEveryLane() {
        let specials: [Double] = [0, -0.0, 1, -1, 709.7, 710, 1000, -708.5, -745, -746, -1000, .infinity, -.infinity, 1e-300, -1e-300, .nan]
        onEveryInstructionSet { isa in
            for shift in 0..<8 {
                let xs = Array(repeating: 0.5, count: shift) + specials + Array(repeating: 0.25, count: 7)
                let fast = exp(Vector(xs))
                for (x, y) in zip(xs, fast.elements) {
                    let want = Foundation.exp(x)
                    #expect(y == want || (want.isNaN && y.isNaN) || abs(y - want) <= 2 * want.ulp, "\(isa): exp(\(x)) = \(y)")
                }
            }
        }
    }

    /// The sum keeps 32 partial sums in the same arrangement on every path: identical bits.
    @Test func sumIsTheSameOnEveryInstructionSet() {
        var rng = Random(seed: 5)
        for n in [0, 1, 31, 32, 33, 1000, 65_536, 65_537, 300_001] {
            let v = Vector((0..<n).map { _ in rng.uniform(-1, 1) * 1e3 })
            var sums: [String: Double] = [:]
            onEveryInstructionSet { isa in sums[isa] = v.sum }
            #expect(Set(sums.values.map(\.bitPattern)).count == 1, "n = \(n): \(sums)")
            // And close to an exactly rounded sum (Kahan–Babuška with error terms kept).
            var s = 0.0, c = 0.0
            for x in v.elements { let t = s + x; c += abs(s) >= abs(x) ? (s - t) + x : (x - t) + s; s = t }
            #expect(abs(v.sum - (s + c)) <= 1e-9 * max(1, Double(n)), "n = \(n)")
        }
    }

    @Test func specialValuesMatchLibm() {
        let xs: [Double] = [0, -0.0, 1, -1, 709.7, 710, 1000, -708.5, -745, -746, -1000, .infinity, -.infinity, 1e-300, -1e-300]
        let fast = exp(Vector(xs))
        for (x, y) in zip(xs, fast.elements) { #expect(y == Foundation.exp(x) || abs(y - Foundation.exp(x)) <= 2 * Foundation.exp(x).ulp, "exp(\(x))") }
        #expect(exp(Vector([Double.nan]))[0].isNaN)
        #expect(exp(Vector([0.0]))[0] == 1)
    }
}
