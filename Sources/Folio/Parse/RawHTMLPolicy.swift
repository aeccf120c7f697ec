/// Decides what raw HTML written in a notebook reaches the page, and in what form.
///
/// Each fragment cmark-gfm hands over (an inline tag or an HTML block) is read by `HTMLTokenizer`,
/// which splits it where a browser would, and then rebuilt from the parsed pieces: an allowed tag
/// name, its allowed attributes with checked values, every value double-quoted. The author's bytes
/// never pass through as markup, so a tag the policy read one way cannot reach the browser as
/// another. The rules are an allowlist:
/// - elements: the inert ones researchers write (`allowedTags`) and custom elements (a name with
///   a `-`, which do nothing without a script to define them); any other element, a processing
///   instruction, a declaration or CDATA makes the fragment text;
/// - attributes: `allowedAttributes`, `data-*` and `aria-*`; any other is dropped, except that an
///   event handler (`on…`) makes the fragment text, so an author sees that it did not run;
/// - URLs (`href`, `src`, `srcset`, `cite`): no `javascript:`, `vbscript:` or non-image `data:`
///   however they are spelled (references decoded, blanks removed, as a browser reads a scheme);
/// - `style`: no `url(`, `image…`, `expression`, `@` or CSS escapes (nothing that loads or hides);
/// - a formula, citation or inline value placeholder inside a tag or comment makes it text (its
///   HTML would break out of the attribute; found by the markdown fuzz target).
/// Anything that does not parse to the end (a tag or comment still open) is text.
enum RawHTMLPolicy {
    static let allowedTags: Set<String> = [
        "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
        "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
        "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "section", "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    ]
    /// Names the custom-element rule must not admit (reserved by the HTML Standard for SVG and MathML).
    static let reservedCustomNames: Set<String> = [
        "annotation-xml", "color-profile", "font-face", "font-face-src", "font-face-uri", "font-face-format",
        "font-face-name", "missing-glyph",
    ]
    static let allowedAttributes: Set<String> = [
        "abbr", "align", "alt", "bgcolor", "border", "cellpadding", "cellspacing", "cite", "class", "color",
        "colspan", "datetime", "decoding", "dir", "download", "face", "headers", "height", "hidden", "href",
        "hreflang", "hspace", "id", "lang", "loading", "media", "name", "noshade", "nowrap", "open", "rel",
        "reversed", "role", "rowspan", "scope", "size", "sizes", "span", "src", "srcset", "start", "style",
        "summary", "tabindex", "target", "title", "translate", "type", "valign", "value", "vspace", "width",
    ]
    static let urlAttributes: Set<String> = ["href", "src", "cite"]

    /// Why a fragment is shown as text.
    enum Refusal: Error, Equatable {
        case element(String)
        case eventHandler(String)
        case unsafeURL(attribute: String)
        case unsafeStyle
        case declaration
        case unfinished
        case placeholder
    }

    /// The fragment rebuilt from what a browser would parse, or why it must be shown as text.
    static func sanitize(_ html: String) -> Result<String, Refusal> {
        guard let tokens = HTMLTokenizer.tokenize(Array(html.utf8)) else { return .failure(.unfinished) }
        var out: [UInt8] = []
        out.reserveCapacity(html.utf8.count + 16)
        for token in tokens {
            switch token {
            case .text(let text):
                // A `<` that opens no tag is text to the browser too; written as `&lt;` it stays text.
                for c in text { if c == 60 { out.append(contentsOf: Array("&lt;".utf8)) } else { out.append(c) } }
            case .comment(let body):
                if Placeholder.occurs(in: body) { return .failure(.placeholder) }
                out.append(contentsOf: Array("<!--".utf8))
                out.append(contentsOf: body)
                out.append(contentsOf: Array("-->".utf8))
            case .abruptComment, .declaration:
                return .failure(.declaration)
            case .startTag(let tag):
                switch rebuild(tag) {
                case .success(let bytes): out.append(contentsOf: bytes)
                case .failure(let refusal): return .failure(refusal)
                }
            case .endTag(let tag):
                guard isAllowedElement(tag.name) else { return .failure(.element(tag.name)) }
                if tag.attributes.contains(where: \.holdsPlaceholder) {
                    return .failure(.placeholder)
                }
                out.append(contentsOf: Array("</\(tag.name)>".utf8))
            }
        }
        return .success(String(decoding: out, as: UTF8.self))
    }

