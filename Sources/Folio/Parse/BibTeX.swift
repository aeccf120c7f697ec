import Foundation

/// One bibliography entry.
public struct BibEntry: Codable, Equatable, Sendable {
    /// `article`, `inproceedings`, `misc`, … (lowercased).
    public var type: String
    public var key: String
    /// Field names lowercased; values with braces and quotes removed, `@string`s expanded.
    public var fields: [String: String]
    /// Line of the `@type{` in its source.
    public var line: Int

    public subscript(_ name: String) -> String? { fields[name] }

    /// Family names of the authors (or editors), from `Last, First` or `First Last` forms.
    public var familyNames: [String] {
        guard let names = fields["author"] ?? fields["editor"] else { return [] }
        return names.components(separatedBy: " and ").map { raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            if let comma = name.firstIndex(of: ",") { return String(name[..<comma]).trimmingCharacters(in: .whitespaces) }
            return name.split(separator: " ").last.map(String.init) ?? name
        }.filter { !$0.isEmpty }
    }

    /// "Smith", "Smith and Jones", "Smith et al." — the author part of an author–year citation.
    public var shortAuthors: String {
        let n = familyNames
        switch n.count {
        case 0: return fields["title"].map { String($0.prefix(30)) } ?? key
        case 1: return n[0]
        case 2: return "\(n[0]) and \(n[1])"
        default: return "\(n[0]) et al."
        }
    }

    public var year: String { fields["year"] ?? "n.d." }

    /// Authors as "First Last, First Last and First Last", whichever form the file used.
    public var authorList: String {
        guard let names = fields["author"] ?? fields["editor"] else { return "" }
        let people = names.components(separatedBy: " and ").map { raw -> String in
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let comma = name.firstIndex(of: ",") else { return name }
            let last = name[..<comma].trimmingCharacters(in: .whitespaces)
            let first = name[name.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            return first.isEmpty ? last : "\(first) \(last)"
        }
        if people.count <= 1 { return people.first ?? "" }
        return people.dropLast().joined(separator: ", ") + " and " + people.last!
    }

    /// A link for the entry: URL, else DOI, else arXiv.
    public var link: String? {
        if let u = fields["url"], u.hasPrefix("http://") || u.hasPrefix("https://") { return u }
        if let d = fields["doi"] { return "https://doi.org/\(d)" }
        if let e = fields["eprint"], (fields["archiveprefix"] ?? fields["eprinttype"] ?? "").lowercased() == "arxiv" || fields["arxiv"] != nil {
            return "https://arxiv.org/abs/\(e)"
        }
        return nil
    }
}

/// A small BibTeX reader for the common cases: `@type{key, field = {…} | "…" | number | name}`,
/// nested braces, `#` concatenation, `@string` abbreviations (and the month names), `@comment`
/// and `@preamble` skipped. Errors carry the line of the problem.
public enum BibTeXParser {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    static let months = ["jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
                         "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December"]

    public static func parse(_ text: String, firstLine: Int = 1) throws -> [BibEntry] {
        var p = Cursor(bytes: Array(text.utf8), line: firstLine)
        var strings = months
        var entries: [BibEntry] = []
        while p.skip(to: 64) {  // @
            let entryLine = p.line
            p.i += 1
            let type = p.word().lowercased()
            guard !type.isEmpty else { throw ParseError(line: entryLine, message: "expected an entry type after `@`") }
            p.skipSpace()
            guard let open = p.peek, open == 123 || open == 40 else {
                throw ParseError(line: p.line, message: "expected `{` after `@\(type)`")
            }
            let close: UInt8 = open == 123 ? 125 : 41
            p.i += 1
            if type == "comment" || type == "preamble" {
                _ = try p.balanced(from: entryLine, open: open, close: close)
                continue
            }
            if type == "string" {
                p.skipSpace()
                let name = p.word().lowercased()
                p.skipSpace()
                guard p.peek == 61 else { throw ParseError(line: p.line, message: "expected `=` in @string") }
                p.i += 1
                strings[name] = try p.value(strings)
                p.skipSpace()
                guard p.peek == close else { throw ParseError(line: p.line, message: "expected the end of @string") }
                p.i += 1
                continue
            }
            p.skipSpace()
            let key = p.until { $0 == 44 || $0 == close || $0 == 10 || $0 == 32 }
            guard !key.isEmpty else { throw ParseError(line: p.line, message: "entry `@\(type)` has no citation key") }
            p.skipSpace()
            var fields: [String: String] = [:]
            while true {
                p.skipSpace()
                if p.peek == close { p.i += 1; break }
                guard p.peek == 44 else {
                    throw ParseError(line: p.line, message: "expected `,` or the end of entry `\(key)`")
                }
                p.i += 1
                p.skipSpace()
                if p.peek == close { p.i += 1; break }
                let name = p.word().lowercased()
                guard !name.isEmpty else { throw ParseError(line: p.line, message: "expected a field name in entry `\(key)`") }
                p.skipSpace()
                guard p.peek == 61 else { throw ParseError(line: p.line, message: "expected `=` after field `\(name)` in entry `\(key)`") }
                p.i += 1
                fields[name] = try p.value(strings)
            }
            entries.append(BibEntry(type: type, key: key, fields: fields, line: entryLine))
        }
        return entries
    }

