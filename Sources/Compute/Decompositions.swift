internal import CLAPACK
import Foundation

/// LAPACK-backed factorizations and solvers. Every routine checks shapes first and turns LAPACK's
/// `info` into a `LinearAlgebraError` that says what was wrong.
extension Matrix {
    func requireFinite(_ op: String) throws {
        if elements.contains(where: { !$0.isFinite }) { throw LinearAlgebraError.invalidInput("\(op): the matrix contains NaN or infinite values") }
    }
    func requireSquare(_ op: String) throws {
        guard rows == cols else { throw LinearAlgebraError.invalidInput("\(op): needs a square matrix, got \(shapeText)") }
    }
    func requireNonEmpty(_ op: String) throws {
        guard rows > 0 && cols > 0 else { throw LinearAlgebraError.invalidInput("\(op): the matrix is empty (\(shapeText))") }
    }

    /// Singular value decomposition `A = U · diag(S) · Vᵀ`.
    public struct SVD: Sendable {
        /// Left singular vectors as columns.
        public var U: Matrix
        /// Singular values, largest first.
        public var S: Vector
        /// Right singular vectors as rows (Vᵀ).
        public var Vt: Matrix
    }

    /// SVD by LAPACK `dgesdd` (divide and conquer). `full: false` gives the thin SVD
    /// (U is m×k, Vᵀ is k×n with k = Swift.min(m, n)); `full: true` square U and V.
    public func svd(full: Bool = false) throws -> SVD {
        try requireNonEmpty("svd"); try requireFinite("svd")
        let m = rows, n = cols, k = Swift.min(m, n)
        var a = elements
        var s = [Double](repeating: 0, count: k)
        let ucols = full ? m : k, vtrows = full ? n : k
        var u = [Double](repeating: 0, count: m * ucols)
        var vt = [Double](repeating: 0, count: vtrows * n)
        let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: full ? "A" : "S")), Int32(m), Int32(n), &a, Int32(n), &s, &u, Int32(ucols), &vt, Int32(n))
        if info > 0 { throw LinearAlgebraError.noConvergence(operation: "svd") }
        if info < 0 { throw LinearAlgebraError.invalidInput("svd: LAPACK dgesdd rejected argument \(-info)") }
        return SVD(U: Matrix(rows: m, cols: ucols, elements: u), S: Vector(s), Vt: Matrix(rows: vtrows, cols: n, elements: vt))
    }

    /// Singular values only, largest first (`dgesdd` without vectors).
    public func singularValues() throws -> [Double] {
        try requireNonEmpty("singularValues"); try requireFinite("singularValues")
        var a = elements
        var s = [Double](repeating: 0, count: Swift.min(rows, cols))
        var dummyU = [Double](repeating: 0, count: 1), dummyV = dummyU
        let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(rows), Int32(cols), &a, Int32(cols), &s, &dummyU, Int32(rows), &dummyV, Int32(cols))
        if info > 0 { throw LinearAlgebraError.noConvergence(operation: "singularValues") }
        if info < 0 { throw LinearAlgebraError.invalidInput("singularValues: LAPACK dgesdd rejected argument \(-info)") }
        return s
    }

    /// Eigen-decomposition of a symmetric matrix by LAPACK `dsyevd`: eigenvalues ascending, and the
    /// matching orthonormal eigenvectors as the columns of `vectors`. Only the lower triangle is read.
    public func symmetricEigen(vectors wantVectors: Bool = true) throws -> (values: Vector, vectors: Matrix) {
        try requireSquare("symmetricEigen"); try requireNonEmpty("symmetricEigen"); try requireFinite("symmetricEigen")
        var a = elements
        var w = [Double](repeating: 0, count: rows)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: wantVectors ? "V" : "N")), CChar(UInt8(ascii: "L")), Int32(rows), &a, Int32(rows), &w)
        if info > 0 { throw LinearAlgebraError.noConvergence(operation: "symmetricEigen") }
        return (Vector(w), wantVectors ? Matrix(rows: rows, cols: cols, elements: a) : Matrix.zeros(0, 0))
    }

    /// Eigenvalues of a symmetric matrix, ascending.
    public func symmetricEigenvalues() throws -> Vector { try symmetricEigen(vectors: false).values }

    /// Eigenvalues of a general square matrix by LAPACK `dgeev`, as (real, imaginary) parts,
    /// in LAPACK's order (complex pairs adjacent).
    public func eigenvalues() throws -> (real: Vector, imaginary: Vector) {
        try requireSquare("eigenvalues"); try requireNonEmpty("eigenvalues"); try requireFinite("eigenvalues")
        var a = elements
        var wr = [Double](repeating: 0, count: rows), wi = wr
        var dummyL = [Double](repeating: 0, count: 1), dummyR = dummyL
        let info = LAPACKE_dgeev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), Int32(rows), &a, Int32(rows), &wr, &wi, &dummyL, 1, &dummyR, 1)
        if info > 0 { throw LinearAlgebraError.noConvergence(operation: "eigenvalues") }
        return (Vector(wr), Vector(wi))
    }

    /// Thin QR factorization `A = Q·R` (`dgeqrf` + `dorgqr`): Q is m×k with orthonormal columns,
    /// R is k×n upper triangular, k = Swift.min(m, n).
    public func qr() throws -> (Q: Matrix, R: Matrix) {
        try requireNonEmpty("qr"); try requireFinite("qr")
        let m = rows, n = cols, k = Swift.min(m, n)
        var a = elements
        var tau = [Double](repeating: 0, count: k)
        var info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), &a, Int32(n), &tau)
        guard info == 0 else { throw LinearAlgebraError.invalidInput("qr: LAPACK dgeqrf failed (info \(info))") }
        var r = Matrix.zeros(k, n)
        for i in 0..<k { for j in i..<n { r.elements[i * n + j] = a[i * n + j] } }
        // Q from the reflectors: the first k columns of the m×n work array.
        var q = [Double](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { q[i * k + j] = a[i * n + j] } }
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(k), Int32(k), &q, Int32(k), &tau)
        guard info == 0 else { throw LinearAlgebraError.invalidInput("qr: LAPACK dorgqr failed (info \(info))") }
        return (Matrix(rows: m, cols: k, elements: q), r)
    }

    /// Cholesky factor `L` (lower triangular, `A = L·Lᵀ`) by `dpotrf`.
    public func cholesky() throws -> Matrix {
        try requireSquare("cholesky"); try requireNonEmpty("cholesky"); try requireFinite("cholesky")
        var a = elements
        let info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), Int32(rows), &a, Int32(rows))
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(minor: Int(info)) }
        for i in 0..<rows { for j in (i + 1)..<cols where j < cols { a[i * cols + j] = 0 } }
        return Matrix(rows: rows, cols: cols, elements: a)
    }

    /// Solves `A·X = B` for square `A` by LU with partial pivoting (`dgetrf` + `dgetrs`).
    /// Row-major `A` is column-major `Aᵀ`, so Aᵀ is factored in place and `dgetrs` solves with the
    /// transpose: no n×n transposition copy (LAPACKE's row-major path would make one).
    public func solve(_ b: Matrix) throws -> Matrix {
        try requireSquare("solve"); try requireNonEmpty("solve"); try requireFinite("solve")
        guard b.rows == rows else { throw LinearAlgebraError.dimensionMismatch(operation: "solve", shapeText, b.shapeText) }
        var a = elements
        var ipiv = [Int32](repeating: 0, count: rows)
        let info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, Int32(rows), Int32(rows), &a, Int32(rows), &ipiv)
        if info > 0 { throw LinearAlgebraError.singular(operation: "solve") }
        // B column-major: its transpose's row-major storage (free for a single right-hand side).
        var x = b.cols == 1 ? b.elements : b.transposed.elements
        let r = LAPACKE_dgetrs(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "T")), Int32(rows), Int32(b.cols), a, Int32(rows), ipiv, &x, Int32(rows))
        guard r == 0 else { throw LinearAlgebraError.invalidInput("solve: LAPACK dgetrs failed (info \(r))") }
        return b.cols == 1 ? Matrix(rows: rows, cols: 1, elements: x) : Matrix(rows: b.cols, cols: rows, elements: x).transposed
    }

    /// Solves `A·x = b`.
    public func solve(_ b: Vector) throws -> Vector {
        guard b.count == rows else { throw LinearAlgebraError.dimensionMismatch(operation: "solve", shapeText, "\(b.count)") }
        return Vector(try solve(b.asColumn).elements)
    }

    /// Least-squares solution of `A·x ≈ b` (minimum norm when rank-deficient) by `dgelsd`.
    public func leastSquares(_ b: Vector) throws -> Vector {
        try requireNonEmpty("leastSquares"); try requireFinite("leastSquares")
        guard b.count == rows else { throw LinearAlgebraError.dimensionMismatch(operation: "leastSquares", shapeText, "\(b.count)") }
        let m = rows, n = cols
        var a = elements
        var x = [Double](repeating: 0, count: Swift.max(m, n))
        for i in 0..<m { x[i] = b[i] }
        var s = [Double](repeating: 0, count: Swift.min(m, n))
        var rank: Int32 = 0
        let info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, Int32(m), Int32(n), 1, &a, Int32(n), &x, 1, &s, -1, &rank)
        if info > 0 { throw LinearAlgebraError.noConvergence(operation: "leastSquares") }
        return Vector(Array(x[0..<n]))
    }

    /// LU factorization as LAPACK returns it (packed factors and pivots).
    func lu() throws -> (lu: [Double], pivots: [Int32], singular: Bool) {
        var a = elements
        var ipiv = [Int32](repeating: 0, count: Swift.min(rows, cols))
        let info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(rows), Int32(cols), &a, Int32(cols), &ipiv)
        return (a, ipiv, info > 0)
    }

    /// The inverse (`dgetrf` + `dgetri`); throws for a singular matrix.
    public func inverse() throws -> Matrix {
        try requireSquare("inverse"); try requireNonEmpty("inverse"); try requireFinite("inverse")
        var (a, ipiv, singular) = try lu()
        if singular { throw LinearAlgebraError.singular(operation: "inverse") }
        let info = LAPACKE_dgetri(LAPACK_ROW_MAJOR, Int32(rows), &a, Int32(rows), &ipiv)
        if info > 0 { throw LinearAlgebraError.singular(operation: "inverse") }
        return Matrix(rows: rows, cols: cols, elements: a)
    }

    /// The determinant, from the LU factorization.
    public func determinant() throws -> Double {
        try requireSquare("determinant"); try requireFinite("determinant")
        if rows == 0 { return 1 }
        let (a, ipiv, _) = try lu()
        var det = 1.0
        for i in 0..<rows {
            det *= a[i * cols + i]
            if ipiv[i] != Int32(i + 1) { det = -det }
        }
        return det
    }

    /// Default tolerance for rank decisions: `max(m, n) · ε · σ_max`, as numpy and MATLAB use.
    func defaultTolerance(_ s: [Double]) -> Double {
        Double(Swift.max(rows, cols)) * Double.ulpOfOne * (s.first ?? 0)
    }

    /// Numerical rank: singular values above `tolerance` (default `max(m,n)·ε·σ_max`).
    public func rank(tolerance: Double? = nil) throws -> Int {
        if rows == 0 || cols == 0 { return 0 }
        let s = try singularValues()
        let tol = tolerance ?? defaultTolerance(s)
        return s.filter { $0 > tol }.count
    }

    /// An orthonormal basis of the null space as columns (n × (n − rank)).
    public func nullSpace(tolerance: Double? = nil) throws -> Matrix {
        let d = try svd(full: true)
        let tol = tolerance ?? defaultTolerance(d.S.elements)
        let r = d.S.elements.filter { $0 > tol }.count
        return d.Vt[rows: r..<cols].transposed
    }

    /// Moore–Penrose pseudo-inverse from the SVD, cutting singular values at or below `tolerance`.
    public func pseudoInverse(tolerance: Double? = nil) throws -> Matrix {
        let d = try svd()
        let tol = tolerance ?? defaultTolerance(d.S.elements)
        // V · diag(1/σ) · Uᵀ, scaling columns of V (rows of Vᵀ) first.
        var vt = d.Vt
        for i in 0..<d.S.count {
            let inv = d.S[i] > tol ? 1 / d.S[i] : 0
            for j in 0..<vt.cols { vt[i, j] *= inv }
        }
        return vt.multiplied(by: d.U, transposeSelf: true, transposeOther: true)
    }
}
