import Foundation

/// Claims: statements a notebook makes about its results, checked as it runs.
///
/// Each call records a pass/fail badge under its cell, with the compared values when it fails.
/// A failed claim does not stop the notebook; it makes the build fail. Tolerances are explicit:
/// `tolerance:` is absolute, `relativeTolerance:` scales with the expected value's magnitude.

struct ClaimRecord: Codable {
    var text: String
    var passed: Bool
    var detail: String?
    var line: Int
}

/// Number formatting for claim details: shortest round-trip form, so values are shown exactly.
func show(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return "\(x)"
}

@discardableResult
func record(_ passed: Bool, _ claim: String, _ detail: String?, _ line: Int) -> Bool {
    let payload = ClaimRecord(text: claim, passed: passed, detail: passed ? nil : detail, line: line)
    let data = (try? JSONEncoder().encode(payload)) ?? Data()
    Channel.send("claim", String(decoding: data, as: UTF8.self))
    return passed
}

/// Claims that `condition` holds.
@discardableResult
public func check(_ condition: Bool, _ claim: String, line: Int = #line) -> Bool {
    record(condition, claim, "the condition was false", line)
}

/// Claims `|value − expected| ≤ tolerance` (absolute tolerance).
@discardableResult
public func check(_ value: Double, near expected: Double, tolerance: Double, _ claim: String, line: Int = #line) -> Bool {
    let passed = abs(value - expected) <= tolerance
    return record(passed, claim, "got \(show(value)), expected \(show(expected)) ± \(show(tolerance)) (off by \(show(abs(value - expected))))", line)
}

/// Claims `|value − expected| ≤ relativeTolerance · |expected|`.
@discardableResult
public func check(_ value: Double, near expected: Double, relativeTolerance: Double, _ claim: String, line: Int = #line) -> Bool {
    let passed = abs(value - expected) <= relativeTolerance * abs(expected)
    let rel = expected == 0 ? Double.infinity : abs(value - expected) / abs(expected)
    return record(passed, claim, "got \(show(value)), expected \(show(expected)) within \(show(relativeTolerance * 100))% (off by \(show(rel * 100))%)", line)
}

/// Claims `value` lies in `range`.
@discardableResult
public func check(_ value: Double, in range: ClosedRange<Double>, _ claim: String, line: Int = #line) -> Bool {
    record(range.contains(value), claim, "got \(show(value)), expected a value in \(show(range.lowerBound))…\(show(range.upperBound))", line)
}

/// Claims every element of `values` is within `tolerance` of the matching element of `expected`.
@discardableResult
public func check(_ values: [Double], near expected: [Double], tolerance: Double, _ claim: String, line: Int = #line) -> Bool {
    guard values.count == expected.count else {
        return record(false, claim, "got \(values.count) values, expected \(expected.count)", line)
    }
    var worst = 0, worstError = 0.0
    for i in values.indices {
        let e = abs(values[i] - expected[i])
        if !(e <= worstError) { worst = i; worstError = e }
    }
    let passed = values.indices.allSatisfy { abs(values[$0] - expected[$0]) <= tolerance }
    let detail = values.isEmpty ? nil : "largest difference \(show(worstError)) at index \(worst) (got \(show(values[worst])), expected \(show(expected[worst]))), tolerance \(show(tolerance))"
    return record(passed, claim, detail, line)
}

/// Claims two values are equal.
@discardableResult
public func expect<T: Equatable>(_ value: T, equals expected: T, _ claim: String, line: Int = #line) -> Bool {
    record(value == expected, claim, "got \(value), expected \(expected)", line)
}

/// Claims `condition` holds (the same as `check`, for notebooks that read better with `expect`).
@discardableResult
public func expect(_ condition: Bool, _ claim: String, line: Int = #line) -> Bool {
    record(condition, claim, "the condition was false", line)
}
