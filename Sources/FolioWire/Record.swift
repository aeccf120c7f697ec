/// The records a running notebook sends to Folio, defined once for both sides: the runtime
/// (`FolioRuntime`, linked into every notebook program) encodes them, the engine (`Folio`'s
/// `OutputCollector`) decodes them.
///
/// A record travels on the program's stdout, between whatever the cells print, so the order of
/// records and prints is the order things happened: `RS FOLIO:<nonce>:<kind> <length>\n<payload>`,
/// RS being U+001E, the nonce a per-run secret (a cell cannot forge a record by printing one),
/// the length the payload's UTF-8 byte count.
public enum Record: Equatable, Sendable {
    /// Cell `index` (0-based among the notebook's cells) starts.
    case cell(index: Int)
    /// Every cell ran.
    case end
    /// A shown value, as text.
    case value(String)
    case html(String)
    case svg(String)
    /// Plain text sent by the runtime itself (a plot's warnings), filed like printed text.
    case text(String)
    case claim(Claim)
    /// The value of an inline `` `{swift} expr` `` of the prose.
    case inline(index: Int, text: String)
    /// An error that escaped every cell.
    case error(String)
    /// A named number the notebook records (`record("norm", x)`), for a sweep's summary.
    case recorded(name: String, value: Double)
    /// A value for other notebooks (`export("name", value)`): its name and JSON.
    case exported(name: String, json: String)

    /// Record kinds as the header names them.
    public enum Kind: String, Sendable, CaseIterable {
        case cell, end, value, html, svg, text, claim, inline, error, recorded, exported
    }

    public var kind: Kind {
        switch self {
        case .cell: .cell
        case .end: .end
        case .value: .value
        case .html: .html
        case .svg: .svg
        case .text: .text
        case .claim: .claim
        case .inline: .inline
        case .error: .error
        case .recorded: .recorded
        case .exported: .exported
        }
    }

    /// The payload's bytes.
    public var payload: [UInt8] {
        switch self {
        case .cell(let index): Array(String(index).utf8)
        case .end: []
        case .value(let s), .html(let s), .svg(let s), .text(let s), .error(let s): Array(s.utf8)
        case .claim(let c): c.encoded
        case .inline(let index, let text): Array("\(index)\n\(text)".utf8)
        case .recorded(let name, let value): Array("\(value)\n\(name)".utf8)
        case .exported(let name, let json): Array("\(name)\n\(json)".utf8)
        }
    }

    /// The record a header's kind and its payload stand for; nil for a payload that does not
    /// decode (a truncated or garbled record).
    public init?(kind: Kind, payload: [UInt8]) {
        let text = String(decoding: payload, as: UTF8.self)
        switch kind {
        case .cell:
            guard let index = Int(text) else { return nil }
            self = .cell(index: index)
        case .end: self = .end
        case .value: self = .value(text)
        case .html: self = .html(text)
        case .svg: self = .svg(text)
        case .text: self = .text(text)
        case .claim:
            guard let claim = Claim(encoded: payload) else { return nil }
            self = .claim(claim)
        case .inline:
            guard let nl = text.firstIndex(of: "\n"), let index = Int(text[..<nl]) else { return nil }
            self = .inline(index: index, text: String(text[text.index(after: nl)...]))
        case .error: self = .error(text)
        case .recorded:
            guard let nl = text.firstIndex(of: "\n"), let value = Double(text[..<nl]) else { return nil }
            self = .recorded(name: String(text[text.index(after: nl)...]), value: value)
        case .exported:
            // The runtime refuses names with a newline, so the first one ends the name.
            guard let nl = text.firstIndex(of: "\n") else { return nil }
            self = .exported(name: String(text[..<nl]), json: String(text[text.index(after: nl)...]))
        }
    }

    /// The record's bytes on the wire, header and payload.
    public func encoded(nonce: String) -> [UInt8] {
        let body = payload
        return Array(Self.header(nonce: nonce, kind: kind, length: body.count).utf8) + body
    }

    /// `RS FOLIO:<nonce>:<kind> <length>\n`.
    public static func header(nonce: String, kind: Kind, length: Int) -> String {
        headerPrefix(nonce: nonce) + "\(kind.rawValue) \(length)\n"
    }

    /// What every header of a run starts with: `RS FOLIO:<nonce>:`.
    public static func headerPrefix(nonce: String) -> String { "\u{1E}FOLIO:\(nonce):" }

    /// What follows `RS FOLIO:<nonce>:` up to the newline: the kind and the payload's length.
    /// nil when it is not a header (a cell printed something that merely looks like one).
    public static func parseHeader(_ text: Substring) -> (kind: Kind, length: Int)? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let n = Int(parts[1]), n >= 0 else { return nil }
        return (kind, n)
    }
}

