import Foundation

/// Scalars the network code is generic over: `Double` for training, `Dual` (value + derivative)
/// to differentiate backpropagation itself, which gives exact Hessian columns
/// (forward-over-reverse differentiation) rather than finite-difference approximations.
public protocol NetworkScalar {
    init(_ value: Double)
    var value: Double { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func exp() -> Self
    func log() -> Self
    func tanh() -> Self
    func erf() -> Self
}

extension Double: NetworkScalar {
    /// The number itself (so code generic over `Scalar` can read values).
    public var value: Double { self }
    /// eˣ.
    public func exp() -> Double { Foundation.exp(self) }
    /// Natural logarithm.
    public func log() -> Double { Foundation.log(self) }
    /// Hyperbolic tangent.
    public func tanh() -> Double { Foundation.tanh(self) }
    /// Error function.
    public func erf() -> Double { Foundation.erf(self) }
}

/// A dual number `a + b·ε` with ε² = 0: arithmetic on it carries exact first derivatives.
public struct Dual: NetworkScalar, Sendable {
    /// The value f(x).
    public var value: Double
    /// The derivative f′(x) carried along with the value.
    public var derivative: Double
    /// A constant: derivative 0.
    public init(_ value: Double) { self.value = value; derivative = 0 }
    /// A value with its derivative (seed 1 for the variable being differentiated).
    public init(_ value: Double, _ derivative: Double) { self.value = value; self.derivative = derivative }
    /// Sum rule.
    public static func + (a: Dual, b: Dual) -> Dual { Dual(a.value + b.value, a.derivative + b.derivative) }
    /// Difference rule.
    public static func - (a: Dual, b: Dual) -> Dual { Dual(a.value - b.value, a.derivative - b.derivative) }
    /// Product rule.
    public static func * (a: Dual, b: Dual) -> Dual { Dual(a.value * b.value, a.derivative * b.value + a.value * b.derivative) }
    /// Quotient rule.
    public static func / (a: Dual, b: Dual) -> Dual {
        Dual(a.value / b.value, (a.derivative * b.value - a.value * b.derivative) / (b.value * b.value))
    }
    /// Negation.
    public static prefix func - (a: Dual) -> Dual { Dual(-a.value, -a.derivative) }
    /// eˣ with derivative eˣ·x′.
    public func exp() -> Dual { let e = Foundation.exp(value); return Dual(e, e * derivative) }
    /// log x with derivative x′/x.
    public func log() -> Dual { Dual(Foundation.log(value), derivative / value) }
    /// tanh x with derivative (1 − tanh²x)·x′.
    public func tanh() -> Dual { let t = Foundation.tanh(value); return Dual(t, (1 - t * t) * derivative) }
    /// erf x with derivative (2/√π)·e^(−x²)·x′.
    public func erf() -> Dual { Dual(Foundation.erf(value), 2 / Double.pi.squareRoot() * Foundation.exp(-value * value) * derivative) }
}

/// Nonlinearities between layers.
public enum Activation: String, Sendable, CaseIterable {
    case relu, tanh, gelu, identity

    /// σ(z).
    func apply<S: NetworkScalar>(_ z: S) -> S {
        switch self {
        case .relu: return z.value > 0 ? z : S(0)
        case .tanh: return z.tanh()
        case .gelu: return S(0.5) * z * (S(1) + (z * S(1 / 2.0.squareRoot())).erf())   // exact GELU: z·Φ(z)
        case .identity: return z
        }
    }

    /// σ'(z), written in the scalar's own arithmetic so it can be differentiated again.
    func derivative<S: NetworkScalar>(_ z: S) -> S {
        switch self {
        case .relu: return S(z.value > 0 ? 1 : 0)
        case .tanh: let t = z.tanh(); return S(1) - t * t
        case .gelu:
            let phi = (-(z * z) * S(0.5)).exp() * S(1 / (2 * Double.pi).squareRoot())
            return S(0.5) * (S(1) + (z * S(1 / 2.0.squareRoot())).erf()) + z * phi
        case .identity: return S(1)
        }
    }

