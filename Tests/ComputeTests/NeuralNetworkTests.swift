import Foundation
import Testing
@testable import Compute

/// Gradients, Jacobians and Hessians against central finite differences (step 1e-5; agreement to
/// 1e-6 relative is what double precision allows for that step), and exact identities.
@Suite struct NeuralNetworkTests {
    func data(_ rng: inout Random, n: Int, d: Int, k: Int) -> (Matrix, Matrix) {
        (rng.normalMatrix(n, d), rng.normalMatrix(n, k))
    }

    func finiteGradient(_ net: MLP, _ X: Matrix, _ Y: Matrix, _ loss: Loss) -> Vector {
        let h = 1e-5
        return Vector((0..<net.parameterCount).map { i in
            var a = net, b = net
            a.parameters[i] += h; b.parameters[i] -= h
            return (a.loss(X, Y, loss) - b.loss(X, Y, loss)) / (2 * h)
        })
    }

    @Test(arguments: [Activation.tanh, .gelu, .relu])
    func gradientMatchesFiniteDifferences(_ act: Activation) {
        var rng = Random(seed: 11)
        let net = MLP(sizes: [3, 5, 2], activation: act, rng: &rng)
        let (X, Y) = data(&rng, n: 4, d: 3, k: 2)
        for loss in [Loss.meanSquaredError, .softmaxCrossEntropy] {
            let Yc = loss == .meanSquaredError ? Y : Matrix([[1, 0], [0, 1], [1, 0], [0, 1]])
            let g = net.gradient(X, Yc, loss), fd = finiteGradient(net, X, Yc, loss)
            #expect((g - fd).norm <= 1e-6 * max(1, g.norm))
        }
    }

    @Test func batchedGradientEqualsPerSampleBackprop() {
        var rng = Random(seed: 21)
        let net = MLP(sizes: [4, 6, 5, 3], activation: .gelu, rng: &rng)
        let X = rng.normalMatrix(7, 4)
        let Y = Matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
        for loss in [Loss.meanSquaredError, .softmaxCrossEntropy] {
            let fast = net.gradient(X, Y, loss)
            let slow = Vector(net.gradient(net.parameters.elements, X, Y, loss))
            #expect((fast - slow).norm < 1e-13 * max(1, slow.norm))
        }
    }

    @Test func hessianMatchesFiniteDifferencesOfGradient() {
        var rng = Random(seed: 5)
        let net = MLP(sizes: [2, 3, 2], activation: .tanh, rng: &rng)
        let (X, Y) = data(&rng, n: 3, d: 2, k: 2)
        let H = net.hessian(X, Y)
        let h = 1e-5
        var worst = 0.0
        for i in 0..<net.parameterCount {
            var a = net, b = net
            a.parameters[i] += h; b.parameters[i] -= h
            let col = (a.gradient(X, Y) - b.gradient(X, Y)) / (2 * h)
            worst = max(worst, (col - H.column(i)).norm(.infinity))
        }
        #expect(worst < 1e-7)
        #expect(maxDiff(H, H.transposed) == 0)
    }

    @Test func gaussNewtonEqualsHessianForLinearModelWithMSE() {
        // A linear network is linear in each layer; with one layer the MSE loss is quadratic,
        // so the Hessian equals the Gauss–Newton matrix exactly.
        var rng = Random(seed: 2)
        let net = MLP(sizes: [3, 2], activation: .identity, rng: &rng)
        let (X, Y) = data(&rng, n: 5, d: 3, k: 2)
        #expect(maxDiff(net.hessian(X, Y), net.gaussNewton(X, Y)) < 1e-12)
    }

    @Test func jacobiansMatchFiniteDifferences() {
        var rng = Random(seed: 9)
        let net = MLP(sizes: [3, 4, 2], activation: .gelu, rng: &rng)
        let x: Vector = [0.3, -0.7, 1.1]
        let J = net.parameterJacobian(x)
        let h = 1e-6
        for i in [0, 5, 13, net.parameterCount - 1] {
            var a = net, b = net
            a.parameters[i] += h; b.parameters[i] -= h
            let col = (a(x) - b(x)) / (2 * h)
            #expect((col - J.column(i)).norm < 1e-8)
        }
        let Jx = net.inputJacobian(x)
        for j in 0..<3 {
            let col = (net(x + Vector.basis(j, count: 3) * h) - net(x - Vector.basis(j, count: 3) * h)) / (2 * h)
            #expect((col - Jx.column(j)).norm < 1e-8)
        }
    }

    @Test func adamTrainingReducesLoss() {
        var rng = Random(seed: 4)
        var net = MLP(sizes: [2, 8, 1], activation: .tanh, rng: &rng)
        let X = rng.normalMatrix(32, 2)
        let Y = Matrix(rows: 32, cols: 1) { i, _ in sin(X[i, 0]) * X[i, 1] }
        let before = net.loss(X, Y)
        var opt = Optimizer.adam(learningRate: 0.02)
        let history = net.train(X, Y, optimizer: &opt, steps: 300)
        #expect(history.last! < before / 5)
    }

    /// Training takes each step's loss from the next step's forward pass: the history must still be
    /// the loss after each step, for both losses and every activation.
    @Test(arguments: [Activation.gelu, .tanh, .relu])
    func trainingHistoryIsTheLossAfterEachStep(_ act: Activation) {
        var rng = Random(seed: 9)
        let X = rng.normalMatrix(20, 3)
        let Y = Matrix(rows: 20, cols: 2) { i, j in j == 0 ? X[i, 0] * X[i, 1] : cos(X[i, 2]) }
        let labels = Matrix(rows: 20, cols: 2) { i, j in (X[i, 0] > 0) == (j == 0) ? 1 : 0 }
        for (loss, targets) in [(Loss.meanSquaredError, Y), (.softmaxCrossEntropy, labels)] {
            let start = MLP(sizes: [3, 7, 5, 2], activation: act, rng: &rng)
            var whole = start, stepwise = start
            var a = Optimizer.adamW(learningRate: 0.01), b = a
            let history = whole.train(X, targets, loss: loss, optimizer: &a, steps: 6)
            #expect(history.count == 6)
            for k in 0..<6 {
                stepwise.train(X, targets, loss: loss, optimizer: &b, steps: 1)
                #expect(abs(history[k] - stepwise.loss(X, targets, loss)) <= 1e-13 * max(1, history[k]))
            }
            #expect(whole.parameters == stepwise.parameters)
        }
    }
}
