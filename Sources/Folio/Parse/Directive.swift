import Foundation

/// The kinds of statement a notebook can label and number, by their label prefix (as Quarto's
/// theorem-like environments): `::: {#thm-x}` is a theorem.
public enum StatementKind: String, Codable, Sendable, CaseIterable {
    case theorem = "thm", lemma = "lem", corollary = "cor", proposition = "prop", definition = "def", claim = "claim"

    /// What its box and its references call it.
    public var title: String {
        switch self {
        case .theorem: "Theorem"
        case .lemma: "Lemma"
        case .corollary: "Corollary"
        case .proposition: "Proposition"
        case .definition: "Definition"
        case .claim: "Claim"
        }
    }

    /// The kind a label names (`thm-cauchy` → theorem), nil for any other label.
    public init?(label: String) {
        guard let dash = label.firstIndex(of: "-"), label.index(after: dash) < label.endIndex,
              let kind = StatementKind(rawValue: String(label[..<dash])) else { return nil }
        self = kind
    }
}

/// A theorem, lemma, definition or claim: a numbered box around the blocks between its fences,
/// which may hold the Swift cells that check it.
public struct Statement: Codable, Equatable, Sendable {
    public var kind: StatementKind
    public var label: String
    /// `name="…"` (or `title="…"`) of the opening fence.
    public var title: String?
    /// The `.md` line of the opening fence.
    public var line: Int
    /// Indices (in `Notebook.cells`) of the cells inside it, nested statements' included.
    public var cells: [Int] = []
}

/// A Markdown table labelled by the paragraph after it, `: Caption {#tbl-x}`.
public struct LabelledTable: Codable, Equatable, Sendable {
    public var label: String
    /// The caption's HTML, placeholders (formulas, references) still in it.
    public var captionHTML: String
    /// The `.md` line of the caption (the scanned text's until the parser maps it).
    public var line: Int
}

/// `{{< embed other.md#fig-x >}}` on a line of its own: another notebook's labelled output.
public struct Embed: Codable, Equatable, Sendable {
    /// As written, relative to the embedding notebook's folder.
    public var notebook: String
    public var label: String
    public var line: Int
}

/// A line of its own that Folio reads as a block rather than as Markdown: a statement's opening
/// or closing fence, or an embed. `ProseScanner` finds them (outside code) and leaves a block
/// marker in their place; `CMarkDocument` turns the marker into a piece of its own.
public enum Directive: Equatable, Sendable {
    case statementStart(Statement)
    case statementEnd(line: Int)
    case embed(Embed)

    /// The same directive, found at `.md` line `line`.
    func at(line: Int) -> Directive {
        switch self {
        case .statementStart(var s): s.line = line; return .statementStart(s)
        case .statementEnd: return .statementEnd(line: line)
        case .embed(var e): e.line = line; return .embed(e)
        }
    }

    /// What the line `text` (without its newline) is, if it is a directive; `openStatements`
    /// says whether a bare `:::` closes something (otherwise it is text).
    static func read(_ text: Substring, line: Int, openStatements: Int) -> Directive? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix(":::") {
            let rest = t.drop { $0 == ":" }.trimmingCharacters(in: .whitespaces)
            if rest.isEmpty { return openStatements > 0 ? .statementEnd(line: line) : nil }
            guard rest.hasPrefix("{"), let close = rest.lastIndex(of: "}"),
                  rest[rest.index(after: close)...].allSatisfy({ $0 == ":" || $0 == " " }) else { return nil }
            let attributes = Self.attributes(rest[rest.index(after: rest.startIndex)..<close])
            guard let id = attributes.id, let kind = StatementKind(label: id) else { return nil }
            return .statementStart(Statement(kind: kind, label: id, title: attributes.values["name"] ?? attributes.values["title"], line: line))
        }
        if t.hasPrefix("{{<") && t.hasSuffix(">}}") {
            let words = t.dropFirst(3).dropLast(3).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count == 2, words[0] == "embed", let hash = words[1].lastIndex(of: "#") else { return nil }
            let target = words[1]
            let label = String(target[target.index(after: hash)...])
            guard !label.isEmpty else { return nil }
            return .embed(Embed(notebook: String(target[..<hash]), label: label, line: line))
        }
        return nil
    }

    /// `#id .class key="value" key=value`, as pandoc's attribute syntax.
    static func attributes(_ text: Substring) -> (id: String?, values: [String: String]) {
        var id: String?
        var values: [String: String] = [:]
        var i = text.startIndex
        func skipSpaces() { while i < text.endIndex && text[i].isWhitespace { i = text.index(after: i) } }
        func word() -> Substring {
            let start = i
            while i < text.endIndex && !text[i].isWhitespace && text[i] != "=" { i = text.index(after: i) }
            return text[start..<i]
        }
        skipSpaces()
        while i < text.endIndex {
            let w = word()
            if w.hasPrefix("#") { id = String(w.dropFirst()) }
            else if i < text.endIndex && text[i] == "=" {
                i = text.index(after: i)
                var value = ""
                if i < text.endIndex && text[i] == "\"" {
                    i = text.index(after: i)
                    while i < text.endIndex && text[i] != "\"" {
                        if text[i] == "\\", text.index(after: i) < text.endIndex { i = text.index(after: i) }
                        value.append(text[i])
                        i = text.index(after: i)
                    }
                    if i < text.endIndex { i = text.index(after: i) }
                } else {
                    value = String(word())
                }
                values[String(w)] = value
            } else if w.isEmpty {
                i = text.index(after: i)  // a stray `=`
            }
            skipSpaces()
        }
        return (id, values)
    }
}
