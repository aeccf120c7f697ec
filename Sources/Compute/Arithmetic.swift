internal import CLAPACK

/// Elementwise (Hadamard) product of vectors or matrices. `*` between matrices is the matrix product.
infix operator .* : MultiplicationPrecedence
/// Elementwise division.
infix operator ./ : MultiplicationPrecedence

@inline(__always)
func zipMap(_ a: [Double], _ b: [Double], _ f: (Double, Double) -> Double) -> [Double] {
    var out = [Double](repeating: 0, count: a.count)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                for i in 0..<pa.count { po[i] = f(pa[i], pb[i]) }
            }
        }
    }
    return out
}

func checkSameCount(_ op: String, _ a: Vector, _ b: Vector) {
    precondition(a.count == b.count, "\(op): dimensions do not match (\(a.count) and \(b.count))")
}

func checkSameShape(_ op: String, _ a: Matrix, _ b: Matrix) {
    precondition(a.rows == b.rows && a.cols == b.cols, "\(op): dimensions do not match (\(a.shapeText) and \(b.shapeText))")
}

// MARK: - Vector arithmetic

extension Vector {
    /// Elementwise sum; the vectors must have the same length.
    public static func + (a: Vector, b: Vector) -> Vector { checkSameCount("+", a, b); return Vector(zipMap(a.elements, b.elements, +)) }
    /// Elementwise difference; the vectors must have the same length.
    public static func - (a: Vector, b: Vector) -> Vector { checkSameCount("-", a, b); return Vector(zipMap(a.elements, b.elements, -)) }
    /// Elementwise product.
    public static func * (a: Vector, b: Vector) -> Vector { checkSameCount("*", a, b); return Vector(zipMap(a.elements, b.elements, *)) }
    /// Elementwise product (the same as `*` between vectors).
    public static func .* (a: Vector, b: Vector) -> Vector { a * b }
    /// Elementwise quotient; the vectors must have the same length.
    public static func / (a: Vector, b: Vector) -> Vector { checkSameCount("/", a, b); return Vector(zipMap(a.elements, b.elements, /)) }
    /// Elementwise quotient (the same as `/` between vectors).
    public static func ./ (a: Vector, b: Vector) -> Vector { a / b }
    /// Every element times `s`.
    public static func * (a: Vector, s: Double) -> Vector { a.map { $0 * s } }
    /// Every element times `s`.
    public static func * (s: Double, a: Vector) -> Vector { a.map { $0 * s } }
    /// Every element divided by `s`.
    public static func / (a: Vector, s: Double) -> Vector { a.map { $0 / s } }
    /// `s` added to every element.
    public static func + (a: Vector, s: Double) -> Vector { a.map { $0 + s } }
    /// `s` subtracted from every element.
    public static func - (a: Vector, s: Double) -> Vector { a.map { $0 - s } }
    /// Every element negated.
    public static prefix func - (a: Vector) -> Vector { a.map { -$0 } }
    /// Adds `b` elementwise in place.
    public static func += (a: inout Vector, b: Vector) { a = a + b }
    /// Subtracts `b` elementwise in place.
    public static func -= (a: inout Vector, b: Vector) { a = a - b }
    /// Scales in place.
    public static func *= (a: inout Vector, s: Double) { a = a * s }
    /// Divides every element by `s` in place.
    public static func /= (a: inout Vector, s: Double) { a = a / s }

    /// Inner product (BLAS `ddot`).
    public func dot(_ other: Vector) -> Double {
        checkSameCount("dot", self, other)
        return cblas_ddot(Int32(count), elements, 1, other.elements, 1)
    }
    /// Euclidean norm (BLAS `dnrm2`, no overflow for large entries).
    public var norm: Double { cblas_dnrm2(Int32(count), elements, 1) }
    /// The p-norm; `p = .infinity` is the largest magnitude.
    public func norm(_ p: Double) -> Double {
        if p == 2 { return norm }
        if p == 1 { return cblas_dasum(Int32(count), elements, 1) }
        if p.isInfinite { return elements.reduce(0) { Swift.max($0, abs($1)) } }
        return Foundation.pow(elements.reduce(0) { $0 + Foundation.pow(abs($1), p) }, 1 / p)
    }
    /// The vector scaled to unit norm (a zero vector stays zero).
    public var normalized: Vector { let n = norm; return n == 0 ? self : self / n }
    /// `self` and `other` as the rank-one matrix `self · otherᵀ`.
    public func outer(_ other: Vector) -> Matrix {
        var m = Matrix.zeros(count, other.count)
        m.elements.withUnsafeMutableBufferPointer { p in
            cblas_dger(CblasRowMajor, Int32(count), Int32(other.count), 1, elements, 1, other.elements, 1, p.baseAddress, Int32(other.count))
        }
        return m
    }
    /// A column matrix (`count × 1`).
    public var asColumn: Matrix { Matrix(rows: count, cols: 1, elements: elements) }
    /// A row matrix (`1 × count`).
    public var asRow: Matrix { Matrix(rows: 1, cols: count, elements: elements) }
}

/// Inner product.
public func dot(_ a: Vector, _ b: Vector) -> Double { a.dot(b) }

// MARK: - Matrix arithmetic

