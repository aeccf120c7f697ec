import Foundation

/// Where each line of a generated program file stands in its notebook, read from the
/// `#sourceLocation(file:line:)` directives `ProgramGenerator` writes, and how far the cell's text
/// is shifted on that line (a statement wrapped as `_Notebook.show(…)` starts further right).
struct SourceMap {
    /// Per generated line: its 0-based notebook line, if it has one.
    private(set) var notebookLine: [Int?] = []
    private let generatedLines: [Substring]

    init(generated text: String) {
        generatedLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var current: Int?
        for line in generatedLines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#sourceLocation(") {
                notebookLine.append(nil)
                if let colon = trimmed.range(of: "line:", options: .backwards),
                   let n = Int(trimmed[colon.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " )"))) {
                    current = n - 1
                } else {
                    current = nil
                }
                continue
            }
            notebookLine.append(current)
            if current != nil { current! += 1 }
        }
    }

    /// The UTF-16 shift of the notebook's line text inside the generated line; nil when the text
    /// is not there (a line Folio added, such as `_ = x`).
    private func shift(_ generated: Int, _ text: Substring) -> Int? {
        let code = text.trimmingCharacters(in: .whitespaces)
        guard generated < generatedLines.count else { return nil }
        let line = generatedLines[generated]
        if code.isEmpty { return line.trimmingCharacters(in: .whitespaces).isEmpty ? 0 : nil }
        guard let hit = line.range(of: code) else { return nil }
        let leading = text.prefix { $0 == " " || $0 == "\t" }.utf16.count
        return line[..<hit.lowerBound].utf16.count - leading
    }

    /// The generated position of a notebook position; `text` is the notebook line. Lines Folio
    /// added (with no text of the cell) are passed over for the line that holds the cell's text.
    func generated(line: Int, character: Int, text: Substring) -> LSP.Position? {
        var fallback: LSP.Position?
        for (g, n) in notebookLine.enumerated() where n == line {
            if let s = shift(g, text) { return LSP.Position(line: g, character: character + s) }
            if fallback == nil { fallback = LSP.Position(line: g, character: character) }
        }
        return fallback
    }

    /// The notebook position of a generated one; `text` gives the notebook's lines.
    func notebook(_ p: LSP.Position, text: (Int) -> Substring) -> LSP.Position? {
        guard p.line < notebookLine.count, let n = notebookLine[p.line] else { return nil }
        let s = shift(p.line, text(n)) ?? 0
        // Left of the cell's text: Folio's wrapper (`_Notebook.show(`), which the notebook does not have.
        guard p.character >= s else { return nil }
        return LSP.Position(line: n, character: p.character - s)
    }

    /// Whether generated line `line` comes from the notebook.
    func maps(_ line: Int) -> Bool { line < notebookLine.count && notebookLine[line] != nil }
}