    struct Cursor {
        let bytes: [UInt8]
        var i = 0
        var line: Int

        init(bytes: [UInt8], line: Int) { self.bytes = bytes; self.line = line }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func advance() {
            if bytes[i] == 10 { line += 1 }
            i += 1
        }

        /// Moves to the next `byte`; false at the end.
        mutating func skip(to byte: UInt8) -> Bool {
            while i < bytes.count && bytes[i] != byte { advance() }
            return i < bytes.count
        }

        mutating func skipSpace() {
            while let c = peek, c == 32 || c == 9 || c == 10 || c == 13 { advance() }
        }

        mutating func word() -> String {
            let s = i
            while let c = peek, (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45 || c == 58 || c == 46 { i += 1 }
            return String(decoding: bytes[s..<i], as: UTF8.self)
        }

        mutating func until(_ stop: (UInt8) -> Bool) -> String {
            let s = i
            while let c = peek, !stop(c) { advance() }
            return String(decoding: bytes[s..<i], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }

        /// Text up to the matching close, with nested braces kept balanced.
        mutating func balanced(from start: Int, open: UInt8, close: UInt8) throws -> String {
            var depth = 1
            let s = i
            while let c = peek {
                if c == open { depth += 1 } else if c == close { depth -= 1; if depth == 0 { break } }
                advance()
            }
            guard depth == 0 else { throw ParseError(line: start, message: "unbalanced braces: this never closes") }
            let text = String(decoding: bytes[s..<i], as: UTF8.self)
            i += 1
            return text
        }

        /// A field value: pieces joined by `#`.
        mutating func value(_ strings: [String: String]) throws -> String {
            var out = ""
            while true {
                skipSpace()
                let start = line
                guard let c = peek else { throw ParseError(line: line, message: "the file ends inside a field value") }
                if c == 123 {
                    i += 1
                    out += Self.clean(try balanced(from: start, open: 123, close: 125))
                } else if c == 34 {
                    i += 1
                    var depth = 0
                    let s = i
                    while let d = peek, !(d == 34 && depth == 0) {
                        if d == 123 { depth += 1 } else if d == 125 { depth -= 1 }
                        advance()
                    }
                    guard peek == 34 else { throw ParseError(line: start, message: "a quoted value never closes") }
                    out += Self.clean(String(decoding: bytes[s..<i], as: UTF8.self))
                    i += 1
                } else {
                    let w = word()
                    guard !w.isEmpty else { throw ParseError(line: line, message: "expected a value (`{…}`, `\"…\"`, a number or a @string name)") }
                    if w.allSatisfy(\.isNumber) { out += w } else if let s = strings[w.lowercased()] { out += s } else {
                        throw ParseError(line: line, message: "unknown @string `\(w)`")
                    }
                }
                skipSpace()
                if peek == 35 { i += 1; continue }
                return out
            }
        }

        /// Drops grouping braces and folds white space; keeps the text.
        static func clean(_ s: String) -> String {
            var out = ""
            var space = false
            for ch in s where ch != "{" && ch != "}" {
                if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" {
                    if !space { out.append(" "); space = true }
                } else {
                    out.append(ch)
                    space = false
                }
            }
            return out.replacingOccurrences(of: "\\&", with: "&").replacingOccurrences(of: "--", with: "–").trimmingCharacters(in: .whitespaces)
        }
    }
}
