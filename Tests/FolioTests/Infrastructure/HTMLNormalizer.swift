import Foundation
@testable import Folio

/// Puts two renderings of the same Markdown into one form before they are compared, in the
/// spirit of cmark's own spec runner: tags read the way a browser reads them (Folio's
/// `HTMLTokenizer`), names lowercased, attributes sorted and double-quoted, a bare attribute and
/// an empty one alike, self-closing slashes dropped, character references decoded and the few
/// special characters escaped again, runs of white space outside `<pre>` folded, and white space
/// around block-level tags removed.
enum HTMLNormalizer {
    static let blockTags: Set<String> = [
        "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe", "body", "li", "map", "button",
        "object", "canvas", "ol", "caption", "output", "col", "p", "colgroup", "pre", "dd", "progress", "div",
        "section", "dl", "table", "td", "dt", "tbody", "embed", "textarea", "fieldset", "tfoot", "figcaption",
        "th", "figure", "thead", "footer", "tr", "form", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "video",
        "script", "style", "details", "summary",
    ]

    static func normalize(_ html: String) -> String {
        guard let tokens = HTMLTokenizer.tokenize(Array(html.utf8)) else { return "unparsable: " + html }
        var out = ""
        var inPre = 0
        var afterBlock = false
        func trimTrailingSpace() { while out.last == " " || out.last == "\n" { out.removeLast() } }
        for token in tokens {
            switch token {
            case .text(let bytes):
                var text = String(decoding: CharacterReference.decode(bytes, inAttribute: false), as: UTF8.self)
                if inPre == 0 {
                    text = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
                        .joined(separator: " ")
                    while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
                    if afterBlock { text = String(text.drop { $0 == " " }) }
                }
                out += escape(text, quote: false)
                if !text.isEmpty { afterBlock = false }
            case .startTag(let tag):
                if blockTags.contains(tag.name) { trimTrailingSpace() }
                if tag.name == "pre" { inPre += 1 }
                var seen: Set<String> = []
                let attributes = tag.attributes.filter { seen.insert($0.name).inserted }.sorted { $0.name < $1.name }
                out += "<" + tag.name
                for a in attributes {
                    out += " " + a.name
                    let value = String(decoding: CharacterReference.decode(a.rawValue ?? []), as: UTF8.self)
                    if !value.isEmpty { out += "=\"" + escape(value, quote: true) + "\"" }
                }
                out += ">"
                afterBlock = blockTags.contains(tag.name)
            case .endTag(let tag):
                if blockTags.contains(tag.name) { trimTrailingSpace() }
                // A code block's last newline: cmark keeps it, a cell's code does not.
                if tag.name == "code" && inPre > 0 && out.last == "\n" { out.removeLast() }
                if tag.name == "pre" { inPre = max(0, inPre - 1) }
                out += "</" + tag.name + ">"
                afterBlock = blockTags.contains(tag.name)
            case .comment(let body):
                out += "<!--" + String(decoding: body, as: UTF8.self) + "-->"
                afterBlock = false
            case .abruptComment:
                out += "<!---->"
            case .declaration(let bytes):
                out += String(decoding: bytes, as: UTF8.self)
                afterBlock = false
            }
        }
        trimTrailingSpace()
        return out
    }

    static func escape(_ s: String, quote: Bool) -> String {
        var r = s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        if quote { r = r.replacingOccurrences(of: "\"", with: "&quot;") }
        return r
    }
}
