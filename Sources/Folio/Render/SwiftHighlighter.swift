import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Build-time Swift highlighting from swift-syntax's own classification of the code, emitted as
/// `<span class="hl-…">` so pages need no highlighter script. Text is escaped span by span.
enum SwiftHighlighter {
    static func highlight(_ code: String) -> String {
        let tree = SwiftSource.parse(code)
        let bytes = Array(code.utf8)
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        var cursor = 0
        for range in tree.classifications {
            let start = range.range.lowerBound.utf8Offset, end = range.range.upperBound.utf8Offset
            guard start >= cursor, end <= bytes.count, end > start else { continue }
            if start > cursor { out += HTML.escape(String(decoding: bytes[cursor..<start], as: UTF8.self)) }
            let text = HTML.escape(String(decoding: bytes[start..<end], as: UTF8.self))
            if let cls = cssClass(range.kind) {
                out += "<span class=\"hl-\(cls)\">\(text)</span>"
            } else {
                out += text
            }
            cursor = end
        }
        if cursor < bytes.count { out += HTML.escape(String(decoding: bytes[cursor...], as: UTF8.self)) }
        return out
    }

    static func cssClass(_ kind: SyntaxClassification) -> String? {
        switch kind {
        case .keyword: return "k"
        case .type: return "t"
        case .stringLiteral, .regexLiteral: return "s"
        case .integerLiteral, .floatLiteral: return "n"
        case .lineComment, .blockComment, .docLineComment, .docBlockComment: return "c"
        case .attribute, .ifConfigDirective: return "a"
        default: return nil
        }
    }
}
