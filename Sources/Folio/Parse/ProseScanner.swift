import Foundation

/// One formula found in a notebook's prose.
public struct MathSpan: Codable, Equatable, Sendable {
    /// The TeX source between the delimiters, untouched.
    public var tex: String
    /// `$$…$$` and `\[…\]` are display math; `$…$` and `\(…\)` are inline.
    public var display: Bool
    /// The `.md` line the formula starts on.
    public var line: Int
    /// `eq-…` from a `{#eq-…}` after a display formula: numbered and referable.
    public var label: String? = nil
}

/// `[@key]` or `[@a, p. 3; @b]` in prose.
public struct Citation: Codable, Equatable, Sendable {
    public struct Item: Codable, Equatable, Sendable {
        public var key: String
        public var locator: String?
    }
    public var items: [Item]
    public var line: Int
}

/// `@fig-x`, `@eq-x`, `@sec-x` in prose.
public struct CrossReference: Codable, Equatable, Sendable {
    public var label: String
    public var line: Int
    /// It stood in a link's destination, so it is part of a URL (put back as text), not a reference.
    public var inLink = false
}

/// `` `{swift} expr` `` in prose: evaluated after the last cell, its text spliced in.
public struct InlineExpression: Codable, Equatable, Sendable {
    public var code: String
    public var line: Int
}

/// Scans a notebook's prose before cmark-gfm sees it and lifts out what Markdown must not touch:
/// formulas (so emphasis, escapes and smart punctuation never reach TeX), citations `[@key]`,
/// cross-references `@fig-x` and inline values `` `{swift} expr` ``. Each is replaced by a
/// `Placeholder` (private-use characters cmark passes through verbatim) that the renderer swaps
/// for typeset math, a citation link, a numbered reference or the computed value.
///
/// Rules follow pandoc: an opening `$` is followed by a non-space, a closing `$` is preceded by a
/// non-space and not followed by a digit, so `$5 and $6` stays text. Code spans, fenced and indented
/// code are never math. Every search for a closing delimiter resumes where the previous one stopped,
/// so the whole scan is linear in the input even on runs of thousands of `$` or backticks.
public struct ProseScanner {
    public struct Result: Sendable {
        /// The Markdown with formulas replaced by placeholders.
        public var text: String
        public var spans: [MathSpan]
        public var citations: [Citation] = []
        public var references: [CrossReference] = []
        public var inlineExpressions: [InlineExpression] = []
        /// Statement fences and embeds, by the index their block marker carries.
        public var directives: [Directive] = []
        /// Where in the source each placeholder's text was, by kind and index (delimiters
        /// included); kept as ranges, read only for the rare placeholder that lands in a URL.
        var originals = Originals()
        /// `lineMap[i]` is the `.md` line of line `i + 1` of `text` (formulas spanning lines shrink it).
        public var lineMap: [Int]

        /// The `.md` line of a 1-based line of the scanned text.
        public func originalLine(_ line: Int) -> Int {
            guard !lineMap.isEmpty else { return line }
            return lineMap[min(max(line - 1, 0), lineMap.count - 1)]
        }
    }


    /// The source text behind each placeholder.
    struct Originals: Sendable {
        var source: [UInt8] = []
        private var ranges: [[Range<Int>]] = [[], [], [], []]

        static func slot(_ kind: Placeholder.Kind) -> Int {
            switch kind {
            case .math: 0
            case .citation: 1
            case .reference: 2
            case .inlineValue: 3
            }
        }

        mutating func record(_ token: Placeholder.Token, _ range: Range<Int>) {
            let slot = Self.slot(token.kind)
            if ranges[slot].count == token.index { ranges[slot].append(range) }
        }

        /// The text `token` replaced, delimiters included.
        func text(of token: Placeholder.Token) -> String? {
            let list = ranges[Self.slot(token.kind)]
            guard list.indices.contains(token.index) else { return nil }
            return String(decoding: source[list[token.index]], as: UTF8.self)
        }
    }

