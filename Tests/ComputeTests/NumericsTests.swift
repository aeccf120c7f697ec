import Foundation
import Testing
@testable import Compute

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

@Suite struct VectorExpTests {
    /// Distance in units in the last place.
    func ulps(_ a: Double, _ b: Double) -> Double { abs(a - b) / b.ulp }

    @Test func withinTwoUlpOfLibm() {
        var rng = Random(seed: 31)
        let xs = (0..<200_000).map { _ in rng.uniform(-700, 700) } + (0..<100_000).map { _ in rng.uniform(-1, 1) }
        let fast = exp(Vector(xs))
        var worst = 0.0
        for i in xs.indices { worst = max(worst, ulps(fast[i], Foundation.exp(xs[i]))) }
        #expect(worst <= 2)
    }

    @Test func specialValuesMatchLibm() {
        let xs: [Double] = [0, -0.0, 1, -1, 709.7, 710, 1000, -708.5, -745, -746, -1000, .infinity, -.infinity, 1e-300, -1e-300]
        let fast = exp(Vector(xs))
        for (x, y) in zip(xs, fast.elements) { #expect(y == Foundation.exp(x) || abs(y - Foundation.exp(x)) <= 2 * Foundation.exp(x).ulp, "exp(\(x))") }
        #expect(exp(Vector([Double.nan]))[0].isNaN)
        #expect(exp(Vector([0.0]))[0] == 1)
    }
}
