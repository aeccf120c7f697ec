/// Splits a fragment of raw HTML into tokens exactly where a browser's tokenizer would (HTML
/// Standard §13.2.5: data, tag open, tag name, the attribute states, self-closing start tag and
/// the comment states). The raw-HTML policy decides on these tokens, so what it allows is what the
/// browser sees: a filter that guesses tag boundaries differently from the browser has holes (a
/// bare `=` before a line break once hid an `ontoggle=` from the old one).
///
/// Only the data state is modelled between tags: the policy refuses every element that switches
/// the tokenizer into another state (`script`, `style`, `textarea`, `title`, `plaintext`, `svg`, …).
struct HTMLTokenizer {
    struct Attribute: Equatable {
        /// Lowercased, as the browser stores it; may hold any byte but blanks, `/`, `>`, `=` (after
        /// the first byte, which may be `=`).
        var name: String
        /// The value as written (character references not decoded), nil for a bare attribute.
        var rawValue: [UInt8]?
    }

    struct Tag: Equatable {
        var name: String
        /// In source order, duplicates included (the browser keeps the first of each name).
        var attributes: [Attribute]
        var selfClosing: Bool
    }

    enum Token: Equatable {
        /// Text between tags, as written; a `<` that starts no tag is part of it.
        case text([UInt8])
        case startTag(Tag)
        case endTag(Tag)
        /// `<!--…-->`: the text between the delimiters, which ends at the first `-->` or `--!>`.
        case comment([UInt8])
        /// `<!-->` or `<!--->`: a comment the browser closes at once.
        case abruptComment
        /// What the browser reads as a bogus comment or DOCTYPE up to the next `>`: `<?…>`,
        /// `<!DOCTYPE…>`, `<![CDATA[…]]>`, `</ x>`; also `</>`, which it drops. The bytes as written.
        case declaration([UInt8])
    }

    /// The tokens of `bytes`, or nil when the fragment ends inside a tag or a comment (the browser
    /// would go on reading the page's own markup as part of it).
    static func tokenize(_ bytes: [UInt8]) -> [Token]? {
        var reader = HTMLTokenizer(bytes: bytes)
        return reader.run()
    }

    private let b: [UInt8]
    private var i = 0
    private var tokens: [Token] = []
    private var text: [UInt8] = []

    private init(bytes: [UInt8]) { b = bytes }