    /// σ(z) and σ'(z) together, each as `apply` and `derivative` compute it (to the bit), with
    /// GELU's erf taken once for both.
    @inline(__always)
    func valueAndSlope(_ z: Double) -> (Double, Double) {
        guard self == .gelu else { return (apply(z), derivative(z)) }
        let e = Foundation.erf(z * (1 / 2.0.squareRoot()))
        let phi = Foundation.exp(-(z * z) * 0.5) * (1 / (2 * Double.pi).squareRoot())
        return (0.5 * z * (1 + e), 0.5 * (1 + e) + z * phi)
    }
}

/// Per-sample losses. The network's loss is their mean over the samples.
public enum Loss: Sendable {
    /// ½‖f(x) − y‖², whose Hessian in f is the identity.
    case meanSquaredError
    /// −Σₖ yₖ log softmax(f(x))ₖ for one-hot (or probability) targets y.
    case softmaxCrossEntropy

    func value<S: NetworkScalar>(_ out: [S], _ y: [Double]) -> S {
        switch self {
        case .meanSquaredError:
            var s = S(0)
            for k in out.indices { let d = out[k] - S(y[k]); s = s + d * d }
            return S(0.5) * s
        case .softmaxCrossEntropy:
            let m = out.map(\.value).max() ?? 0
            var z = S(0)
            for o in out { z = z + (o - S(m)).exp() }
            let logZ = z.log() + S(m)
            var s = S(0)
            for k in out.indices where y[k] != 0 { s = s - S(y[k]) * (out[k] - logZ) }
            return s
        }
    }

    /// ∂ℓ/∂f.
    func gradient<S: NetworkScalar>(_ out: [S], _ y: [Double]) -> [S] {
        switch self {
        case .meanSquaredError:
            return out.indices.map { out[$0] - S(y[$0]) }
        case .softmaxCrossEntropy:
            let p = Self.softmax(out)
            let total = y.reduce(0, +)
            return out.indices.map { p[$0] * S(total) - S(y[$0]) }
        }
    }

    /// ∂²ℓ/∂f², the matrix in the Gauss–Newton product.
    public func outputHessian(_ out: [Double], _ y: [Double]) -> Matrix {
        switch self {
        case .meanSquaredError: return Matrix.identity(out.count)
        case .softmaxCrossEntropy:
            let p = Self.softmax(out)
            let total = y.reduce(0, +)
            return Matrix(rows: out.count, cols: out.count) { i, j in total * ((i == j ? p[i] : 0) - p[i] * p[j]) }
        }
    }

    static func softmax<S: NetworkScalar>(_ out: [S]) -> [S] {
        let m = out.map(\.value).max() ?? 0
        let e = out.map { ($0 - S(m)).exp() }
        var z = S(0)
        for v in e { z = z + v }
        return e.map { $0 / z }
    }
}

/// A dense multilayer perceptron with a flat parameter vector, as the notes' arguments need:
/// exact gradients by backpropagation, Jacobians of outputs with respect to parameters and inputs,
/// the loss Hessian (exact, forward-over-reverse) and the Gauss–Newton matrix.
///
/// Parameters are laid out layer by layer: the weight matrix `W` (out × in, row-major), then the
/// bias vector when `bias` is on. The last layer has no activation (logits or regression outputs).
public struct MLP: Sendable {
    /// Layer widths, input first: `[4, 16, 1]` is 4 inputs, one hidden layer of 16, one output.
    public var sizes: [Int]
    /// Nonlinearity after every layer but the last.
    public var activation: Activation
    /// Whether layers add a bias vector.
    public var bias: Bool
    /// All weights (row-major, layer by layer) and biases in one flat vector.
    public var parameters: Vector

    /// Random initialisation: weights N(0, gain²/fan-in) (He for ReLU/GELU, Xavier-like for tanh), biases 0.
    public init(sizes: [Int], activation: Activation = .relu, bias: Bool = true, rng: inout Random) {
        precondition(sizes.count >= 2, "MLP: needs at least an input and an output size")
        self.sizes = sizes
        self.activation = activation
        self.bias = bias
        var p: [Double] = []
        let gain = activation == .tanh || activation == .identity ? 1.0 : 2.0.squareRoot()
        for l in 0..<(sizes.count - 1) {
            let std = gain / Double(sizes[l]).squareRoot()
            for _ in 0..<(sizes[l] * sizes[l + 1]) { p.append(std * rng.normal()) }
            if bias { p += [Double](repeating: 0, count: sizes[l + 1]) }
        }
        parameters = Vector(p)
    }

