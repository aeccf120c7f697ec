import Foundation
import FolioWire

/// Claims: statements a notebook makes about its results, checked as it runs.
///
/// Each call records a pass/fail badge under its cell, with the compared values (shown on the page
/// when it fails, and in the PDF report's claims appendix always).
/// A failed claim does not stop the notebook; it makes the build fail. Claims return nothing,
/// so a claim as a cell's last line shows only its badge. Tolerances are explicit:
/// `tolerance:` is absolute, `relativeTolerance:` scales with the expected value's magnitude.

/// Number formatting for claim details: shortest round-trip form, so values are shown exactly.
func show(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return "\(x)"
}

@discardableResult
func record(_ passed: Bool, _ claim: String, _ detail: String?, _ line: Int) -> Bool {
    Channel.send(.claim(Claim(text: claim, passed: passed, detail: detail, line: line)))
    return passed
}

/// Claims that `condition` holds.
public func check(_ condition: Bool, _ claim: String, line: Int = #line) {
    record(condition, claim, condition ? nil : "the condition was false", line)
}

/// Claims `|value − expected| ≤ tolerance` (absolute tolerance).
public func check(_ value: Double, near expected: Double, tolerance: Double, _ claim: String, line: Int = #line) {
    let passed = abs(value - expected) <= tolerance
    record(passed, claim, "got \(show(value)), expected \(show(expected)) ± \(show(tolerance)) (off by \(show(abs(value - expected))))", line)
}

/// Claims `|value − expected| ≤ relativeTolerance · |expected|`.
public func check(_ value: Double, near expected: Double, relativeTolerance: Double, _ claim: String, line: Int = #line) {
    let passed = abs(value - expected) <= relativeTolerance * abs(expected)
    let rel = expected == 0 ? Double.infinity : abs(value - expected) / abs(expected)
    record(passed, claim, "got \(show(value)), expected \(show(expected)) within \(show(relativeTolerance * 100))% (off by \(show(rel * 100))%)", line)
}

/// Claims `value` lies in `range`.
public func check(_ value: Double, in range: ClosedRange<Double>, _ claim: String, line: Int = #line) {
    record(range.contains(value), claim, "got \(show(value)), expected a value in \(show(range.lowerBound))…\(show(range.upperBound))", line)
}

/// Claims every element of `values` is within `tolerance` of the matching element of `expected`.
public func check(_ values: [Double], near expected: [Double], tolerance: Double, _ claim: String, line: Int = #line) {
    guard values.count == expected.count else {
        record(false, claim, "got \(values.count) values, expected \(expected.count)", line)
        return
    }
    var worst = 0, worstError = 0.0
    for i in values.indices {
        let e = abs(values[i] - expected[i])
        if !(e <= worstError) { worst = i; worstError = e }
    }
    let passed = values.indices.allSatisfy { abs(values[$0] - expected[$0]) <= tolerance }
    let detail = values.isEmpty ? nil : "largest difference \(show(worstError)) at index \(worst) (got \(show(values[worst])), expected \(show(expected[worst]))), tolerance \(show(tolerance))"
    record(passed, claim, detail, line)
}

/// Claims two values are equal.
public func expect<T: Equatable>(_ value: T, equals expected: T, _ claim: String, line: Int = #line) {
    record(value == expected, claim, "got \(value), expected \(expected)", line)
}

/// Claims `condition` holds (the same as `check`, for notebooks that read better with `expect`).
public func expect(_ condition: Bool, _ claim: String, line: Int = #line) {
    record(condition, claim, condition ? nil : "the condition was false", line)
}

/// Claims two vectors agree elementwise within `tolerance` (absolute).
public func check(_ value: Vector, near expected: Vector, tolerance: Double, _ claim: String, line: Int = #line) {
    check(value.elements, near: expected.elements, tolerance: tolerance, claim, line: line)
}

/// Claims two matrices have the same shape and agree elementwise within `tolerance` (absolute).
public func check(_ value: Matrix, near expected: Matrix, tolerance: Double, _ claim: String, line: Int = #line) {
    guard value.rows == expected.rows && value.cols == expected.cols else {
        record(false, claim, "got a \(value.rows)×\(value.cols) matrix, expected \(expected.rows)×\(expected.cols)", line)
        return
    }
    check(value.elements, near: expected.elements, tolerance: tolerance, claim, line: line)
}
