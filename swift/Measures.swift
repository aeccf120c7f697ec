// Shared code of this project's notebooks: one module every notebook with cells imports.
import Compute
import Foundation

/// How far `approximation` is from `reference`, relative to the reference's size:
/// ‖approximation − reference‖_F / ‖reference‖_F. The notebooks compare Hessians with
/// Gauss–Newton matrices, reconstructions with inputs and identities with their two sides by it.
func relativeError(_ approximation: Matrix, from reference: Matrix) -> Double {
    (approximation - reference).frobeniusNorm / reference.frobeniusNorm
}

/// ∫ₐᵇ (1 − s²)^((d−3)/2) ds by Simpson's rule with 4000 panels: the unnormalised mass of the
/// cosine between a fixed unit vector in ℝᵈ and a uniform one, whose density is that power. The
/// nearest-neighbour and spherical-cap notebooks both integrate it.
func cosineMass(_ a: Double, _ b: Double, dimension d: Int) -> Double {
    let k = Double(d - 3) / 2, panels = 4000, h = (b - a) / Double(panels)
    var sum = 0.0
    for i in 0...panels {
        let t = a + Double(i) * h
        let w: Double = i == 0 || i == panels ? 1 : (i % 2 == 1 ? 4 : 2)
        sum += w * pow(max(0, 1 - t * t), k)
    }
    return sum * h / 3
}

/// One quantity over independent replicates (seeds, data sets, trainings): its values, their mean
/// and the standard error of the mean. Claims about a mean clear `low` or stay under `high`.
struct Spread {
    let values: [Double]
    var mean: Double { values.reduce(0, +) / Double(values.count) }
    var standardError: Double {
        let m = mean
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1) / Double(values.count)).squareRoot()
    }
    var low: Double { mean - 3 * standardError }
    var high: Double { mean + 3 * standardError }
    var range: ClosedRange<Double> { values.min()!...values.max()! }
}

/// `work` for replicates 0..<count, one per core at a time. The replicates must be independent:
/// each seeds its own generators, so the results do not depend on the order they ran in.
func onEachReplicate<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
    var slots = [T?](repeating: nil, count: count)
    let lock = NSLock()
    DispatchQueue.concurrentPerform(iterations: count) { r in
        let result = work(r)
        lock.withLock { slots[r] = result }
    }
    return slots.map { $0! }
}
