/// Text forms of vectors and matrices, truncated like numpy's (first and last three) when large.
public enum ArrayFormatter {
    /// Elements shown before eliding the middle.
    public static let edge = 3
    /// Longest dimension shown in full; longer ones show `edge` elements at each end.
    public static let threshold = 12

    /// One number the way numpy prints it: `1.`, `0.333333`, `1.0000e-05`, `nan`, `inf`.
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) + "." }
        let a = abs(x)
        if a >= 1e-4 && a < 1e6 {
            var s = String(format: "%.6g", x)
            if !s.contains(".") && !s.contains("e") { s += "." }
            return s
        }
        return String(format: "%.4e", x)
    }

    /// Indices to show for a dimension of `count` elements; nil stands for the elided middle.
    public static func items(_ count: Int) -> [Int?] {
        count <= threshold ? Array(0..<count) : Array(0..<edge) + [nil] + Array(count - edge..<count)
    }

    /// A vector as `[a, b, …, z]`.
    public static func format(_ v: [Double]) -> String {
        "[" + items(v.count).map { $0.map { number(v[$0]) } ?? "…" }.joined(separator: ", ") + "]"
    }

    /// A matrix as rows of aligned columns, elided like numpy's.
    public static func format(_ m: Matrix) -> String {
        let rows = items(m.rows), cols = items(m.cols)
        let cells = rows.map { r in cols.map { c -> String in
            guard let r, let c else { return r == nil ? "⋮" : "…" }
            return number(m[r, c])
        } }
        let widths = cols.indices.map { j in cells.map { $0[j].count }.max() ?? 0 }
        let lines = cells.map { row in
            row.enumerated().map { j, s in String(repeating: " ", count: widths[j] - s.count) + s }.joined(separator: "  ")
        }
        return "\(m.rows)×\(m.cols) matrix\n" + lines.map { "[" + $0 + "]" }.joined(separator: "\n")
    }
}

import Foundation
