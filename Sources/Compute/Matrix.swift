/// A dense matrix of `Double`s in **row-major** order (element (i, j) at `i * cols + j`), the
/// layout of C arrays and numpy's default, so rows are contiguous and `Matrix(rows:)` reads
/// naturally. Copy-on-write through its Swift array. LAPACK routines are called with
/// `LAPACK_ROW_MAJOR`; BLAS with `CblasRowMajor`, which costs nothing.
public struct Matrix: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var cols: Int
    /// Row-major elements.
    public var elements: [Double]

    /// A `rows × cols` matrix from row-major elements.
    public init(rows: Int, cols: Int, elements: [Double]) {
        precondition(rows >= 0 && cols >= 0, "Matrix: negative dimension \(rows)×\(cols)")
        precondition(elements.count == rows * cols, "Matrix: \(elements.count) elements for a \(rows)×\(cols) matrix")
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// A `rows`×`cols` matrix with every element `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(rows: rows, cols: cols, elements: [Double](repeating: value, count: rows * cols))
    }

    /// A matrix from its rows; all rows must have the same length.
    public init(_ rowArrays: [[Double]]) {
        let r = rowArrays.count, c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "Matrix: rows have different lengths")
        self.init(rows: r, cols: c, elements: rowArrays.flatMap { $0 })
    }

    /// A matrix from row vectors.
    public init(rows vectors: [Vector]) { self.init(vectors.map(\.elements)) }

    /// A matrix whose columns are `vectors`.
    public init(columns vectors: [Vector]) { self = Matrix(rows: vectors).transposed }

    /// Element (i, j) computed by `f`.
    public init(rows: Int, cols: Int, _ f: (Int, Int) -> Double) {
        var e = [Double]()
        e.reserveCapacity(rows * cols)
        for i in 0..<rows { for j in 0..<cols { e.append(f(i, j)) } }
        self.init(rows: rows, cols: cols, elements: e)
    }

    /// A `rows`×`cols` matrix of zeros.
    public static func zeros(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols) }
    /// A `rows`×`cols` matrix of ones.
    public static func ones(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols, repeating: 1) }
    /// The `n`×`n` identity matrix.
    public static func identity(_ n: Int) -> Matrix { diagonal(Vector.ones(n)) }
    /// A square matrix with `d` on its diagonal.
    public static func diagonal(_ d: Vector) -> Matrix {
        var m = Matrix.zeros(d.count, d.count)
        for i in 0..<d.count { m.elements[i * d.count + i] = d[i] }
        return m
    }

    /// `(rows, cols)`.
    public var shape: (rows: Int, cols: Int) { (rows, cols) }
    /// Whether rows == cols.
    public var isSquare: Bool { rows == cols }
    var shapeText: String { "\(rows)×\(cols)" }

    /// The element in row `i`, column `j` (0-based, bounds-checked).
    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < cols, "Matrix index (\(i), \(j)) out of range for \(shapeText)")
            return elements[i * cols + j]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < cols, "Matrix index (\(i), \(j)) out of range for \(shapeText)")
            elements[i * cols + j] = newValue
        }
    }

    /// Row `i` as a vector.
    public func row(_ i: Int) -> Vector { Vector(Array(elements[i * cols..<(i + 1) * cols])) }
    /// Column `j` as a vector.
    public func column(_ j: Int) -> Vector { Vector((0..<rows).map { elements[$0 * cols + j] }) }
    /// A copy with row `i` replaced by `v`.
    public func setRow(_ i: Int, _ v: Vector) -> Matrix {
        var m = self
        precondition(v.count == cols, "setRow: \(v.count) values for \(cols) columns")
        m.elements.replaceSubrange(i * cols..<(i + 1) * cols, with: v.elements)
        return m
    }
    /// The rows as vectors.
    public var rowVectors: [Vector] { (0..<rows).map(row) }
    /// The columns as vectors.
    public var columnVectors: [Vector] { (0..<cols).map(column) }
    /// The main diagonal.
    public var diagonal: Vector { Vector((0..<Swift.min(rows, cols)).map { elements[$0 * cols + $0] }) }
    /// Sum of the diagonal.
    public var trace: Double { diagonal.elements.reduce(0, +) }

    /// A block of rows and columns, copied.
    public subscript(rows r: Range<Int>, cols c: Range<Int>) -> Matrix {
        var e = [Double]()
        e.reserveCapacity(r.count * c.count)
        for i in r { e.append(contentsOf: elements[i * cols + c.lowerBound..<i * cols + c.upperBound]) }
        return Matrix(rows: r.count, cols: c.count, elements: e)
    }
    /// The rows in `r`, all columns.
    public subscript(rows r: Range<Int>) -> Matrix { self[rows: r, cols: 0..<cols] }
    /// The columns in `c`, all rows.
    public subscript(cols c: Range<Int>) -> Matrix { self[rows: 0..<rows, cols: c] }

    /// The transpose (cache-blocked copy).
    public var transposed: Matrix {
        var out = [Double](repeating: 0, count: rows * cols)
        let r = rows, c = cols
        elements.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let b = 32
                var i0 = 0
                while i0 < r {
                    var j0 = 0
                    while j0 < c {
                        for i in i0..<Swift.min(i0 + b, r) {
                            for j in j0..<Swift.min(j0 + b, c) { dst[j * r + i] = src[i * c + j] }
                        }
                        j0 += b
                    }
                    i0 += b
                }
            }
        }
        return Matrix(rows: c, cols: r, elements: out)
    }
    /// `Aᵀ`, as in the notation.
    public var T: Matrix { transposed }

    /// Elementwise transform.
    public func map(_ f: (Double) throws -> Double) rethrows -> Matrix {
        Matrix(rows: rows, cols: cols, elements: try elements.map(f))
    }

    /// Reshapes without copying the order of elements.
    public func reshaped(_ rows: Int, _ cols: Int) -> Matrix {
        precondition(rows * cols == self.rows * self.cols, "reshape: \(shapeText) cannot become \(rows)×\(cols)")
        return Matrix(rows: rows, cols: cols, elements: elements)
    }

    /// numpy-style text (see `ArrayFormatter`).
    public var description: String { ArrayFormatter.format(self) }
}

/// `{"rows": 2, "cols": 3, "elements": [...]}` (row-major), so a matrix can travel between
/// notebooks (`export`/`imported`); a decoded matrix is checked for its shape.
extension Matrix: Codable {
    enum CodingKeys: String, CodingKey { case rows, cols, elements }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try c.decode(Int.self, forKey: .rows), cols = try c.decode(Int.self, forKey: .cols)
        let elements = try c.decode([Double].self, forKey: .elements)
        guard rows >= 0, cols >= 0, elements.count == rows * cols else {
            throw DecodingError.dataCorruptedError(forKey: .elements, in: c, debugDescription: "\(elements.count) elements for a \(rows)×\(cols) matrix")
        }
        self.init(rows: rows, cols: cols, elements: elements)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(cols, forKey: .cols)
        try c.encode(elements, forKey: .elements)
    }
}
