/// A vector of `Double`s: a value type with copy-on-write storage (a Swift array), so passing one
/// around never copies until someone writes.
public struct Vector: Equatable, Hashable, Sendable, RandomAccessCollection, MutableCollection,
    ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The elements, in order.
    public var elements: [Double]

    /// A vector of these elements (no copy until one of them is mutated).
    public init(_ elements: [Double]) { self.elements = elements }
    /// A vector of a sequence's elements.
    public init<S: Sequence>(_ s: S) where S.Element == Double { elements = Array(s) }
    /// `[1, 2, 3]` as a vector.
    public init(arrayLiteral elements: Double...) { self.elements = elements }
    /// `count` copies of `value`.
    public init(repeating value: Double, count: Int) { elements = [Double](repeating: value, count: count) }
    /// A vector of `count` zeros.
    public static func zeros(_ count: Int) -> Vector { Vector(repeating: 0, count: count) }
    /// A vector of `count` ones.
    public static func ones(_ count: Int) -> Vector { Vector(repeating: 1, count: count) }
    /// `count` evenly spaced values from `start` to `end`, both included.
    public static func linspace(_ start: Double, _ end: Double, count: Int) -> Vector {
        guard count > 1 else { return Vector(count == 1 ? [start] : []) }
        let step = (end - start) / Double(count - 1)
        return Vector((0..<count).map { i in i == count - 1 ? end : start + Double(i) * step })
    }
    /// `count` values from 10^start to 10^end, evenly spaced in log scale.
    public static func logspace(_ start: Double, _ end: Double, count: Int) -> Vector {
        linspace(start, end, count: count).map { pow10($0) }
    }
    /// The unit vector `e_i` of length `count`.
    public static func basis(_ i: Int, count: Int) -> Vector {
        var v = zeros(count)
        v[i] = 1
        return v
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of elements.
    public var endIndex: Int { elements.count }
    // Index arithmetic in constant time: without these, `count` and slicing walk the elements one
    // by one through `Collection`'s defaults (measured: a tenth of training time went to it).
    public var count: Int { elements.count }
    public func index(after i: Int) -> Int { i + 1 }
    public func index(before i: Int) -> Int { i - 1 }
    public func index(_ i: Int, offsetBy n: Int) -> Int { i + n }
    public func distance(from start: Int, to end: Int) -> Int { end - start }
    /// The element at `i` (bounds-checked).
    public subscript(i: Int) -> Double {
        get { elements[i] }
        set { elements[i] = newValue }
    }
    /// A contiguous piece of the vector, as a new vector.
    public subscript(range: Range<Int>) -> Vector {
        get { Vector(Array(elements[range])) }
        set {
            precondition(newValue.count == range.count, "Vector slice assignment: \(newValue.count) values for \(range.count) places")
            elements.replaceSubrange(range, with: newValue.elements)
        }
    }

    /// Elementwise transform (vectorised by the compiler for simple closures).
    public func map(_ f: (Double) throws -> Double) rethrows -> Vector {
        Vector(try elements.map(f))
    }

    /// numpy-style text (see `ArrayFormatter`).
    public var description: String { ArrayFormatter.format(elements) }
}

@inline(__always) func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }

import Foundation

/// A vector is its elements in JSON (`[1.0, 2.0]`), so it can travel between notebooks.
extension Vector: Codable {
    public init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode([Double].self)) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(elements)
    }
}
