import CCMarkGFM
import Foundation

/// The one place Folio talks to cmark-gfm. It parses Markdown with the GFM extensions, pulls out
/// fenced code blocks (cells) and headings, renders the rest to HTML with cmark-gfm's own renderer
/// and frees every C object before returning: no cmark type leaves this file.
enum CMarkDocument {
    /// What one parse yields: prose HTML split around cells, plus headings.
    struct Output {
        /// Prose HTML and fenced code blocks in order.
        var pieces: [Piece]
        var headings: [Heading]
        /// Local image paths (not URLs) with the line of the image, in the scanned text's lines.
        var images: [(path: String, line: Int)] = []
        /// Every link and image destination as the page will carry it, with its line (scanned text).
        var links: [(url: String, line: Int)] = []
        /// Placeholder tokens (`M0`, `X1`) that stood in a link destination and were put back as
        /// the source text they replaced: they are part of a URL, not a formula or a reference.
        var restoredTokens: Set<Placeholder.Token> = []
        /// Markdown tables labelled by a caption paragraph after them, by `tableStart` index.
        var tables: [LabelledTable] = []
    }

    /// A relative link to another notebook (`other.md`, `../a/b.md#sec`) as a link to its page
    /// (`other.html`), which is what the site holds; nil for anything else.
    static func pageLink(_ url: String) -> String? {
        guard !url.contains(":"), !url.hasPrefix("/"), !url.hasPrefix("#") else { return nil }
        let end = url.firstIndex(where: { $0 == "#" || $0 == "?" }) ?? url.endIndex
        let path = url[..<end]
        guard path.hasSuffix(".md"), path.count > 3 else { return nil }
        return path.dropLast(3) + ".html" + url[end...]
    }

    enum Piece {
        case html(String)
        /// A heading, by its index in `headings`.
        case heading(Int)
        case calloutStart(CalloutKind)
        case calloutEnd
        /// The `n`-th of the scanner's directives (a statement fence, an embed).
        case directive(Int)
        /// A labelled Markdown table (`tables[n]`) starts; its HTML follows, then `tableEnd`.
        case tableStart(Int)
        case tableEnd
        /// A top-level fenced code block: info string, literal, line of the opening fence (scanned text).
        case fence(info: String, literal: String, fenceLine: Int)
    }

    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    static let parseOptions = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES
    static let renderOptions = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES

    /// cmark-gfm keeps its table of special inline characters in a process-wide global that every
    /// parse with extensions edits (adding their characters before inline parsing, removing them
    /// after: `cmark_manage_extensions_special_characters`, called from `cmark_parser_finish`), so
    /// two parses at once undo each other and drop autolinks and strikethrough (cmark-gfm issue
    /// 221). The inline phase (`cmark_parser_finish`) takes turns; block parsing (`feed`), the
    /// tree walk and rendering touch no global and run in parallel.
    private static let parseLock = NSLock()

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()


    /// Parses `markdown` (the scanned text). `originals` maps placeholder tokens to the source
    /// text they replaced, for link destinations, where they are put back.
    static func parse(_ markdown: String, originals: ProseScanner.Originals = .init()) -> Output {
        _ = registered
        let parser = cmark_parser_new(Int32(parseOptions))!
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        markdown.utf8CString.withUnsafeBufferPointer { buf in
            cmark_parser_feed(parser, buf.baseAddress, buf.count - 1)
        }
        let doc: OpaquePointer = parseLock.withLock { cmark_parser_finish(parser)! }
        defer { cmark_node_free(doc) }
        let extensions = cmark_parser_get_syntax_extensions(parser)

        let walk = walk(doc, originals: originals)
        // Raw HTML is rebuilt from what a browser would parse, or shown as text (see RawHTMLPolicy).
        for node in walk.unsafeHTML { showAsText(node) }
        var callouts: [CalloutKind] = []
        for quote in walk.quotes {
            if let kind = makeCallout(quote, number: callouts.count) { callouts.append(kind) }
        }
        let headings = replaceHeadings(walk.headings, extensions)
        let (fences, tables) = replaceTopLevelBlocks(doc, extensions)
        let pieces = split(render(doc, extensions), fences: fences, headings: headings.count, callouts: callouts, tables: tables.count)
        return Output(pieces: pieces, headings: headings, images: walk.images, links: walk.links, restoredTokens: walk.restoredTokens, tables: tables)
    }