    /// Scans `source`, whose first line is line `firstLine` of the `.md` file.
    public static func scan(_ source: String, firstLine: Int = 1) -> Result {
        var scanner = Scanner(bytes: Array(source.utf8), line: firstLine)
        scanner.run()
        scanner.originals.source = scanner.bytes
        return Result(text: String(decoding: scanner.out, as: UTF8.self), spans: scanner.spans, citations: scanner.citations,
                      references: scanner.references, inlineExpressions: scanner.inline, directives: scanner.directives, originals: scanner.originals,
                      lineMap: scanner.lineMap)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var out: [UInt8] = []
        var spans: [MathSpan] = []
        var citations: [Citation] = []
        var references: [CrossReference] = []
        var inline: [InlineExpression] = []
        var directives: [Directive] = []
        var openStatements = 0
        var originals = Originals()
        var lineMap: [Int]
        var origLine: Int

        init(bytes: [UInt8], line: Int) {
            self.bytes = bytes
            self.lineMap = [line]
            self.origLine = line
            out.reserveCapacity(bytes.count)
        }

        // MARK: Lines and blocks

        mutating func run() {
            var pos = 0
            var fence: (char: UInt8, length: Int)? = nil
            var previousBlank = true
            var inIndentedCode = false
            var chunkStart = -1  // start of the current run of prose lines

            func lineEnd(_ p: Int) -> Int {
                var e = p
                while e < bytes.count && bytes[e] != 10 { e += 1 }
                return e
            }
            while pos < bytes.count {
                let end = lineEnd(pos)
                let next = end < bytes.count ? end + 1 : end
                let indent = Self.indentation(bytes, pos, end)
                let blank = indent.first >= end
                if let f = fence {
                    copyVerbatim(pos, next)
                    if Self.closesFence(bytes, indent.first, end, f, indent.width) { fence = nil }
                    pos = next
                    previousBlank = false
                    continue
                }
                if blank {
                    if chunkStart >= 0 { inline(chunkStart, pos); chunkStart = -1 }
                    copyVerbatim(pos, next)
                    previousBlank = true
                    pos = next
                    continue
                }
                if indent.width >= 4 && (chunkStart < 0) && (previousBlank || inIndentedCode) {
                    inIndentedCode = true
                    copyVerbatim(pos, next)
                    pos = next
                    previousBlank = false
                    continue
                }
                inIndentedCode = false
                if indent.width < 4, let f = Self.opensFence(bytes, indent.first, end) {
                    if chunkStart >= 0 { inline(chunkStart, pos); chunkStart = -1 }
                    fence = f
                    copyVerbatim(pos, next)
                    pos = next
                    previousBlank = false
                    continue
                }
                if indent.first == pos, bytes[pos] == 58 || bytes[pos] == 123,
                   let directive = Directive.read(Substring(String(decoding: bytes[pos..<end], as: UTF8.self)), line: 0, openStatements: openStatements) {
                    // The prose before it is scanned first, so the line count is up to date.
                    if chunkStart >= 0 { inline(chunkStart, pos); chunkStart = -1 }
                    emitDirective(directive.at(line: origLine), lineEnd: end, next: next)
                    previousBlank = true
                    pos = next
                    continue
                }
                if chunkStart < 0 { chunkStart = pos }
                previousBlank = false
                pos = next
            }
            if chunkStart >= 0 { inline(chunkStart, bytes.count) }
        }

        static func indentation(_ b: [UInt8], _ start: Int, _ end: Int) -> (first: Int, width: Int) {
            var i = start, w = 0
            while i < end {
                if b[i] == 32 { w += 1 } else if b[i] == 9 { w += 4 - w % 4 } else if b[i] == 13 && i + 1 == end { i = end; break } else { break }
                i += 1
            }
            return (i, w)
        }

        static func opensFence(_ b: [UInt8], _ start: Int, _ end: Int) -> (char: UInt8, length: Int)? {
            guard start < end, b[start] == 96 || b[start] == 126 else { return nil }
            let c = b[start]
            var i = start
            while i < end && b[i] == c { i += 1 }
            guard i - start >= 3 else { return nil }
            if c == 96 {  // a backtick fence's info string has no backticks
                var j = i
                while j < end { if b[j] == 96 { return nil }; j += 1 }
            }
            return (c, i - start)
        }

        static func closesFence(_ b: [UInt8], _ start: Int, _ end: Int, _ f: (char: UInt8, length: Int), _ width: Int) -> Bool {
            guard width < 4 else { return false }
            var i = start
            while i < end && b[i] == f.char { i += 1 }
            guard i - start >= f.length else { return false }
            while i < end && (b[i] == 32 || b[i] == 9 || b[i] == 13) { i += 1 }
            return i == end
        }

        /// A directive's line becomes its block marker between blank lines, so cmark sees a
        /// paragraph of its own whatever surrounds it; the added lines map to the directive's line.
        mutating func emitDirective(_ directive: Directive, lineEnd end: Int, next: Int) {
            switch directive {
            case .statementStart: openStatements += 1
            case .statementEnd: openStatements -= 1
            case .embed: break
            }
            directives.append(directive)
            for byte in Array(("\n" + Placeholder.blockMarker(.directive, directives.count - 1) + "\n").utf8) {
                out.append(byte)
                if byte == 10 { lineMap.append(origLine) }
            }
            if next > end { emit(10) } else { out.append(10); lineMap.append(origLine) }
        }

        mutating func copyVerbatim(_ start: Int, _ end: Int) {
            var i = start
            while i < end {
                emit(bytes[i])
                i += 1
            }
        }

        mutating func emit(_ byte: UInt8) {
            out.append(byte)
            if byte == 10 {
                origLine += 1
                lineMap.append(origLine)
            }
        }

        // MARK: Inline scanning of one paragraph-like run of lines

        /// Monotone search caches: `found` is the first match at or after `from` (-1: none).
        struct Cache { var from = Int.max; var found = -1 }

        mutating func inline(_ start: Int, _ end: Int) {
            // Backtick runs, grouped by length, for code spans: each list is consumed front to back.
            var runs: [Int: [Int]] = [:]
            var runCursor: [Int: Int] = [:]
            var i = start
            while i < end {
                if bytes[i] == 96 {
                    let s = i
                    while i < end && bytes[i] == 96 { i += 1 }
                    runs[i - s, default: []].append(s)
                } else {
                    i += 1
                }
            }
            var caches = [Cache](repeating: Cache(), count: 4)

            i = start
            while i < end {
                let c = bytes[i]
                if c == 96 {  // code span: copy through its closing run of the same length
                    var j = i
                    while j < end && bytes[j] == 96 { j += 1 }
                    let n = j - i
                    var cursor = runCursor[n, default: 0]
                    let list = runs[n] ?? []  // a run the pre-pass saw differently (after `\`) never closes
                    while cursor < list.count && list[cursor] <= i { cursor += 1 }
                    runCursor[n] = cursor
                    if cursor < list.count {
                        let closeEnd = list[cursor] + n
                        if let code = inlineSwift(contentStart: j, contentEnd: list[cursor]) {
                            inline.append(InlineExpression(code: code, line: origLine))
                            placeholder(.inlineValue, inline.count - 1, consumedFrom: i, to: closeEnd)
                        } else {
                            copyVerbatim(i, closeEnd)
                        }
                        i = closeEnd
                    } else {
                        copyVerbatim(i, j)
                        i = j
                    }
                    continue
                }
                if c == 92 && i + 1 < end {  // backslash: \( \[ open math, anything else is an escape pair
                    let d = bytes[i + 1]
                    if d == 40 || d == 91 {
                        let kind = d == 40 ? 2 : 3
                        if let close = find(kind, from: i + 2, end: end, &caches) {
                            addSpan(contentStart: i + 2, contentEnd: close, spanEnd: close + 2, display: d == 91, start: i)
                            i = close + 2
                            if d == 91 { i = equationLabel(after: i, end: end) }
                            continue
                        }
                    }
                    copyVerbatim(i, i + 2)
                    i += 2
                    continue
                }
                if c == 36 {  // $
                    if i + 1 < end && bytes[i + 1] == 36 {
                        if let close = find(1, from: i + 2, end: end, &caches), close > i + 2 {
                            addSpan(contentStart: i + 2, contentEnd: close, spanEnd: close + 2, display: true, start: i)
                            i = close + 2
                            i = equationLabel(after: i, end: end)
                            continue
                        }
                        copyVerbatim(i, i + 2)
                        i += 2
                        continue
                    }
                    if i + 1 < end, !Self.isSpace(bytes[i + 1]),
                       let close = find(0, from: i + 1, end: end, &caches) {
                        addSpan(contentStart: i + 1, contentEnd: close, spanEnd: close + 1, display: false, start: i)
                        i = close + 1
                        continue
                    }
                }
                if c == 91, let end = citation(at: i, end: end) {  // [@key…]
                    i = end
                    continue
                }
                if c == 64, i + 1 < end, i == start || !Self.isWordByte(bytes[i - 1]), let end = crossReference(at: i, end: end) {
                    i = end
                    continue
                }
                emit(c)
                i += 1
            }
        }

        static let swiftMarker: [UInt8] = Array("{swift}".utf8)

        static func isWordByte(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80
        }
        static func isLabelByte(_ b: UInt8) -> Bool { isWordByte(b) || b == 45 || b == 58 || b == 46 }

        /// `` `{swift} expr` ``: the expression, or nil for any other code span.
        func inlineSwift(contentStart: Int, contentEnd: Int) -> String? {
            // Most code spans are not inline values: decide on bytes before making any String.
            var k = contentStart
            while k < contentEnd && (bytes[k] == 32 || bytes[k] == 9) { k += 1 }
            guard bytes[k..<contentEnd].starts(with: Self.swiftMarker) else { return nil }
            let content = String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("{swift}") else { return nil }
            let expr = trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces)
            return expr.isEmpty ? nil : expr
        }