    /// A network with the given parameters.
    public init(sizes: [Int], activation: Activation = .relu, bias: Bool = true, parameters: Vector) {
        self.sizes = sizes
        self.activation = activation
        self.bias = bias
        self.parameters = parameters
        precondition(parameters.count == parameterCount, "MLP: \(parameters.count) parameters given, \(parameterCount) needed")
    }

    /// Number of weight layers (`sizes.count - 1`).
    public var layerCount: Int { sizes.count - 1 }
    /// Length of `parameters`.
    public var parameterCount: Int {
        (0..<layerCount).reduce(0) { $0 + sizes[$1] * sizes[$1 + 1] + (bias ? sizes[$1 + 1] : 0) }
    }
    /// Where layer `l`'s weights start in the flat vector.
    public func weightOffset(_ l: Int) -> Int {
        (0..<l).reduce(0) { $0 + sizes[$1] * sizes[$1 + 1] + (bias ? sizes[$1 + 1] : 0) }
    }
    /// Layer `l`'s weight matrix (out × in).
    public func weights(_ l: Int) -> Matrix {
        let o = weightOffset(l)
        return Matrix(rows: sizes[l + 1], cols: sizes[l], elements: Array(parameters.elements[o..<o + sizes[l] * sizes[l + 1]]))
    }
    /// Layer `l`'s bias (zeros when the network has none).
    public func biases(_ l: Int) -> Vector {
        guard bias else { return .zeros(sizes[l + 1]) }
        let o = weightOffset(l) + sizes[l] * sizes[l + 1]
        return Vector(Array(parameters.elements[o..<o + sizes[l + 1]]))
    }

    // MARK: Generic forward and backward passes

    struct Trace<S> {
        var inputs: [[S]]   // input to each layer
        var pre: [[S]]      // pre-activations of each layer
        var output: [S]
    }

    func forward<S: NetworkScalar>(_ p: [S], _ x: [S]) -> Trace<S> {
        var a = x
        var inputs: [[S]] = [], pre: [[S]] = []
        var offset = 0
        for l in 0..<layerCount {
            let nin = sizes[l], nout = sizes[l + 1]
            inputs.append(a)
            var z = [S](repeating: S(0), count: nout)
            for i in 0..<nout {
                var s = bias ? p[offset + nin * nout + i] : S(0)
                let row = offset + i * nin
                for j in 0..<nin { s = s + p[row + j] * a[j] }
                z[i] = s
            }
            offset += nin * nout + (bias ? nout : 0)
            pre.append(z)
            a = l == layerCount - 1 ? z : z.map { activation.apply($0) }
        }
        return Trace(inputs: inputs, pre: pre, output: a)
    }

    /// Backpropagates `outputGradient` (∂/∂output): returns ∂/∂parameters and ∂/∂input.
    func backward<S: NetworkScalar>(_ p: [S], _ trace: Trace<S>, _ outputGradient: [S]) -> (params: [S], input: [S]) {
        var grad = [S](repeating: S(0), count: p.count)
        var delta = outputGradient  // ∂/∂ pre-activation of the current layer
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let nin = sizes[l], nout = sizes[l + 1]
            let offset = weightOffset(l)
            let a = trace.inputs[l]
            for i in 0..<nout {
                let row = offset + i * nin
                for j in 0..<nin { grad[row + j] = delta[i] * a[j] }
                if bias { grad[offset + nin * nout + i] = delta[i] }
            }
            var back = [S](repeating: S(0), count: nin)
            for j in 0..<nin {
                var s = S(0)
                for i in 0..<nout { s = s + p[offset + i * nin + j] * delta[i] }
                back[j] = s
            }
            if l > 0 {
                let z = trace.pre[l - 1]
                delta = (0..<nin).map { back[$0] * activation.derivative(z[$0]) }
            } else {
                delta = back
            }
        }
        return (grad, delta)
    }

    // MARK: Public API