    static func isAllowedElement(_ name: String) -> Bool {
        if allowedTags.contains(name) { return true }
        // A valid custom element name: a lowercase ASCII letter first, a hyphen somewhere.
        guard let first = name.utf8.first, first >= 97 && first <= 122, name.utf8.contains(45),
              !reservedCustomNames.contains(name) else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 || $0 == 95 }
    }

    /// `<name attr="value" …>` from a parsed start tag: allowed attributes only, the first of each name.
    static func rebuild(_ tag: HTMLTokenizer.Tag) -> Result<[UInt8], Refusal> {
        guard isAllowedElement(tag.name) else { return .failure(.element(tag.name)) }
        var out = Array("<\(tag.name)".utf8)
        var seen: Set<String> = []
        for attribute in tag.attributes {
            let name = attribute.name, raw = attribute.rawValue ?? []
            if attribute.holdsPlaceholder { return .failure(.placeholder) }
            if name.hasPrefix("on") || name.hasPrefix("=on") || name.hasPrefix("/on") { return .failure(.eventHandler(name)) }
            let value = CharacterReference.decode(raw)
            if urlAttributes.contains(name) && !isSafeURL(value) { return .failure(.unsafeURL(attribute: name)) }
            if name == "srcset" && !isSafeSourceSet(value) { return .failure(.unsafeURL(attribute: name)) }
            if name == "style" && !isSafeStyle(value) { return .failure(.unsafeStyle) }
            guard isAllowedAttribute(name), seen.insert(name).inserted else { continue }
            out.append(32)
            out.append(contentsOf: Array(name.utf8))
            guard let rawValue = attribute.rawValue else { continue }
            // The value as written, references and all (the browser decodes them the same way in
            // any attribute value), inside double quotes.
            out.append(contentsOf: [61, 34])
            for c in rawValue { if c == 34 { out.append(contentsOf: Array("&quot;".utf8)) } else { out.append(c) } }
            out.append(34)
        }
        out.append(62)
        return .success(out)
    }

    static func isAllowedAttribute(_ name: String) -> Bool {
        if allowedAttributes.contains(name) { return true }
        guard name.hasPrefix("data-") || name.hasPrefix("aria-"), name.utf8.count > 5 else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 || $0 == 95 }
    }


    /// Refuses `javascript:`, `vbscript:` and non-image `data:` URLs, however they are spelled.
    static func isSafeURL(_ value: String) -> Bool {
        isSafeURL(CharacterReference.decode(Array(value.utf8)))
    }

    /// The same for a value whose references are already decoded: blanks and controls dropped and
    /// ASCII lowercased, as a browser reads a scheme.
    static func isSafeURL(_ decoded: [UInt8]) -> Bool {
        var url: [UInt8] = []
        url.reserveCapacity(decoded.count)
        for b in decoded where b > 32 && b != 127 { url.append(HTMLTokenizer.lower(b)) }
        func has(_ prefix: StaticString) -> Bool {
            prefix.withUTF8Buffer { p in url.count >= p.count && url.starts(with: p) }
        }
        if has("javascript:") || has("vbscript:") { return false }
        if has("data:") { return has("data:image/") && !has("data:image/svg") }
        return true
    }

    /// `srcset`: a comma-separated list of `url [descriptor]`; every URL must be safe.
    static func isSafeSourceSet(_ decoded: [UInt8]) -> Bool {
        decoded.split(separator: 44).allSatisfy { candidate in
            let url = candidate.drop(while: HTMLTokenizer.isBlank).prefix { !HTMLTokenizer.isBlank($0) }
            return isSafeURL(Array(url))
        }
    }

    static let unsafeStyleWords: [[UInt8]] = ["url(", "image", "expression", "@", "\\", "behavior", "binding"].map { Array($0.utf8) }

    /// Inline styles may colour and lay out, never load anything or hide text behind escapes.
    static func isSafeStyle(_ decoded: [UInt8]) -> Bool {
        let style = decoded.filter { !HTMLTokenizer.isBlank($0) }.map(HTMLTokenizer.lower)
        return !unsafeStyleWords.contains { style.firstIndex(of: $0, from: 0) != nil }
    }

}

extension HTMLTokenizer.Attribute {
    /// A formula, citation or inline value inside a tag would be replaced by HTML full of quotes
    /// and break out of the attribute (found by the markdown fuzz target).
    var holdsPlaceholder: Bool { Placeholder.occurs(in: Array(name.utf8)) || Placeholder.occurs(in: rawValue ?? []) }
}