    static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 12 || c == 13 }
    static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

    private mutating func flushText() {
        if !text.isEmpty { tokens.append(.text(text)); text = [] }
    }

    private mutating func run() -> [Token]? {
        while i < b.count {
            guard b[i] == 60 else { text.append(b[i]); i += 1; continue }  // <
            guard i + 1 < b.count else { text.append(60); i += 1; continue }
            let next = b[i + 1]
            if Self.isASCIILetter(next) {
                flushText()
                i += 1
                guard let tag = readTag() else { return nil }
                tokens.append(.startTag(tag))
            } else if next == 47 {  // </
                guard i + 2 < b.count else { text.append(contentsOf: [60, 47]); i += 2; continue }
                flushText()
                guard Self.isASCIILetter(b[i + 2]) else { readDeclaration(); continue }
                i += 2
                guard let tag = readTag() else { return nil }
                tokens.append(.endTag(tag))
            } else if next == 33 {  // <!
                flushText()
                guard i + 3 < b.count, b[i + 2] == 45, b[i + 3] == 45 else { readDeclaration(); continue }
                i += 4
                guard let token = readComment() else { return nil }
                tokens.append(token)
            } else if next == 63 {  // <?
                flushText()
                readDeclaration()
            } else {
                text.append(60)  // a `<` before anything else is text; the next byte is read again
                i += 1
            }
        }
        flushText()
        return tokens
    }

    private enum State { case name, beforeAttributeName, attributeName, afterAttributeName, beforeValue,
                         doubleQuoted, singleQuoted, unquoted, afterQuotedValue, selfClosing }

    /// From the first byte of the tag name to just past the `>`; nil at the end of input.
    private mutating func readTag() -> Tag? {
        var tag = Tag(name: "", attributes: [], selfClosing: false)
        var name: [UInt8] = []
        var attrName: [UInt8] = []
        var value: [UInt8]? = nil
        var state = State.name
        func finishAttribute() {
            guard !attrName.isEmpty else { return }
            tag.attributes.append(Attribute(name: String(decoding: attrName, as: UTF8.self), rawValue: value))
            attrName = []
            value = nil
        }
        while i < b.count {
            let c = b[i]
            switch state {
            case .name:
                if Self.isBlank(c) { state = .beforeAttributeName }
                else if c == 47 { state = .selfClosing }
                else if c == 62 { i += 1; tag.name = String(decoding: name, as: UTF8.self); return tag }
                else { name.append(Self.lower(c)) }
                i += 1
            case .beforeAttributeName:
                if Self.isBlank(c) { i += 1 }
                else if c == 47 || c == 62 { state = .afterAttributeName }
                else if c == 61 { attrName = [61]; state = .attributeName; i += 1 }  // a leading `=` is part of the name
                else { state = .attributeName }
            case .attributeName:
                if Self.isBlank(c) || c == 47 || c == 62 { state = .afterAttributeName }
                else if c == 61 { value = []; state = .beforeValue; i += 1 }
                else { attrName.append(Self.lower(c)); i += 1 }
            case .afterAttributeName:
                if Self.isBlank(c) { i += 1 }
                else if c == 47 { finishAttribute(); state = .selfClosing; i += 1 }
                else if c == 61 { value = []; state = .beforeValue; i += 1 }
                else if c == 62 { finishAttribute(); i += 1; tag.name = String(decoding: name, as: UTF8.self); return tag }
                else { finishAttribute(); state = .attributeName }
            case .beforeValue:
                if Self.isBlank(c) { i += 1 }
                else if c == 34 { state = .doubleQuoted; i += 1 }
                else if c == 39 { state = .singleQuoted; i += 1 }
                else if c == 62 { finishAttribute(); i += 1; tag.name = String(decoding: name, as: UTF8.self); return tag }
                else { state = .unquoted }
            case .doubleQuoted, .singleQuoted:
                if c == (state == .doubleQuoted ? 34 : 39) { finishAttribute(); state = .afterQuotedValue }
                else { value!.append(c) }
                i += 1
            case .unquoted:
                if Self.isBlank(c) { finishAttribute(); state = .beforeAttributeName }
                else if c == 62 { finishAttribute(); i += 1; tag.name = String(decoding: name, as: UTF8.self); return tag }
                else { value!.append(c) }
                i += 1
            case .afterQuotedValue:
                if Self.isBlank(c) { state = .beforeAttributeName; i += 1 }
                else if c == 47 { state = .selfClosing; i += 1 }
                else if c == 62 { i += 1; tag.name = String(decoding: name, as: UTF8.self); return tag }
                else { state = .beforeAttributeName }
            case .selfClosing:
                if c == 62 {
                    i += 1
                    tag.selfClosing = true
                    tag.name = String(decoding: name, as: UTF8.self)
                    return tag
                }
                state = .beforeAttributeName
            }
        }
        return nil
    }

    /// A bogus comment: from the `<` to the next `>`, or to the end.
    private mutating func readDeclaration() {
        let start = i
        while i < b.count && b[i] != 62 { i += 1 }
        if i < b.count { i += 1 }
        tokens.append(.declaration(Array(b[start..<i])))
    }

    /// Just after `<!--`: the comment ends at the first `-->` or `--!>` (after the abrupt forms).
    private mutating func readComment() -> Token? {
        if i < b.count && b[i] == 62 { i += 1; return .abruptComment }
        if i + 1 < b.count && b[i] == 45 && b[i + 1] == 62 { i += 2; return .abruptComment }
        let start = i
        var k = i
        while k + 2 < b.count {
            if b[k] == 45 && b[k + 1] == 45 {
                if b[k + 2] == 62 { i = k + 3; return .comment(Array(b[start..<k])) }
                if b[k + 2] == 33 && k + 3 < b.count && b[k + 3] == 62 { i = k + 4; return .comment(Array(b[start..<k])) }
            }
            k += 1
        }
        return nil
    }
}
