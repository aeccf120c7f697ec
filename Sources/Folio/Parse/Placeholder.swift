/// The private-use characters that stand in the Markdown for what Folio lifts out of prose before
/// cmark runs, and for cells in cmark's HTML. One type writes and reads them all:
/// - an item, `U+E000 kind index U+E001`: a formula (`M`), citation (`C`), cross-reference (`X`)
///   or inline value (`V`), by its index in the notebook's list of that kind;
/// - a cell's place, `U+E002 C index U+E003`.
/// A notebook cannot forge one: the parser replaces U+E000–U+E003 in the source first
/// (`replacingReserved`). In UTF-8 each of the four is `EE 80 8x`, so the byte-level helpers
/// below look for that.
enum Placeholder {
    enum Kind: UInt8 {
        case math = 77  // M
        case citation = 67  // C
        case reference = 88  // X
        case inlineValue = 86  // V
    }

    /// Which item a placeholder stands for (`M3`: formula 3).
    struct Token: Hashable, CustomStringConvertible {
        var kind: Kind
        var index: Int

        init(_ kind: Kind, _ index: Int) {
            self.kind = kind
            self.index = index
        }

        /// From the text between the delimiters; nil when it is not a token.
        init?(_ text: some Collection<UInt8>) {
            guard let first = text.first, let kind = Kind(rawValue: first),
                  let index = Int(String(decoding: text.dropFirst(), as: UTF8.self)) else { return nil }
            self.init(kind, index)
        }

        var description: String { String(UnicodeScalar(kind.rawValue)) + String(index) }
    }

    static let itemOpen: UInt8 = 0x80, itemClose: UInt8 = 0x81, cellOpen: UInt8 = 0x82, cellClose: UInt8 = 0x83

    /// The placeholder for `token`.
    static func make(_ token: Token) -> String { "\u{E000}\(token)\u{E001}" }

    /// What a block marker stands for: where, in cmark's HTML, a block that Render draws goes.
    enum BlockKind: UInt8 {
        case cell = 67  // C
        case heading = 72  // H
        case calloutStart = 81  // Q
        case calloutEnd = 69  // E
        case directive = 68  // D: a statement fence or an embed (`Directive`)
        case tableStart = 84  // T: a Markdown table with a `: caption {#tbl-x}` line after it
        case tableEnd = 85  // U
    }

    /// The marker block `n` of `kind` leaves in cmark's HTML: `U+E002 kind n U+E003`.
    static func blockMarker(_ kind: BlockKind, _ n: Int) -> String { "\u{E002}\(String(UnicodeScalar(kind.rawValue)))\(n)\u{E003}" }

    /// The block marker whose token is `text`.
    static func block(_ text: some Collection<UInt8>) -> (BlockKind, Int)? {
        guard let first = text.first, let kind = BlockKind(rawValue: first),
              let n = Int(String(decoding: text.dropFirst(), as: UTF8.self)) else { return nil }
        return (kind, n)
    }

    /// `text` with U+E000–U+E003 replaced by U+FFFD, so the source cannot forge a placeholder.
    static func replacingReserved(_ text: String) -> String {
        // Each of the four starts with byte EE; most text has none, and memchr says so at once.
        guard text.containsUTF8Byte(0xEE), text.unicodeScalars.contains(where: isReserved) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isReserved($0) ? "\u{FFFD}" : $0 }))
    }

    static func isReserved(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0xE000 && scalar.value <= 0xE003 }

    /// Which of the four characters starts at `b[i]`, as its last UTF-8 byte (0x80…0x83), if any.
    static func character(in b: [UInt8], at i: Int) -> UInt8? {
        guard i + 2 < b.count, b[i] == 0xEE, b[i + 1] == 0x80, b[i + 2] >= itemOpen && b[i + 2] <= cellClose else { return nil }
        return b[i + 2]
    }

    /// Whether `b` holds any of the four characters.
    static func occurs(in b: [UInt8]) -> Bool {
        guard b.count >= 3 else { return false }
        return (0..<(b.count - 2)).contains { character(in: b, at: $0) != nil }
    }

    /// Whether `text` holds an item placeholder's opening character.
    static func occurs(in text: String) -> Bool { text.unicodeScalars.contains("\u{E000}") }

    /// For the placeholder opening at `b[i]` (item or cell): its token bytes' range and the index
    /// just past its closing character; nil when it is not closed.
    static func extent(in b: [UInt8], openingAt i: Int) -> (token: Range<Int>, end: Int)? {
        guard let open = character(in: b, at: i), open == itemOpen || open == cellOpen else { return nil }
        var j = i + 3
        while j < b.count {
            if character(in: b, at: j) == open + 1 { return (i + 3..<j, j + 3) }
            j += 1
        }
        return nil
    }

    /// `text` with each item placeholder that `replacement` answers for replaced by the answer.
    static func replace(in text: String, _ replacement: (Token) -> String?) -> String {
        let b = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0, copied = 0
        while i < b.count {
            guard character(in: b, at: i) == itemOpen, let (range, end) = extent(in: b, openingAt: i) else { i += 1; continue }
            if let token = Token(b[range]), let answer = replacement(token) {
                out.append(contentsOf: b[copied..<i])
                out.append(contentsOf: Array(answer.utf8))
                copied = end
            }
            i = end
        }
        out.append(contentsOf: b[copied...])
        return String(decoding: out, as: UTF8.self)
    }
}
