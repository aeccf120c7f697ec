import Foundation
@testable import Compute

/// numpy/scipy reference values (Fixtures/make_reference.py → Fixtures/reference.json).
struct Reference: Decodable {
    var A: [[Double]], B: [[Double]], G: [[Double]], b: [Double], y5: [Double]
    var svB: [Double], eigA: [Double], eigG_real: [Double], eigG_imag: [Double]
    var solveAb: [Double], detA: Double, invA: [[Double]], lstsqB: [Double], pinvB: [[Double]], cholA: [[Double]]

    static let shared: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reference.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()
}

/// Largest absolute elementwise difference.
func maxDiff(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
func maxDiff(_ a: Matrix, _ b: Matrix) -> Double { maxDiff(a.elements, b.elements) }
func maxDiff(_ a: Matrix, _ b: [[Double]]) -> Double { maxDiff(a.elements, b.flatMap { $0 }) }
