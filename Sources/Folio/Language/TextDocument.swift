import Foundation

/// An open document as the editor has it: its text, which may differ from the file on disk,
/// and its version. Edits arrive as ranges in UTF-16 positions (LSP's default encoding).
struct TextDocument {
    let uri: String
    var version: Int
    private(set) var text: String
    /// The UTF-8 offset of the start of each line.
    private(set) var lineStarts: [Int] = [0]

    init(uri: String, version: Int, text: String) {
        self.uri = uri
        self.version = version
        self.text = text
        index()
    }

    enum EditError: Error, CustomStringConvertible {
        case outside(LSP.Range)
        var description: String {
            switch self {
            case .outside(let r): "the edit's range \(r.start.line):\(r.start.character)–\(r.end.line):\(r.end.character) is outside the document"
            }
        }
    }

    /// Applies one change: a whole new text (no range) or a replacement of a range. A range
    /// past the end of the document is an error, and the document is left as it was.
    mutating func apply(_ change: LSP.ContentChange) throws {
        guard let range = change.range else {
            text = change.text
            index()
            return
        }
        guard let start = offset(of: range.start), let end = offset(of: range.end), start <= end else { throw EditError.outside(range) }
        var bytes = Array(text.utf8)
        bytes.replaceSubrange(start..<end, with: Array(change.text.utf8))
        text = String(decoding: bytes, as: UTF8.self)
        index()
    }

    private mutating func index() {
        lineStarts = [0]
        for (i, b) in text.utf8.enumerated() where b == 10 { lineStarts.append(i + 1) }
    }

    var lineCount: Int { lineStarts.count }

    /// Line `n` (0-based) without its line break.
    func line(_ n: Int) -> Substring {
        guard n >= 0 && n < lineStarts.count else { return "" }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[n])
        var end = n + 1 < lineStarts.count ? utf8.index(utf8.startIndex, offsetBy: lineStarts[n + 1] - 1) : utf8.endIndex
        if end > start, utf8[utf8.index(before: end)] == 13 { end = utf8.index(before: end) }
        return text[start..<end]
    }

    /// The UTF-8 offset of an LSP position; nil when it lies outside the document. A character
    /// past the end of its line means the line's end, as the specification says.
    func offset(of p: LSP.Position) -> Int? {
        guard p.line >= 0, p.character >= 0 else { return nil }
        if p.line == lineStarts.count && p.character == 0 { return text.utf8.count }
        guard p.line < lineStarts.count else { return nil }
        let line = self.line(p.line)
        var units = 0, bytes = 0
        for scalar in line.unicodeScalars {
            if units >= p.character { break }
            units += scalar.utf16.count
            bytes += scalar.utf8.count
        }
        return lineStarts[p.line] + bytes
    }

    /// The UTF-16 length of line `n`: where a range covering the line ends.
    func utf16Length(ofLine n: Int) -> Int { line(n).utf16.count }

    /// The UTF-16 column of a UTF-8 column (1-based) on line `n` (0-based).
    func utf16Column(line n: Int, utf8Column: Int) -> Int {
        let l = line(n)
        let prefix = l.utf8.prefix(max(0, utf8Column - 1))
        return String(decoding: prefix, as: UTF8.self).utf16.count
    }
}