    /// What one pass over the tree finds (and fixes in place: raw HTML that can be rebuilt, link
    /// destinations), for the passes that change the tree's shape afterwards.
    struct Walk {
        var unsafeHTML: [OpaquePointer] = []
        var headings: [OpaquePointer] = []
        var quotes: [OpaquePointer] = []
        var images: [(path: String, line: Int)] = []
        var links: [(url: String, line: Int)] = []
        var restoredTokens: Set<Placeholder.Token> = []
    }

    static func walk(_ doc: OpaquePointer, originals: ProseScanner.Originals) -> Walk {
        var w = Walk()
        let iter = cmark_iter_new(doc)!
        defer { cmark_iter_free(iter) }
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            guard ev == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter) else { continue }
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
                switch RawHTMLPolicy.sanitize(literal(node)) {
                case .success(let rebuilt): cmark_node_set_literal(node, rebuilt)
                case .failure: w.unsafeHTML.append(node)
                }
            } else if type == CMARK_NODE_HEADING {
                w.headings.append(node)
            } else if type == CMARK_NODE_BLOCK_QUOTE {
                w.quotes.append(node)
            } else if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                restorePlaceholders(inLink: node, originals, &w.restoredTokens)
                // Markdown links get the same URL policy as raw HTML: no javascript: and friends.
                if let url = cmark_node_get_url(node), !RawHTMLPolicy.isSafeURL(String(cString: url)) {
                    cmark_node_set_url(node, "#")
                } else if type == CMARK_NODE_LINK, let url = cmark_node_get_url(node), let page = Self.pageLink(String(cString: url)) {
                    cmark_node_set_url(node, page)
                }
                if let url = cmark_node_get_url(node) {
                    w.links.append((String(cString: url), Int(cmark_node_get_start_line(node))))
                }
                if type == CMARK_NODE_IMAGE, let url = cmark_node_get_url(node) {
                    // A file beside the notebook; `/`-rooted and external URLs are left alone.
                    let target = String(cString: url)
                    if !target.isEmpty && !target.contains(":") && !target.hasPrefix("#") && !target.hasPrefix("/") && !target.hasPrefix("?") {
                        w.images.append((target, Int(cmark_node_get_start_line(node))))
                    }
                }
            }
        }
        return w
    }

    /// Raw HTML that cannot be rebuilt safely is shown as what it is: text, or a code block.
    static func showAsText(_ node: OpaquePointer) {
        let replacement = cmark_node_new(cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE ? CMARK_NODE_TEXT : CMARK_NODE_CODE_BLOCK)!
        cmark_node_set_literal(replacement, literal(node))
        cmark_node_replace(node, replacement)
        cmark_node_free(node)
    }

    /// Each heading becomes a marker; its level, text, HTML and a unique id go to `Heading`s.
    static func replaceHeadings(_ nodes: [OpaquePointer], _ extensions: UnsafeMutablePointer<cmark_llist>?) -> [Heading] {
        var headings: [Heading] = []
        var usedIds: [String: Int] = [:]
        for node in nodes {
            let level = Int(cmark_node_get_heading_level(node))
            let line = Int(cmark_node_get_start_line(node))
            var explicitId = stripExplicitId(node)
            if let e = explicitId, e.isEmpty { explicitId = nil }
            let text = plainText(node)
            let inner = innerHTML(render(node, extensions), tag: "h\(level)")
            var id = explicitId ?? slug(text)
            if id.isEmpty { id = "section" }
            if let n = usedIds[id] {
                usedIds[id] = n + 1
                id += "-\(n + 1)"
            } else {
                usedIds[id] = 1
            }
            replace(node, byMarker: Placeholder.blockMarker(.heading, headings.count))
            headings.append(Heading(level: level, text: text, html: inner, id: id, line: line))
        }
        return headings
    }

    /// `node` gives way to an HTML block holding `marker`, which keeps its place in the page.
    static func replace(_ node: OpaquePointer, byMarker marker: String) {
        let block = cmark_node_new(CMARK_NODE_HTML_BLOCK)!
        cmark_node_set_literal(block, marker + "\n")
        cmark_node_replace(node, block)
        cmark_node_free(node)
    }

    /// Top-level fenced code blocks become cells; a marker keeps their place in the HTML.
    /// A paragraph that is only a directive's marker (the scanner put it between blank lines)
    /// becomes that marker's block; a table's caption paragraph labels the table.
    static func replaceTopLevelBlocks(_ doc: OpaquePointer, _ extensions: UnsafeMutablePointer<cmark_llist>?) -> (fences: [Piece], tables: [LabelledTable]) {
        var fences: [Piece] = []
        var tables: [LabelledTable] = []
        var child = cmark_node_first_child(doc)
        while let node = child {
            child = cmark_node_next(node)
            if cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH, let text = cmark_node_first_child(node),
               cmark_node_next(text) == nil, cmark_node_get_type(text) == CMARK_NODE_TEXT,
               let raw = cmark_node_get_literal(text), UInt8(bitPattern: raw[0]) == 0xEE {   // most paragraphs: no String made
                let content = String(cString: raw)
                if content.hasPrefix("\u{E002}D"), let (kind, _) = Placeholder.block(content.utf8.dropFirst(3).dropLast(3)), kind == .directive {
                    replace(node, byMarker: content)
                    continue
                }
            }
            // `: Caption {#tbl-x}` as the paragraph right after a table (pandoc's and Quarto's form)
            // labels it: the table and its caption become one numbered figure.
            if cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH, let previous = cmark_node_previous(node),
               String(cString: cmark_node_get_type_string(previous)) == "table",
               let (label, caption) = tableCaption(render(node, extensions)) {
                let start = cmark_node_new(CMARK_NODE_HTML_BLOCK)!
                cmark_node_set_literal(start, Placeholder.blockMarker(.tableStart, tables.count) + "\n")
                cmark_node_insert_before(previous, start)
                tables.append(LabelledTable(label: label, captionHTML: caption, line: Int(cmark_node_get_start_line(node))))
                replace(node, byMarker: Placeholder.blockMarker(.tableEnd, 0))
                continue
            }
            if cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH { continue }
            var fenceLength: Int32 = 0, fenceOffset: Int32 = 0
            var fenceChar: CChar = 0
            guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
                  cmark_node_get_fenced(node, &fenceLength, &fenceOffset, &fenceChar) != 0 else { continue }
            let marker = Placeholder.blockMarker(.cell, fences.count)
            fences.append(.fence(info: String(cString: cmark_node_get_fence_info(node)), literal: literal(node), fenceLine: Int(cmark_node_get_start_line(node))))
            replace(node, byMarker: marker)
        }
        return (fences, tables)
    }

    /// The page's HTML split at the block markers, in one pass over the bytes (Foundation's
    /// range(of:) goes through UTF-16 and made this quadratic-looking on long pages).
    static func split(_ html: String, fences: [Piece], headings: Int, callouts: [CalloutKind], tables: Int) -> [Piece] {
        var result: [Piece] = []
        let bytes = Array(html.utf8)
        var cursor = 0, i = 0
        while i < bytes.count {
            guard bytes[i] == 0xEE, Placeholder.character(in: bytes, at: i) == Placeholder.cellOpen,
                  let (range, end) = Placeholder.extent(in: bytes, openingAt: i), let (kind, n) = Placeholder.block(bytes[range]) else { i += 1; continue }
            let piece: Piece
            switch kind {
            case .cell where n < fences.count: piece = fences[n]
            case .heading where n < headings: piece = .heading(n)
            case .calloutStart where n < callouts.count: piece = .calloutStart(callouts[n])
            case .calloutEnd: piece = .calloutEnd
            case .directive: piece = .directive(n)
            case .tableStart where n < tables: piece = .tableStart(n)
            case .tableEnd: piece = .tableEnd
            default: i = end; continue
            }
            if i > cursor { result.append(.html(String(decoding: bytes[cursor..<i], as: UTF8.self))) }
            result.append(piece)
            cursor = end
            if cursor < bytes.count && bytes[cursor] == 10 { cursor += 1 }
            i = cursor
        }
        if cursor < bytes.count { result.append(.html(String(decoding: bytes[cursor...], as: UTF8.self))) }
        return result
    }

    /// The scanner lifts formulas and references out before cmark runs, so a `$` or `\(` inside a
    /// link destination (`[a](http://x.org/$a$b)`, `<http://x.org/$a$b>`, a reference definition)
    /// arrives as a placeholder. A destination is never math: the source text goes back, decoded
    /// as cmark decodes a destination (backslash escapes, except in autolinks, and character
    /// references); an autolink's text is its destination, so it gets the same text.
    static func restorePlaceholders(inLink node: OpaquePointer, _ originals: ProseScanner.Originals, _ restored: inout Set<Placeholder.Token>) {
        guard let raw = cmark_node_get_url(node) else { return }
        let url = String(cString: raw)
        guard Placeholder.occurs(in: url) else { return }
        // An autolink's only child is a text node spelling its destination (mailto: aside).
        var autolinkText: OpaquePointer?
        if let child = cmark_node_first_child(node), cmark_node_next(child) == nil, cmark_node_get_type(child) == CMARK_NODE_TEXT {
            let text = literal(child)
            if text == url || "mailto:" + text == url { autolinkText = child }
        }
        func put(_ s: String) -> String {
            Placeholder.replace(in: s) { token in
                guard let source = originals.text(of: token) else { return nil }
                restored.insert(token)
                let bytes = Array(source.utf8)
                let unescaped = autolinkText == nil ? Self.removingBackslashEscapes(bytes) : bytes
                return String(decoding: CharacterReference.decode(unescaped, inAttribute: false), as: UTF8.self)
            }
        }
        cmark_node_set_url(node, put(url))
        if let text = autolinkText { cmark_node_set_literal(text, put(literal(text))) }
    }

    /// CommonMark's backslash escapes: `\` before ASCII punctuation stands for that character.
    static func removingBackslashEscapes(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == 92, i + 1 < b.count, isASCIIPunctuation(b[i + 1]) { out.append(b[i + 1]); i += 2; continue }
            out.append(b[i])
            i += 1
        }
        return out
    }

    static func isASCIIPunctuation(_ c: UInt8) -> Bool {
        (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)
    }


    /// GitHub's alert syntax: a block quote opening with `[!NOTE]` (TIP, IMPORTANT, WARNING,
    /// CAUTION) becomes a callout. The marker's text nodes are removed and the quote is replaced by
    /// its children between a start and an end marker (Render draws the frame).
    static func makeCallout(_ quote: OpaquePointer, number: Int) -> CalloutKind? {
        guard let para = cmark_node_first_child(quote), cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH else { return nil }
        var marker = ""
        var markerNodes: [OpaquePointer] = []
        var node = cmark_node_first_child(para)
        while let n = node, cmark_node_get_type(n) == CMARK_NODE_TEXT, marker.count < 20 {
            marker += literal(n)
            markerNodes.append(n)
            node = cmark_node_next(n)
            if marker.hasSuffix("]") { break }
        }
        let trimmed = marker.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("[!"), trimmed.hasSuffix("]"),
              let kind = CalloutKind(rawValue: String(trimmed.dropFirst(2).dropLast()).lowercased()) else { return nil }
        for n in markerNodes { cmark_node_unlink(n); cmark_node_free(n) }
        if let first = cmark_node_first_child(para), cmark_node_get_type(first) == CMARK_NODE_SOFTBREAK || cmark_node_get_type(first) == CMARK_NODE_LINEBREAK {
            cmark_node_unlink(first); cmark_node_free(first)
        }
        if cmark_node_first_child(para) == nil { cmark_node_unlink(para); cmark_node_free(para) }
        let open = cmark_node_new(CMARK_NODE_HTML_BLOCK)!
        cmark_node_set_literal(open, Placeholder.blockMarker(.calloutStart, number) + "\n")
        let close = cmark_node_new(CMARK_NODE_HTML_BLOCK)!
        cmark_node_set_literal(close, Placeholder.blockMarker(.calloutEnd, number) + "\n")
        cmark_node_insert_before(quote, open)
        while let child = cmark_node_first_child(quote) {
            cmark_node_unlink(child)
            cmark_node_insert_before(quote, child)
        }
        cmark_node_insert_before(quote, close)
        cmark_node_unlink(quote)
        cmark_node_free(quote)
        return kind
    }

    /// Renders a node (and its children) with cmark-gfm's HTML renderer.
    static func render(_ node: OpaquePointer, _ extensions: UnsafeMutablePointer<cmark_llist>?) -> String {
        guard let c = cmark_render_html(node, Int32(renderOptions), extensions) else { return "" }
        defer { free(c) }
        return String(cString: c)
    }

    /// The HTML of `cmark` output for one heading, minus its `<hN>` wrapper.
    static func innerHTML(_ rendered: String, tag: String) -> String {
        var s = Substring(rendered)
        while s.last == "\n" { s = s.dropLast() }
        if s.hasPrefix("<\(tag)>") { s = s.dropFirst(tag.count + 2) }
        if s.hasSuffix("</\(tag)>") { s = s.dropLast(tag.count + 3) }
        return String(s)
    }

    static func literal(_ node: OpaquePointer) -> String {
        guard let c = cmark_node_get_literal(node) else { return "" }
        return String(cString: c)
    }

    /// Plain text of an inline subtree; formulas keep their TeX.
    static func plainText(_ node: OpaquePointer) -> String {
        var out = ""
        let iter = cmark_iter_new(node)!
        defer { cmark_iter_free(iter) }
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            guard ev == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) else { continue }
            let t = cmark_node_get_type(n)
            if t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE { out += literal(n) }
            else if t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK { out += " " }
        }
        return out
    }

    /// A rendered paragraph `<p>: Caption text {#tbl-x}</p>`: the label and the caption's HTML.
    static func tableCaption(_ rendered: String) -> (label: String, html: String)? {
        var inner = innerHTML(rendered, tag: "p").trimmingCharacters(in: .whitespacesAndNewlines)
        guard inner.hasPrefix(":"), inner.hasSuffix("}"), let open = inner.range(of: "{#", options: .backwards) else { return nil }
        let label = String(inner[open.upperBound..<inner.index(before: inner.endIndex)])
        guard label.hasPrefix("tbl-"), label.count > 4, label.allSatisfy({ $0.isLetter || $0.isNumber || "-_:.".contains($0) }) else { return nil }
        inner = String(inner[inner.index(after: inner.startIndex)..<open.lowerBound]).trimmingCharacters(in: .whitespaces)
        return (label, inner)
    }

    /// Removes a trailing `{#id}` from a heading's last text node and returns the id.
    static func stripExplicitId(_ heading: OpaquePointer) -> String? {
        guard let last = cmark_node_last_child(heading), cmark_node_get_type(last) == CMARK_NODE_TEXT else { return nil }
        let text = literal(last)
        var trimmed = Substring(text)
        while trimmed.last == " " { trimmed = trimmed.dropLast() }
        guard trimmed.hasSuffix("}"), let open = trimmed.range(of: "{#", options: .backwards) else { return nil }
        let id = trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)]
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }) else { return nil }
        var before = trimmed[..<open.lowerBound]
        while before.last == " " { before = before.dropLast() }
        cmark_node_set_literal(last, String(before))
        return String(id)
    }

    /// GitHub-style anchor: lowercase letters, digits, `-` and `_`; spaces become `-`.
    static func slug(_ text: String) -> String {
        var out = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { out.append(ch) }
            else if ch == " " { out.append("-") }
        }
        return out
    }
}
