/// Decides whether raw HTML written in a notebook may reach the page as HTML.
///
/// GFM's tagfilter already neutralises `<script>`, `<iframe>`, `<style>` and friends; it does not
/// stop `<img onerror=…>` or `javascript:` links. Authors keep the harmless tags researchers use
/// (`<details>`, `<sub>`, `<kbd>`, `<img>`, tables…); anything else is shown as text.
enum RawHTMLPolicy {
    static let allowedTags: Set<String> = [
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
        "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp",
        "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "center", "font",
    ]
    static let urlAttributes: Set<String> = ["href", "src", "srcset", "cite", "action", "poster", "background", "xlink:href", "formaction", "data"]

    /// True when every tag in `html` is allowed and no attribute can run script.
    static func isAllowed(_ html: String) -> Bool {
        let b = Array(html.utf8)
        var i = 0
        while i < b.count {
            guard b[i] == 60 else { i += 1; continue }  // <
            let tagStart = i
            i += 1
            guard i < b.count else { return true }
            if b[i] == 33 {  // <!-- comment --> is fine; other declarations are not
                if i + 2 < b.count && b[i + 1] == 45 && b[i + 2] == 45 {
                    guard let end = find(b, Array("-->".utf8), from: i + 3) else { return false }
                    if containsPlaceholder(b, tagStart, end) { return false }
                    i = end + 3
                    continue
                }
                return false
            }
            if b[i] == 63 { return false }  // <? … ?>
            var closing = false
            if b[i] == 47 { closing = true; i += 1 }
            let nameStart = i
            while i < b.count && (isAlnum(b[i]) || b[i] == 45) { i += 1 }
            guard i > nameStart else { continue }  // a lone `<` is text
            let name = String(decoding: b[nameStart..<i], as: UTF8.self).lowercased()
            guard allowedTags.contains(name) else { return false }
            if closing { continue }
            // Attributes up to the closing `>`.
            while i < b.count && b[i] != 62 {
                while i < b.count && (isSpace(b[i]) || b[i] == 47) { i += 1 }
                let attrStart = i
                while i < b.count && !isSpace(b[i]) && b[i] != 61 && b[i] != 62 && b[i] != 47 { i += 1 }
                let attr = String(decoding: b[attrStart..<i], as: UTF8.self).lowercased()
                while i < b.count && isSpace(b[i]) { i += 1 }
                var value = ""
                if i < b.count && b[i] == 61 {
                    i += 1
                    while i < b.count && isSpace(b[i]) { i += 1 }
                    if i < b.count && (b[i] == 34 || b[i] == 39) {
                        let q = b[i]
                        let vs = i + 1
                        i = vs
                        while i < b.count && b[i] != q { i += 1 }
                        value = String(decoding: b[vs..<min(i, b.count)], as: UTF8.self)
                        if i < b.count { i += 1 }
                    } else {
                        let vs = i
                        while i < b.count && !isSpace(b[i]) && b[i] != 62 { i += 1 }
                        value = String(decoding: b[vs..<i], as: UTF8.self)
                    }
                }
                if attr.hasPrefix("on") || attr == "srcdoc" || attr == "style" && value.lowercased().contains("url(") { return false }
                if urlAttributes.contains(attr) && !isSafeURL(value) { return false }
                if attr.isEmpty && i < b.count && b[i] != 62 { i += 1 }
            }
            // A formula, citation or inline value inside a tag would be replaced by HTML full of
            // quotes and break out of the attribute it sits in (found by the markdown fuzz target).
            if containsPlaceholder(b, tagStart, i) { return false }
            i += 1
        }
        return true
    }

    /// Whether b[from..<to] holds one of MathScanner's placeholder characters (U+E000–U+E003,
    /// UTF-8 EE 80 80…83).
    static func containsPlaceholder(_ b: [UInt8], _ from: Int, _ to: Int) -> Bool {
        var k = from
        while k + 2 < min(to, b.count) {
            if b[k] == 0xEE && b[k + 1] == 0x80 && b[k + 2] >= 0x80 && b[k + 2] <= 0x83 { return true }
            k += 1
        }
        return false
    }

    static let entityStart = Array("&#".utf8), colonEntity = Array("&colon".utf8)

    /// Refuses `javascript:`, `vbscript:` and non-image `data:` URLs, however they are spelled.
    /// Works on bytes: blanks and controls dropped, ASCII lowercased, as a browser reads a scheme.
    static func isSafeURL(_ value: String) -> Bool {
        var url: [UInt8] = []
        url.reserveCapacity(value.utf8.count)
        for b in value.utf8 where b > 32 && b != 127 { url.append(b >= 65 && b <= 90 ? b | 0x20 : b) }
        func has(_ prefix: StaticString) -> Bool {
            prefix.withUTF8Buffer { p in url.count >= p.count && url.starts(with: p) }
        }
        if find(url, entityStart, from: 0) != nil || find(url, colonEntity, from: 0) != nil {
            return false  // entity-encoded schemes
        }
        if has("javascript:") || has("vbscript:") { return false }
        if has("data:") { return has("data:image/") && !has("data:image/svg") }
        return true
    }

    static func find(_ b: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        var i = from
        while i + needle.count <= b.count {
            if b[i] == needle[0] && b[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
    static func isAlnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
}
