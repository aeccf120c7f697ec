import Foundation

/// Initial-value problems `y' = f(t, y)` for systems, with `y` a `Vector`.
public enum ODE {
    /// A computed trajectory.
    public struct Solution: Sendable {
        /// Times of the accepted steps, starting at the initial time.
        public var t: [Double]
        /// The state at each time in `t`.
        public var y: [Vector]
        /// Steps rejected by the error control (adaptive methods).
        public var rejectedSteps: Int = 0
        /// Component `i` along the trajectory.
        public func component(_ i: Int) -> Vector { Vector(y.map { $0[i] }) }
    }

    /// Classical fixed-step fourth-order Runge–Kutta with `steps` steps from `t0` to `t1`.
    public static func rk4(from t0: Double, to t1: Double, steps: Int, initial y0: Vector,
                           _ f: (Double, Vector) -> Vector) -> Solution {
        precondition(steps > 0, "rk4: steps must be positive")
        let h = (t1 - t0) / Double(steps)
        var t = t0, y = y0
        var ts = [t0], ys = [y0]
        ts.reserveCapacity(steps + 1); ys.reserveCapacity(steps + 1)
        for i in 1...steps {
            let k1 = f(t, y)
            let k2 = f(t + h / 2, y + (h / 2) * k1)
            let k3 = f(t + h / 2, y + (h / 2) * k2)
            let k4 = f(t + h, y + h * k3)
            y = y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
            t = i == steps ? t1 : t0 + Double(i) * h
            ts.append(t); ys.append(y)
        }
        return Solution(t: ts, y: ys)
    }

    /// Adaptive Dormand–Prince 5(4) (the method of MATLAB's `ode45` and scipy's `RK45`): the
    /// fifth-order solution is kept, the embedded fourth-order one estimates the error, and steps
    /// are sized so each component's error stays below `atol + rtol·|y|`.
    public static func dormandPrince(from t0: Double, to t1: Double, initial y0: Vector,
                                     rtol: Double = 1e-6, atol: Double = 1e-9, maxSteps: Int = 1_000_000,
                                     _ f: (Double, Vector) -> Vector) -> Solution {
        let c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9
        let a21 = 1.0 / 5
        let a31 = 3.0 / 40, a32 = 9.0 / 40
        let a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9
        let a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729
        let a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176, a65 = -5103.0 / 18656
        let b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84
        // Error coefficients: fifth-order weights minus the embedded fourth-order ones.
        let e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40

        let direction: Double = t1 >= t0 ? 1 : -1
        var t = t0, y = y0
        var ts = [t0], ys = [y0]
        var k1 = f(t, y)
        // Initial step from the scale of the problem (Hairer, Nørsett & Wanner's heuristic, simplified).
        let scale0 = y.elements.map { atol + rtol * Swift.abs($0) }
        let d0 = (zip(y.elements, scale0).map { ($0 / $1) * ($0 / $1) }.reduce(0, +) / Double(Swift.max(1, y.count))).squareRoot()
        let d1 = (zip(k1.elements, scale0).map { ($0 / $1) * ($0 / $1) }.reduce(0, +) / Double(Swift.max(1, y.count))).squareRoot()
        var h = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1
        h = Swift.min(h, Swift.abs(t1 - t0)) * direction
        var rejected = 0
        var steps = 0
        while (t1 - t) * direction > 0 && steps < maxSteps {
            steps += 1
            if (t + h - t1) * direction > 0 { h = t1 - t }
            let k2 = f(t + c2 * h, y + h * (a21 * k1))
            let k3 = f(t + c3 * h, y + h * (a31 * k1 + a32 * k2))
            let k4 = f(t + c4 * h, y + h * (a41 * k1 + a42 * k2 + a43 * k3))
            let k5 = f(t + c5 * h, y + h * (a51 * k1 + a52 * k2 + a53 * k3 + a54 * k4))
            let k6 = f(t + h, y + h * (a61 * k1 + a62 * k2 + a63 * k3 + a64 * k4 + a65 * k5))
            let yNew = y + h * (b1 * k1 + b3 * k3 + b4 * k4 + b5 * k5 + b6 * k6)
            let k7 = f(t + h, yNew)
            let err = h * (e1 * k1 + e3 * k3 + e4 * k4 + e5 * k5 + e6 * k6 + e7 * k7)
            var sum = 0.0
            for i in 0..<y.count {
                let sc = atol + rtol * Swift.max(Swift.abs(y[i]), Swift.abs(yNew[i]))
                sum += (err[i] / sc) * (err[i] / sc)
            }
            let errNorm = (sum / Double(Swift.max(1, y.count))).squareRoot()
            if errNorm <= 1 {
                t += h
                y = yNew
                k1 = k7  // first same as last
                ts.append(t); ys.append(y)
                let factor = errNorm == 0 ? 5 : Swift.min(5, Swift.max(0.2, 0.9 * Foundation.pow(errNorm, -0.2)))
                h *= factor
            } else {
                rejected += 1
                h *= Swift.max(0.2, 0.9 * Foundation.pow(errNorm, -0.2))
            }
        }
        return Solution(t: ts, y: ys, rejectedSteps: rejected)
    }
}