    /// The network's output for one input.
    public func callAsFunction(_ x: Vector) -> Vector {
        precondition(x.count == sizes[0], "MLP: input has \(x.count) values, the network takes \(sizes[0])")
        return Vector(forward(parameters.elements, x.elements).output)
    }

    /// Outputs for a batch (rows are samples).
    public func callAsFunction(_ X: Matrix) -> Matrix { Matrix(rows: X.rowVectors.map { self($0) }) }

    /// Mean loss over the samples (rows of `X` and `Y`).
    public func loss(_ X: Matrix, _ Y: Matrix, _ loss: Loss = .meanSquaredError) -> Double {
        var total = 0.0
        for n in 0..<X.rows {
            total += loss.value(forward(parameters.elements, X.row(n).elements).output, Y.row(n).elements)
        }
        return total / Double(X.rows)
    }

    /// Exact gradient of the mean loss with respect to the parameters (batched through BLAS).
    public func gradient(_ X: Matrix, _ Y: Matrix, _ loss: Loss = .meanSquaredError) -> Vector {
        batchGradient(X, Y, loss)
    }

    /// The same gradient as the generic per-sample path, computed a layer at a time with matrix
    /// products over the whole batch: this is what makes training fast.
    func batchGradient(_ X: Matrix, _ Y: Matrix, _ loss: Loss) -> Vector {
        batchLossAndGradient(X, Y, loss).gradient
    }