extension Matrix {
    /// Elementwise sum; the shapes must match.
    public static func + (a: Matrix, b: Matrix) -> Matrix { checkSameShape("+", a, b); return Matrix(rows: a.rows, cols: a.cols, elements: zipMap(a.elements, b.elements, +)) }
    /// Elementwise difference; the shapes must match.
    public static func - (a: Matrix, b: Matrix) -> Matrix { checkSameShape("-", a, b); return Matrix(rows: a.rows, cols: a.cols, elements: zipMap(a.elements, b.elements, -)) }
    /// Elementwise (Hadamard) product.
    public static func .* (a: Matrix, b: Matrix) -> Matrix { checkSameShape(".*", a, b); return Matrix(rows: a.rows, cols: a.cols, elements: zipMap(a.elements, b.elements, *)) }
    /// Elementwise quotient; the shapes must match.
    public static func ./ (a: Matrix, b: Matrix) -> Matrix { checkSameShape("./", a, b); return Matrix(rows: a.rows, cols: a.cols, elements: zipMap(a.elements, b.elements, /)) }
    /// Every element times `s`.
    public static func * (a: Matrix, s: Double) -> Matrix { a.map { $0 * s } }
    /// Every element times `s`.
    public static func * (s: Double, a: Matrix) -> Matrix { a.map { $0 * s } }
    /// Every element divided by `s`.
    public static func / (a: Matrix, s: Double) -> Matrix { a.map { $0 / s } }
    /// `s` added to every element.
    public static func + (a: Matrix, s: Double) -> Matrix { a.map { $0 + s } }
    /// `s` subtracted from every element.
    public static func - (a: Matrix, s: Double) -> Matrix { a.map { $0 - s } }
    /// Every element negated.
    public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }
    /// Adds `b` elementwise in place.
    public static func += (a: inout Matrix, b: Matrix) { a = a + b }
    /// Subtracts `b` elementwise in place.
    public static func -= (a: inout Matrix, b: Matrix) { a = a - b }
    /// Scales in place.
    public static func *= (a: inout Matrix, s: Double) { a = a * s }

    /// Matrix product through BLAS `dgemm`: one allocation, the result.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "matrix product: dimensions do not match (\(a.shapeText) and \(b.shapeText))")
        return a.multiplied(by: b)
    }

    /// `op(self) · op(other)` with optional transposes, without materialising them (BLAS `dgemm`).
    public func multiplied(by b: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false, scale: Double = 1) -> Matrix {
        let m = transposeSelf ? cols : rows
        let k = transposeSelf ? rows : cols
        let kb = transposeOther ? b.cols : b.rows
        let n = transposeOther ? b.rows : b.cols
        precondition(k == kb, "matrix product: dimensions do not match (\(transposeSelf ? "\(shapeText)ᵀ" : shapeText) and \(transposeOther ? "\(b.shapeText)ᵀ" : b.shapeText))")
        var out = [Double](unsafeUninitializedCapacity: m * n) { buf, count in
            count = m * n
        }
        if m == 0 || n == 0 { return Matrix(rows: m, cols: n) }
        if k == 0 { return Matrix.zeros(m, n) }
        out.withUnsafeMutableBufferPointer { c in
            elements.withUnsafeBufferPointer { pa in
                b.elements.withUnsafeBufferPointer { pb in
                    cblas_dgemm(CblasRowMajor, transposeSelf ? CblasTrans : CblasNoTrans, transposeOther ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), scale, pa.baseAddress, Int32(cols), pb.baseAddress, Int32(b.cols),
                                0, c.baseAddress, Int32(n))
                }
            }
        }
        return Matrix(rows: m, cols: n, elements: out)
    }

    /// Matrix–vector product through BLAS `dgemv`.
    public static func * (a: Matrix, v: Vector) -> Vector {
        precondition(a.cols == v.count, "matrix–vector product: dimensions do not match (\(a.shapeText) and \(v.count))")
        var out = [Double](repeating: 0, count: a.rows)
        if a.rows == 0 || a.cols == 0 { return Vector(out) }
        out.withUnsafeMutableBufferPointer { y in
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(a.rows), Int32(a.cols), 1, a.elements, Int32(a.cols), v.elements, 1, 0, y.baseAddress, 1)
        }
        return Vector(out)
    }

    /// `vᵀ · A`.
    public static func * (v: Vector, a: Matrix) -> Vector {
        precondition(a.rows == v.count, "vector–matrix product: dimensions do not match (\(v.count) and \(a.shapeText))")
        var out = [Double](repeating: 0, count: a.cols)
        if a.rows == 0 || a.cols == 0 { return Vector(out) }
        out.withUnsafeMutableBufferPointer { y in
            cblas_dgemv(CblasRowMajor, CblasTrans, Int32(a.rows), Int32(a.cols), 1, a.elements, Int32(a.cols), v.elements, 1, 0, y.baseAddress, 1)
        }
        return Vector(out)
    }

    /// Frobenius norm.
    public var frobeniusNorm: Double { cblas_dnrm2(Int32(elements.count), elements, 1) }
    /// Largest absolute row sum (the ∞-norm) or column sum (the 1-norm); 2 is the spectral norm.
    public func norm(_ p: Double = 2) throws -> Double {
        if p == 1 { return (0..<cols).map { column($0).norm(1) }.max() ?? 0 }
        if p.isInfinite { return (0..<rows).map { row($0).norm(1) }.max() ?? 0 }
        return try singularValues().first ?? 0
    }
}

import Foundation
