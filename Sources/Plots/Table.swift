import Foundation

/// Columns of values shown as an HTML table: `Table(("n", ns), ("slope", slopes))`.
public struct Table {
    public struct Column {
        public var name: String
        public var cells: [String]
        /// Numbers are right-aligned.
        public var numeric: Bool
    }
    public var columns: [Column]
    public var caption: String?

    public init(caption: String? = nil, _ columns: Column...) {
        self.columns = columns
        self.caption = caption
    }

    public init(caption: String? = nil, columns: [Column]) {
        self.columns = columns
        self.caption = caption
    }

    public var rowCount: Int { columns.map(\.cells.count).max() ?? 0 }

    /// The table as an HTML fragment; every cell is escaped.
    public var html: String {
        var s = "<table class=\"folio-table\">"
        if let caption { s += "<caption>\(SVG.escape(caption))</caption>" }
        s += "<thead><tr>" + columns.map { "<th>\(SVG.escape($0.name))</th>" }.joined() + "</tr></thead><tbody>"
        for r in 0..<rowCount {
            s += "<tr>"
            for c in columns {
                let text = r < c.cells.count ? c.cells[r] : ""
                s += c.numeric ? "<td style=\"text-align:right\">\(SVG.escape(text))</td>" : "<td>\(SVG.escape(text))</td>"
            }
            s += "</tr>"
        }
        return s + "</tbody></table>"
    }

    /// Plain-text form, aligned in columns.
    public var text: String {
        let widths = columns.map { c in max(c.name.count, c.cells.map(\.count).max() ?? 0) }
        func pad(_ s: String, _ w: Int, _ right: Bool) -> String {
            let p = String(repeating: " ", count: max(0, w - s.count))
            return right ? p + s : s + p
        }
        var lines = [zip(columns, widths).map { pad($0.name, $1, $0.numeric) }.joined(separator: "  ")]
        for r in 0..<rowCount {
            lines.append(zip(columns, widths).map { c, w in pad(r < c.cells.count ? c.cells[r] : "", w, c.numeric) }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

extension Table.Column {
    /// Numbers, with `digits` significant digits (default: shortest exact form).
    public init<S: Sequence>(_ name: String, _ values: S, digits: Int? = nil) where S.Element == Double {
        self.init(name: name, cells: values.map { v in
            if let digits { return String(format: "%.\(digits)g", v) }
            return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
        }, numeric: true)
    }
    public init<S: Sequence>(_ name: String, _ values: S) where S.Element == Int {
        self.init(name: name, cells: values.map(String.init), numeric: true)
    }
    public init<S: Sequence>(_ name: String, _ values: S) where S.Element == String {
        self.init(name: name, cells: Array(values), numeric: false)
    }
}
