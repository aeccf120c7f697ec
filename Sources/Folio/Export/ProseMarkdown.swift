import Foundation

/// Which Markdown an export writes: pandoc's (read by pandoc for Word) or the CommonMark that
/// Jupyter's Markdown cells are (with `$…$` math, which JupyterLab, nbconvert and GitHub typeset).
public enum MarkdownFlavour: Sendable {
    case pandoc
    case jupyter
}

/// The prose's HTML (cmark-gfm's, the form Parse keeps it in) written back as Markdown, with its
/// placeholders replaced by what `resolve` answers (Markdown, inserted as is): the formulas as
/// TeX, citations and cross-references as the page words them. Going from the HTML rather than the
/// `.md` source means every rule the page follows (which `@` is a reference, what a placeholder
/// is, raw HTML's allowlist) is applied once, by the parser; this file only spells the result.
struct ProseMarkdown {
    let flavour: MarkdownFlavour
    let resolve: (Placeholder.Token) -> String

    /// An element or text of the fragment; prose fragments need not be balanced, so the tree
    /// closes what is left open and ignores end tags that close nothing.
    indirect enum Node {
        case text(String)
        case element(name: String, attributes: [String: String], children: [Node])
    }

    func convert(_ html: String) -> String {
        blocks(Self.tree(html)).joined(separator: "\n\n")
    }

    // MARK: - The tree

    static let voidElements: Set<String> = ["br", "hr", "img", "input", "wbr", "col", "source", "area"]

    static func tree(_ html: String) -> [Node] {
        let tokens = HTMLTokenizer.tokenize(Array(html.utf8)) ?? [.text(Array(html.utf8))]
        // Open elements, innermost last; the bottom one is the fragment itself.
        var stack: [(name: String, attributes: [String: String], children: [Node])] = [("", [:], [])]
        func close() {
            let e = stack.removeLast()
            stack[stack.count - 1].children.append(.element(name: e.name, attributes: e.attributes, children: e.children))
        }
        for token in tokens {
            switch token {
            case .text(let bytes):
                let text = String(decoding: CharacterReference.decode(bytes, inAttribute: false), as: UTF8.self)
                stack[stack.count - 1].children.append(.text(text))
            case .startTag(let tag):
                var attributes: [String: String] = [:]
                for a in tag.attributes where attributes[a.name] == nil {
                    attributes[a.name] = a.rawValue.map { String(decoding: CharacterReference.decode($0), as: UTF8.self) } ?? ""
                }
                if voidElements.contains(tag.name) || tag.selfClosing {
                    stack[stack.count - 1].children.append(.element(name: tag.name, attributes: attributes, children: []))
                } else {
                    stack.append((tag.name, attributes, []))
                }
            case .endTag(let tag):
                guard stack.dropFirst().contains(where: { $0.name == tag.name }) else { continue }
                while stack.count > 1, stack.last?.name != tag.name { close() }
                if stack.count > 1 { close() }
            case .comment, .abruptComment, .declaration:
                continue
            }
        }
        while stack.count > 1 { close() }
        return stack[0].children
    }

    // MARK: - Blocks