        /// `[@key]`, `[@key, p. 3]`, `[@a; @b]` on one line; returns the index after `]`.
        mutating func citation(at i: Int, end: Int) -> Int? {
            var j = i + 1
            while j < end && bytes[j] == 32 { j += 1 }
            guard j < end, bytes[j] == 64 else { return nil }
            var close = j
            while close < end && close - i < 1000 && bytes[close] != 93 && bytes[close] != 10 && bytes[close] != 91 { close += 1 }
            guard close < end, bytes[close] == 93 else { return nil }
            // Not a link: `[@x](url)` and `[@x][ref]` stay Markdown.
            if close + 1 < end && (bytes[close + 1] == 40 || bytes[close + 1] == 91) { return nil }
            let inner = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
            var items: [Citation.Item] = []
            for part in inner.split(separator: ";") {
                let t = part.trimmingCharacters(in: .whitespaces)
                guard t.hasPrefix("@") else { return nil }
                let body = t.dropFirst()
                let key = body.prefix { ch in ch != "," && ch.unicodeScalars.allSatisfy { $0.isASCII && Self.isLabelByte(UInt8($0.value)) } }
                guard !key.isEmpty else { return nil }
                var rest = body.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
                if rest.hasPrefix(",") { rest = String(rest.dropFirst()).trimmingCharacters(in: .whitespaces) }
                items.append(.init(key: String(key), locator: rest.isEmpty ? nil : rest))
            }
            guard !items.isEmpty else { return nil }
            citations.append(Citation(items: items, line: origLine))
            placeholder(.citation, citations.count - 1, consumedFrom: i, to: close + 1)
            return close + 1
        }

