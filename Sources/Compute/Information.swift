import Foundation

/// Information theory on discrete distributions, in bits. Distributions are probability vectors
/// (joint ones as matrices, rows indexing X, columns Y; three-way as `[Matrix]` indexed by Z).
/// Zero-probability terms contribute nothing (0·log 0 = 0).
public enum Information {
    /// Shannon entropy H(p).
    public static func entropy(_ p: Vector) -> Double {
        var h = 0.0
        for x in p.elements where x > 0 { h -= x * Foundation.log2(x) }
        return h
    }

    /// Joint entropy H(X, Y) of a joint distribution.
    public static func entropy(_ joint: Matrix) -> Double { entropy(Vector(joint.elements)) }

    /// H(Y | X) = H(X, Y) − H(X).
    public static func conditionalEntropy(_ joint: Matrix) -> Double {
        entropy(joint) - entropy(joint.sum(along: .columns))
    }

    /// I(X; Y) = H(X) + H(Y) − H(X, Y).
    public static func mutualInformation(_ joint: Matrix) -> Double {
        Swift.max(0, entropy(joint.sum(along: .columns)) + entropy(joint.sum(along: .rows)) - entropy(joint))
    }

    /// I(X; Y | Z) for `joint[z][x, y]` = P(X = x, Y = y, Z = z).
    public static func conditionalMutualInformation(_ joint: [Matrix]) -> Double {
        var total = 0.0
        for slice in joint {
            let pz = slice.sum
            guard pz > 0 else { continue }
            total += pz * mutualInformation(slice / pz)
        }
        return total
    }

    /// Kullback–Leibler divergence D(p ‖ q); infinite when p puts mass where q has none.
    public static func klDivergence(_ p: Vector, _ q: Vector) -> Double {
        precondition(p.count == q.count, "klDivergence: dimensions do not match (\(p.count) and \(q.count))")
        var d = 0.0
        for i in 0..<p.count where p[i] > 0 {
            if q[i] <= 0 { return .infinity }
            d += p[i] * Foundation.log2(p[i] / q[i])
        }
        return d
    }

    /// A distribution from counts or weights.
    public static func normalize(_ w: Vector) -> Vector { w / w.sum }
    /// A joint distribution from nonnegative weights: each entry divided by their total.
    public static func normalize(_ w: Matrix) -> Matrix { w / w.sum }
}
