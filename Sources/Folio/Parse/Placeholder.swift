/// The private-use characters that stand in the Markdown for what Folio lifts out before cmark
/// runs: `U+E000 kind n U+E001`, where kind is `M` (formula), `C` (citation), `X` (cross-reference)
/// or `V` (inline value), and n its index. A notebook cannot forge one: the parser replaces
/// U+E000–U+E003 in the source first. (Cells use `U+E002 C n U+E003`, see `CMarkDocument`.)
enum Placeholder {
    static let open = "\u{E000}", close = "\u{E001}"

    /// The placeholder for item `n` of `kind`.
    static func make(_ kind: Character, _ n: Int) -> String { "\(open)\(kind)\(n)\(close)" }

    /// Whether `text` holds a placeholder's opening character.
    static func occurs(in text: String) -> Bool { text.unicodeScalars.contains("\u{E000}") }

    /// `text` with each placeholder whose token (`M0`) `replacement` answers replaced by that answer.
    static func replace(in text: String, _ replacement: (String) -> String?) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.unicodeScalars.firstIndex(of: "\u{E000}") {
            guard let end = rest.unicodeScalars[start...].firstIndex(of: "\u{E001}") else { break }
            out += rest[..<start]
            let token = String(rest.unicodeScalars[rest.unicodeScalars.index(after: start)..<end])
            out += replacement(token) ?? String(rest[start...end])
            rest = rest[rest.unicodeScalars.index(after: end)...]
        }
        return out + rest
    }
}