    static let blockElements: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr",
                                             "table", "div", "section", "figure", "figcaption", "details", "summary", "dl", "dt", "dd",
                                             "header", "footer", "aside", "nav", "article", "main"]

    static func isBlock(_ node: Node) -> Bool {
        if case .element(let name, _, _) = node { return blockElements.contains(name) }
        return false
    }

    /// The Markdown of each block among `nodes`; a run of inline nodes between blocks is a paragraph.
    func blocks(_ nodes: [Node]) -> [String] {
        var out: [String] = []
        var inline: [Node] = []
        func flushInline() {
            let text = paragraph(inlines(inline))
            if !text.isEmpty { out.append(text) }
            inline = []
        }
        var afterList = false
        for node in nodes {
            guard Self.isBlock(node), case .element(let name, let attributes, let children) = node else { inline.append(node); continue }
            flushInline()
            guard let b = block(name, attributes, children), !b.isEmpty else { continue }
            // A list right after a list, or indented code after one, would join it: an empty
            // comment between them ends the first list (CommonMark's and pandoc's idiom).
            if afterList && (name == "ul" || name == "ol" || b.hasPrefix("    ")) { out.append("<!-- -->") }
            out.append(b)
            afterList = name == "ul" || name == "ol"
        }
        flushInline()
        return out
    }

    func block(_ name: String, _ attributes: [String: String], _ children: [Node]) -> String? {
        switch name {
        case "p", "dt", "dd", "figcaption", "summary":
            return paragraph(inlines(children))
        case "h1", "h2", "h3", "h4", "h5", "h6":
            let level = Int(name.dropFirst()) ?? 1
            return String(repeating: "#", count: level) + " " + inlines(children).trimmed
        case "pre":
            let code = Self.text(of: children)
            let language = children.lazy.compactMap { node -> String? in
                if case .element("code", let a, _) = node, let c = a["class"], c.hasPrefix("language-") { return String(c.dropFirst(9)) }
                return nil
            }.first ?? ""
            // Without a language, indented: at the top level a fence would be a cell when the
            // notebook's Markdown is read again by Folio.
            let lines = (code.hasSuffix("\n") ? String(code.dropLast()) : code).split(separator: "\n", omittingEmptySubsequences: false)
            // (Blank first or last lines would be dropped from indented code.)
            if language.isEmpty, let first = lines.first, let last = lines.last, !first.allSatisfy(\.isWhitespace), !last.allSatisfy(\.isWhitespace) {
                return Self.indented(code)
            }
            return Self.fenced(code, language: language)
        case "blockquote":
            return Self.quoted(blocks(children).joined(separator: "\n\n"))
        case "ul", "ol":
            return list(ordered: name == "ol", start: attributes["start"].flatMap { Int($0) } ?? 1, children)
        case "hr":
            return "* * *"
        case "table":
            return table(children)
        default:
            // A container the page styles (a section, a figure, a `<details>`): its content.
            return blocks(children).joined(separator: "\n\n")
        }
    }

    func list(ordered: Bool, start: Int, _ children: [Node]) -> String {
        let items = children.compactMap { node -> [Node]? in
            if case .element("li", _, let c) = node { return c }
            return nil
        }
        // A loose list (its items' text in paragraphs) keeps a blank line between items.
        let loose = items.contains { $0.contains { if case .element("p", _, _) = $0 { return true } else { return false } } }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            let marker = ordered ? "\(start + i). " : "- "
            let body = blocks(item).joined(separator: loose ? "\n\n" : "\n")
            let indent = String(repeating: " ", count: marker.count)
            let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
            out.append(marker + (lines.first.map(String.init) ?? "")
                       + lines.dropFirst().map { $0.isEmpty ? "\n" : "\n" + indent + $0 }.joined())
        }
        return out.joined(separator: loose ? "\n\n" : "\n")
    }

    /// A pipe table: the header row, the alignment row, the body rows.
    func table(_ children: [Node]) -> String {
        var rows: [(cells: [String], header: Bool, aligns: [String?])] = []
        func collect(_ nodes: [Node]) {
            for node in nodes {
                guard case .element(let name, _, let c) = node else { continue }
                if name == "tr" {
                    var cells: [String] = [], aligns: [String?] = [], header = false
                    for cell in c {
                        guard case .element(let cellName, let a, let content) = cell, cellName == "td" || cellName == "th" else { continue }
                        header = header || cellName == "th"
                        // Every pipe escaped once, code spans' included (GFM splits the row before anything else).
                        cells.append(inlines(content).trimmed.replacingOccurrences(of: "\\|", with: "|").replacingOccurrences(of: "|", with: "\\|"))
                        aligns.append(a["align"] ?? a["style"].flatMap { s in ["left", "right", "center"].first { s.contains("text-align: \($0)") } })
                    }
                    rows.append((cells, header, aligns))
                } else {
                    collect(c)  // thead, tbody, tfoot
                }
            }
        }
        collect(children)
        guard !rows.isEmpty else { return "" }
        let width = rows.map(\.cells.count).max() ?? 0
        guard width > 0 else { return "" }
        // A table without a header row gets an empty one: a pipe table must have one.
        let head = rows[0].header ? rows.removeFirst() : (cells: [String](repeating: "", count: width), header: true, aligns: rows[0].aligns)
        func line(_ cells: [String]) -> String {
            "| " + (0..<width).map { $0 < cells.count ? cells[$0] : "" }.joined(separator: " | ") + " |"
        }
        let rule = "|" + (0..<width).map { i -> String in
            switch i < head.aligns.count ? head.aligns[i] : nil {
            case "left": ":---|"
            case "right": "---:|"
            case "center": ":---:|"
            default: "---|"
            }
        }.joined()
        return ([line(head.cells), rule] + rows.map { line($0.cells) }).joined(separator: "\n")
    }

    /// A paragraph's text, with what would start another block at its beginning escaped.
    func paragraph(_ text: String) -> String {
        let t = text.trimmed
        guard let first = t.first else { return "" }
        if "-+=".contains(first) { return "\\" + t }
        // `1.` or `1)` would start an ordered list.
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let after = t.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + t.dropFirst(digits.count)
        }
        return t
    }

    // MARK: - Inlines

    func inlines(_ nodes: [Node]) -> String {
        nodes.map(inline).joined()
    }

    func inline(_ node: Node) -> String {
        switch node {
        case .text(let text):
            return escapedWithPlaceholders(text)
        case .element(let name, let attributes, let children):
            switch name {
            case "em", "i":
                // Emphasis right inside emphasis takes the other delimiter (`*_a_*`, not `**a**`).
                let text = inlines(children), core = text.trimmed
                let nested = (core.hasPrefix("*") && !core.hasPrefix("**")) || (core.hasSuffix("*") && !core.hasSuffix("**"))
                return wrapped(nested ? "_" : "*", text)
            case "strong", "b":
                let text = inlines(children), core = text.trimmed
                return wrapped(core.hasPrefix("**") || core.hasSuffix("**") ? "__" : "**", text)
            case "del", "s": return wrapped("~~", inlines(children))
            case "code": return Self.codeSpan(Self.text(of: children))
            case "br": return "\\\n"
            case "a":
                let text = inlines(children)
                guard let href = attributes["href"] else { return text }
                return "[\(text)](\(Self.target(href, title: attributes["title"])))"
            case "img":
                return "![\(Self.escaped(attributes["alt"] ?? ""))](\(Self.target(attributes["src"] ?? "", title: attributes["title"])))"
            case "input" where attributes["type"] == "checkbox":
                return attributes["checked"] != nil ? "[x] " : "[ ] "
            case "sup", "sub":
                let text = inlines(children)
                switch flavour {
                case .pandoc: return name == "sup" ? "^\(text.replacingOccurrences(of: " ", with: "\\ "))^" : "~\(text.replacingOccurrences(of: " ", with: "\\ "))~"
                case .jupyter: return "<\(name)>\(text)</\(name)>"
                }
            default:
                // A span, an abbreviation, a keyboard key…: its text.
                return Self.isBlock(node) ? blocks(children).joined(separator: " ") : inlines(children)
            }
        }
    }

    func wrapped(_ mark: String, _ text: String) -> String {
        // Emphasis cannot start or end with a space; the spaces go outside it.
        let core = text.trimmed
        guard !core.isEmpty else { return text }
        let lead = text.hasPrefix(" ") ? " " : "", trail = text.hasSuffix(" ") ? " " : ""
        return lead + mark + core + mark + trail
    }

    /// Text with its Markdown punctuation escaped and its placeholders resolved; a line break in
    /// prose text is a space (so no line of a paragraph can start a list or a heading).
    func escapedWithPlaceholders(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard Placeholder.occurs(in: flat) else { return Self.escaped(flat) }
        var out = ""
        var rest = Substring(flat)
        while let open = rest.firstIndex(of: "\u{E000}") {
            out += Self.escaped(String(rest[..<open]))
            let candidate = rest[open...]
            let bytes = Array(candidate.utf8)
            if let (range, end) = Placeholder.extent(in: bytes, openingAt: 0), let token = Placeholder.Token(bytes[range]) {
                out += resolve(token)
                rest = Substring(String(decoding: bytes[end...], as: UTF8.self))
            } else {
                out += Self.escaped(String(candidate.prefix(1)))
                rest = candidate.dropFirst()
            }
        }
        return out + Self.escaped(String(rest))
    }

    /// Every character Markdown (CommonMark or pandoc's) could read as syntax, backslash-escaped
    /// (any ASCII punctuation may be, in both), except brackets: `\\[` opens a display formula for
    /// MathJax (Jupyter) and for Folio, so they are character references.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for c in text {
            switch c {
            case "[": out += "&#91;"
            case "]": out += "&#93;"
            default:
                if "\\`*_<>#$|~^@&{}!".contains(c) { out.append("\\") }
                out.append(c)
            }
        }
        return out
    }

    /// Markdown as a block quote: every line behind `> `.
    static func quoted(_ markdown: String) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
    }

    static func codeSpan(_ code: String) -> String {
        let flat = code.replacingOccurrences(of: "\n", with: " ")
        let longest = flat.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        let ticks = String(repeating: "`", count: longest + 1)
        // A space each side is taken off by the reader when both are there (and the span is not all spaces).
        let spaced = flat.hasPrefix(" ") && flat.hasSuffix(" ") && flat.contains { $0 != " " }
        let pad = flat.hasPrefix("`") || flat.hasSuffix("`") || spaced ? " " : ""
        return ticks + pad + flat + pad + ticks
    }

    static func fenced(_ code: String, language: String) -> String {
        let longest = code.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = code.hasSuffix("\n") ? code : code + "\n"
        return fence + language + "\n" + body + fence
    }

    static func indented(_ code: String) -> String {
        let body = code.hasSuffix("\n") ? String(code.dropLast()) : code
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    /// A link's or an image's destination, with its title when it has one.
    static func target(_ url: String, title: String?) -> String {
        guard let title, !title.isEmpty else { return destination(url) }
        return destination(url) + " \"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func destination(_ url: String) -> String {
        url.contains(where: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" }) ? "<\(url.replacingOccurrences(of: ">", with: "%3E"))>" : url
    }

    static func text(of nodes: [Node]) -> String {
        nodes.map { node in
            switch node {
            case .text(let t): t
            case .element("br", _, _): "\n"
            case .element(_, _, let c): text(of: c)
            }
        }.joined()
    }
}

extension StringProtocol {
    /// Without blanks (spaces, tabs, line breaks) at either end; a no-break space is text, kept.
    var trimmed: String { trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r")) }
}