        /// `@fig-x`, `@eq-x`, `@sec-x`, `@tbl-x`, `@thm-x` (any `LabelKind`): returns the index after the label.
        mutating func crossReference(at i: Int, end: Int) -> Int? {
            var j = i + 1
            while j < end && Self.isLabelByte(bytes[j]) { j += 1 }
            // A sentence's full stop is not part of the label.
            while j > i + 1 && (bytes[j - 1] == 46 || bytes[j - 1] == 58) { j -= 1 }
            let label = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
            guard LabelKind(label: label) != nil else { return nil }
            references.append(CrossReference(label: label, line: origLine, inLink: false))
            placeholder(.reference, references.count - 1, consumedFrom: i, to: j)
            return j
        }

        mutating func placeholder(_ kind: Placeholder.Kind, _ n: Int, consumedFrom start: Int, to end: Int) {
            let token = Placeholder.Token(kind, n)
            out.append(contentsOf: Array(Placeholder.make(token).utf8))
            originals.record(token, start..<end)
            for p in start..<end where bytes[p] == 10 { origLine += 1 }
        }

        static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }

        /// ` {#eq-name}` right after a display formula labels it; returns where scanning resumes.
        mutating func equationLabel(after i: Int, end: Int) -> Int {
            var j = i
            while j < end && (bytes[j] == 32 || bytes[j] == 9) { j += 1 }
            guard j + 2 < end, bytes[j] == 123, bytes[j + 1] == 35 else { return i }
            var k = j + 2
            while k < end && Self.isLabelByte(bytes[k]) { k += 1 }
            guard k < end, bytes[k] == 125, k > j + 2 else { return i }
            spans[spans.count - 1].label = String(decoding: bytes[(j + 2)..<k], as: UTF8.self)
            return k + 1
        }

        /// Kinds: 0 closing `$`, 1 `$$`, 2 `\)`, 3 `\]`.
        func matches(_ kind: Int, at p: Int, end: Int) -> Bool {
            switch kind {
            case 0:
                return bytes[p] == 36 && !Self.isSpace(bytes[p - 1]) && bytes[p - 1] != 92 && bytes[p - 1] != 36
                    && !(p + 1 < end && (bytes[p + 1] == 36 || (bytes[p + 1] >= 48 && bytes[p + 1] <= 57)))
            case 1:
                return bytes[p] == 36 && p + 1 < end && bytes[p + 1] == 36 && bytes[p - 1] != 92
            case 2:
                return bytes[p] == 92 && p + 1 < end && bytes[p + 1] == 41
            default:
                return bytes[p] == 92 && p + 1 < end && bytes[p + 1] == 93
            }
        }

        func find(_ kind: Int, from s: Int, end: Int, _ caches: inout [Cache]) -> Int? {
            let cache = caches[kind]
            if cache.from <= s && (cache.found == -1 || cache.found >= s) {
                return cache.found == -1 ? nil : cache.found
            }
            var p = s
            var found = -1
            while p < end {
                if matches(kind, at: p, end: end) { found = p; break }
                // `\)` and `\]` searches must not stop inside an escape pair such as `\\)`.
                if (kind >= 2) && bytes[p] == 92 { p += 2 } else { p += 1 }
            }
            caches[kind] = Cache(from: s, found: found)
            return found == -1 ? nil : found
        }

        mutating func addSpan(contentStart: Int, contentEnd: Int, spanEnd: Int, display: Bool, start: Int) {
            let tex = String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
            spans.append(MathSpan(tex: tex, display: display, line: origLine))
            let token = Placeholder.Token(.math, spans.count - 1)
            out.append(contentsOf: Array(Placeholder.make(token).utf8))
            originals.record(token, start..<spanEnd)
            // Lines inside the formula disappear from the scanned text; keep the map in step.
            for p in start..<spanEnd where bytes[p] == 10 { origLine += 1 }
        }
    }
}
