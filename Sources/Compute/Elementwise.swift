import Foundation

/// Elementwise functions and reductions. Loops run over raw buffers so the optimiser can
/// vectorise them; reductions along an axis walk memory in row-major order.

@inline(__always)
func mapBuffer(_ a: [Double], _ f: (Double) -> Double) -> [Double] {
    [Double](unsafeUninitializedCapacity: a.count) { out, count in
        HugePages.advise(out)
        a.withUnsafeBufferPointer { src in
            for i in 0..<src.count { out[i] = f(src[i]) }
        }
        count = a.count
    }
}

/// Elementwise exp, vectorisable and split across cores for large inputs (see `VectorKernels`).
public func exp(_ v: Vector) -> Vector { Vector(VectorKernels.exp(v.elements)) }
/// Natural logarithm of every element.
public func log(_ v: Vector) -> Vector { Vector(mapBuffer(v.elements, Foundation.log)) }
/// Base-2 logarithm of every element.
public func log2(_ v: Vector) -> Vector { Vector(mapBuffer(v.elements, Foundation.log2)) }
/// Hyperbolic tangent of every element.
public func tanh(_ v: Vector) -> Vector { Vector(mapBuffer(v.elements, Foundation.tanh)) }
/// Square root of every element.
public func sqrt(_ v: Vector) -> Vector { Vector(mapBuffer(v.elements, Foundation.sqrt)) }
/// Absolute value of every element.
public func abs(_ v: Vector) -> Vector { Vector(mapBuffer(v.elements, Swift.abs)) }
/// Sine of every element.
public func sin(_ v: Vector) -> Vector { Vector(mapBuffer(v.elements, Foundation.sin)) }
/// Cosine of every element.
public func cos(_ v: Vector) -> Vector { Vector(mapBuffer(v.elements, Foundation.cos)) }
/// Every element to the power `p` (`p == 2` squares without calling `pow`).
public func pow(_ v: Vector, _ p: Double) -> Vector {
    if p == 2 { return Vector(mapBuffer(v.elements) { $0 * $0 }) }
    return Vector(mapBuffer(v.elements) { Foundation.pow($0, p) })
}
/// Elementwise exp of a matrix (see `exp(_:)` for vectors).
public func exp(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, elements: VectorKernels.exp(m.elements)) }
/// Natural logarithm of every element.
public func log(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, elements: mapBuffer(m.elements, Foundation.log)) }
/// Hyperbolic tangent of every element.
public func tanh(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, elements: mapBuffer(m.elements, Foundation.tanh)) }
/// Square root of every element.
public func sqrt(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, elements: mapBuffer(m.elements, Foundation.sqrt)) }
/// Absolute value of every element.
public func abs(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, elements: mapBuffer(m.elements, Swift.abs)) }
/// Every element to the power `p`.
public func pow(_ m: Matrix, _ p: Double) -> Matrix { Matrix(rows: m.rows, cols: m.cols, elements: pow(Vector(m.elements), p).elements) }

/// Sum with 32 partial sums in AVX-512/AVX2 registers, over all cores for large inputs.
@inline(__always)
func bufferSum(_ p: UnsafeBufferPointer<Double>) -> Double { VectorKernels.sum(p) }

extension Vector {
    /// Sum of the elements (vectorised, 32 partial sums; the same bits on every machine).
    public var sum: Double { elements.withUnsafeBufferPointer(bufferSum) }
    /// Arithmetic mean; NaN when empty.
    public var mean: Double { count == 0 ? .nan : sum / Double(count) }
    /// Largest element; NaN when empty.
    public var max: Double { elements.max() ?? .nan }
    /// Smallest element; NaN when empty.
    public var min: Double { elements.min() ?? .nan }
    /// Index of the largest element (the first, on ties).
    public var argmax: Int {
        var best = 0
        for i in indices where elements[i] > elements[best] { best = i }
        return best
    }
    /// Index of the smallest element (the first, on ties).
    public var argmin: Int {
        var best = 0
        for i in indices where elements[i] < elements[best] { best = i }
        return best
    }
    /// Cumulative sums.
    public var cumulativeSum: Vector {
        var s = 0.0
        return Vector(elements.map { s += $0; return s })
    }
}

/// Which way a reduction runs: `.rows` reduces each column over its rows (numpy `axis=0`),
/// `.columns` reduces each row over its columns (`axis=1`).
public enum Axis: Sendable { case rows, columns }

extension Matrix {
    /// Sum of the elements (vectorised, 32 partial sums; the same bits on every machine).
    public var sum: Double { elements.withUnsafeBufferPointer(bufferSum) }
    /// Mean of all elements; NaN when empty.
    public var mean: Double { elements.isEmpty ? .nan : sum / Double(elements.count) }
    /// Largest element; NaN when empty.
    public var max: Double { elements.max() ?? .nan }
    /// Smallest element; NaN when empty.
    public var min: Double { elements.min() ?? .nan }

    /// Sums along an axis: `.rows` sums down the rows (one sum per column), `.columns` across the columns (one per row).
    public func sum(along axis: Axis) -> Vector {
        switch axis {
        case .columns:
            return Vector((0..<rows).map { i in elements.withUnsafeBufferPointer { p in bufferSum(UnsafeBufferPointer(rebasing: p[i * cols..<(i + 1) * cols])) } })
        case .rows:
            var out = [Double](repeating: 0, count: cols)
            elements.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<rows { for j in 0..<cols { o[j] += p[i * cols + j] } }
                }
            }
            return Vector(out)
        }
    }
    /// Means along an axis (see `sum(along:)`).
    public func mean(along axis: Axis) -> Vector {
        sum(along: axis) / Double(axis == .rows ? rows : cols)
    }
    /// Largest elements along an axis (see `sum(along:)`).
    public func max(along axis: Axis) -> Vector {
        axis == .columns ? Vector((0..<rows).map { row($0).max }) : Vector((0..<cols).map { column($0).max })
    }
    /// Indices of the largest elements along an axis (see `sum(along:)`).
    public func argmax(along axis: Axis) -> [Int] {
        axis == .columns ? (0..<rows).map { row($0).argmax } : (0..<cols).map { column($0).argmax }
    }
}