    /// The mean loss and its gradient from one batched forward pass, which keeps each layer's
    /// activation slopes as it goes (GELU's erf is the costliest step of training, so it is taken
    /// once per pre-activation, not again on the way back).
    func batchLossAndGradient(_ X: Matrix, _ Y: Matrix, _ loss: Loss) -> (loss: Double, gradient: Vector) {
        let n = X.rows
        let (acts, slopes) = batchForward(X, slopes: true)
        let a = acts.last!
        var total = 0.0
        var deltas: [Double] = []
        if case .meanSquaredError = loss {
            // `value` and `gradient` over the whole batch at once, in the same order of operations.
            deltas = [Double](repeating: 0, count: n * a.cols)
            let k = a.cols
            a.elements.withUnsafeBufferPointer { out in
                Y.elements.withUnsafeBufferPointer { y in
                    for i in 0..<n {
                        var s = 0.0
                        for j in i * k..<(i + 1) * k { let d = out[j] - y[j]; deltas[j] = d; s = s + d * d }
                        total += 0.5 * s
                    }
                }
            }
        } else {
            deltas.reserveCapacity(n * a.cols)
            for i in 0..<n {
                let out = a.row(i).elements, y = Y.row(i).elements
                total += loss.value(out, y)
                deltas += loss.gradient(out, y)
            }
        }
        // ∂(mean loss)/∂ output, row by row.
        var delta = Matrix(rows: n, cols: a.cols, elements: deltas) / Double(n)
        var grad = [Double](repeating: 0, count: parameterCount)
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let dW = delta.multiplied(by: acts[l], transposeSelf: true)      // out × in
            let o = weightOffset(l)
            grad.replaceSubrange(o..<o + dW.elements.count, with: dW.elements)
            if bias {
                let db = delta.sum(along: .rows)
                grad.replaceSubrange(o + dW.elements.count..<o + dW.elements.count + db.count, with: db.elements)
            }
            if l > 0 { delta = (delta * weights(l)) .* slopes[l - 1] }
        }
        return (total / Double(n), Vector(grad))
    }

    /// The mean loss through the batched forward pass.
    func batchLoss(_ X: Matrix, _ Y: Matrix, _ loss: Loss) -> Double {
        let out = batchForward(X, slopes: false).acts.last!
        var total = 0.0
        for i in 0..<X.rows { total += loss.value(out.row(i).elements, Y.row(i).elements) }
        return total / Double(X.rows)
    }

    /// Every layer's input (the last entry is the output) for a batch, and when asked the slope
    /// σ'(z) at each hidden layer's pre-activations.
    func batchForward(_ X: Matrix, slopes wanted: Bool) -> (acts: [Matrix], slopes: [Matrix]) {
        let n = X.rows
        var acts: [Matrix] = [X], slopes: [Matrix] = []
        var a = X
        for l in 0..<layerCount {
            var z = a.multiplied(by: weights(l), transposeOther: true)
            if bias {
                let b = biases(l)
                z.elements.withUnsafeMutableBufferPointer { p in
                    for i in 0..<n { for j in 0..<b.count { p[i * b.count + j] += b[j] } }
                }
            }
            if l == layerCount - 1 {
                a = z
            } else if wanted {
                var slope = z
                z.elements.withUnsafeMutableBufferPointer { zs in
                    slope.elements.withUnsafeMutableBufferPointer { ds in
                        for k in 0..<zs.count { (zs[k], ds[k]) = activation.valueAndSlope(zs[k]) }
                    }
                }
                a = z
                slopes.append(slope)
            } else {
                a = z.map { activation.apply($0) }
            }
            acts.append(a)
        }
        return (acts, slopes)
    }

    func gradient<S: NetworkScalar>(_ p: [S], _ X: Matrix, _ Y: Matrix, _ loss: Loss) -> [S] {
        var g = [S](repeating: S(0), count: p.count)
        let scale = S(1 / Double(X.rows))
        for n in 0..<X.rows {
            let trace = forward(p, X.row(n).elements.map { S($0) })
            let gi = backward(p, trace, loss.gradient(trace.output, Y.row(n).elements)).params
            for k in 0..<g.count { g[k] = g[k] + gi[k] * scale }
        }
        return g
    }

    /// Jacobian of the outputs at `x` with respect to the parameters (outputs × parameters).
    public func parameterJacobian(_ x: Vector) -> Matrix {
        let trace = forward(parameters.elements, x.elements)
        let k = sizes.last!
        return Matrix(rows: (0..<k).map { o in
            Vector(backward(parameters.elements, trace, (0..<k).map { $0 == o ? 1.0 : 0.0 }).params)
        })
    }

    /// The stacked Jacobian over a batch: (samples · outputs) × parameters.
    public func parameterJacobian(_ X: Matrix) -> Matrix {
        Matrix(rows: X.rowVectors.flatMap { parameterJacobian($0).rowVectors })
    }

    /// Jacobian of the outputs with respect to the input (outputs × inputs).
    public func inputJacobian(_ x: Vector) -> Matrix {
        let trace = forward(parameters.elements, x.elements)
        let k = sizes.last!
        return Matrix(rows: (0..<k).map { o in
            Vector(backward(parameters.elements, trace, (0..<k).map { $0 == o ? 1.0 : 0.0 }).input)
        })
    }

    /// Gradients of the outputs with respect to layer `l`'s pre-activations, per sample
    /// (rows: samples × outputs), used for the Deep Neural Feature Ansatz.
    public func preActivationGradients(layer l: Int, _ X: Matrix) -> Matrix {
        // Backpropagate each output's unit gradient and stop at layer l's pre-activation.
        var rows: [Vector] = []
        for n in 0..<X.rows {
            let trace = forward(parameters.elements, X.row(n).elements)
            let k = sizes.last!
            for o in 0..<k {
                rows.append(Vector(delta(at: l, trace, (0..<k).map { $0 == o ? 1.0 : 0.0 })))
            }
        }
        return Matrix(rows: rows)
    }

    func delta(at target: Int, _ trace: Trace<Double>, _ outputGradient: [Double]) -> [Double] {
        var delta = outputGradient
        let p = parameters.elements
        for l in stride(from: layerCount - 1, through: target + 1, by: -1) {
            let nin = sizes[l], nout = sizes[l + 1]
            let offset = weightOffset(l)
            let z = trace.pre[l - 1]
            delta = (0..<nin).map { j in
                var s = 0.0
                for i in 0..<nout { s += p[offset + i * nin + j] * delta[i] }
                return s * activation.derivative(z[j])
            }
        }
        return delta
    }

    /// Exact Hessian of the mean loss with respect to the parameters: each column is the
    /// derivative of the backpropagated gradient along one parameter, computed with dual numbers.
    public func hessian(_ X: Matrix, _ Y: Matrix, _ loss: Loss = .meanSquaredError) -> Matrix {
        let P = parameterCount
        var h = Matrix.zeros(P, P)
        for i in 0..<P {
            let p = parameters.elements.enumerated().map { Dual($0.element, $0.offset == i ? 1 : 0) }
            let g = gradient(p, X, Y, loss)
            for j in 0..<P { h[j, i] = g[j].derivative }
        }
        // Symmetrise away rounding differences between the two triangles.
        return (h + h.transposed) * 0.5
    }

    /// Gauss–Newton matrix (1/n) Σᵢ Jᵢᵀ ∇²ℓ Jᵢ: the Hessian without the residual term.
    public func gaussNewton(_ X: Matrix, _ Y: Matrix, _ loss: Loss = .meanSquaredError) -> Matrix {
        var g = Matrix.zeros(parameterCount, parameterCount)
        for n in 0..<X.rows {
            let x = X.row(n)
            let J = parameterJacobian(x)
            let H = loss.outputHessian(self(x).elements, Y.row(n).elements)
            g += J.multiplied(by: H * J, transposeSelf: true)
        }
        return g / Double(X.rows)
    }
}

/// First-order optimizers over a flat parameter vector.
public struct Optimizer: Sendable {
    /// The update rule.
    public enum Kind: Sendable { case sgd(momentum: Double), adam, adamW }
    /// Which update rule.
    public var kind: Kind
    /// Step size.
    public var learningRate: Double
    /// L2 penalty added to the gradient (SGD, Adam) or decoupled decay (AdamW).
    public var weightDecay: Double
    /// Adam's moment decay rates and its denominator guard.
    public var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    var m: [Double] = [], v: [Double] = []
    var t = 0

    /// Stochastic gradient descent, with optional momentum and (coupled, L2) weight decay.
    public static func sgd(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0) -> Optimizer {
        Optimizer(kind: .sgd(momentum: momentum), learningRate: learningRate, weightDecay: weightDecay)
    }
    /// Adam (Kingma & Ba 2015); weight decay, if any, is added to the gradient.
    public static func adam(learningRate: Double = 1e-3, weightDecay: Double = 0) -> Optimizer {
        Optimizer(kind: .adam, learningRate: learningRate, weightDecay: weightDecay)
    }
    /// AdamW (Loshchilov & Hutter 2019): decoupled weight decay.
    public static func adamW(learningRate: Double = 1e-3, weightDecay: Double = 1e-2) -> Optimizer {
        Optimizer(kind: .adamW, learningRate: learningRate, weightDecay: weightDecay)
    }

    /// An optimizer with the given rule, step size and weight decay.
    public init(kind: Kind, learningRate: Double, weightDecay: Double) {
        self.kind = kind
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// One update of `parameters` by `gradient`.
    public mutating func step(_ parameters: inout Vector, _ gradient: Vector) {
        let n = parameters.count
        if m.count != n { m = [Double](repeating: 0, count: n); v = m; t = 0 }
        t += 1
        switch kind {
        case .sgd(let momentum):
            for i in 0..<n {
                let g = gradient[i] + weightDecay * parameters[i]
                m[i] = momentum * m[i] + g
                parameters[i] -= learningRate * m[i]
            }
        case .adam, .adamW:
            let decoupled: Bool
            if case .adamW = kind { decoupled = true } else { decoupled = false }
            let c1 = 1 - Foundation.pow(beta1, Double(t)), c2 = 1 - Foundation.pow(beta2, Double(t))
            for i in 0..<n {
                let g = gradient[i] + (decoupled ? 0 : weightDecay * parameters[i])
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                let update = (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
                parameters[i] -= learningRate * (update + (decoupled ? weightDecay * parameters[i] : 0))
            }
        }
    }
}

extension MLP {
    /// Full-batch training for `steps` steps; returns the loss after each step.
    @discardableResult
    public mutating func train(_ X: Matrix, _ Y: Matrix, loss: Loss = .meanSquaredError, optimizer: inout Optimizer, steps: Int) -> [Double] {
        var history: [Double] = []
        history.reserveCapacity(steps)
        for step in 0..<steps {
            // The loss at these parameters is the loss after the previous step.
            let (before, g) = batchLossAndGradient(X, Y, loss)
            if step > 0 { history.append(before) }
            optimizer.step(&parameters, g)
        }
        if steps > 0 { history.append(batchLoss(X, Y, loss)) }
        return history
    }
}
