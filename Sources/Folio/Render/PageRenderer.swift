import Foundation

/// A finished HTML page, ready for the Site stage to write.
public struct Page: Sendable {
    /// Path relative to the site root (`a/b.html`).
    public var path: String
    public var html: String
}

/// What a page needs to know about the rest of the site: the other pages, for navigation.
public struct SiteContext: Sendable {
    public struct Entry: Sendable {
        public var title: String
        public var pagePath: String
        public var group: String

        public init(title: String, pagePath: String, group: String) {
            self.title = title
            self.pagePath = pagePath
            self.group = group
        }
    }
    public var entries: [Entry]
    public var metadata: SiteMetadata
    /// The project's theme replacements (none by default).
    public var overrides = ThemeOverrides()
    public var siteTitle: String { metadata.title }
    /// Whether pages must load KaTeX's script (math not typeset at build time).
    public var mathInBrowser: Bool
    /// Every page is printed to PDF (`--pdf`); a notebook may ask for it alone (`pdf: true`).
    public var pdf = false
    /// The build's labels and numbers, for references across pages and chapter numbers.
    public var book = BookIndex()
    /// The build's runs by notebook path, for embeds (`{{< embed other.md#fig-x >}}`).
    public var library = RunLibrary()

    func printsPDF(_ nb: Notebook) -> Bool { pdf || nb.frontMatter.pdf }

    public init(entries: [Entry], siteTitle: String = "Folio", mathInBrowser: Bool) {
        self.init(entries: entries, metadata: SiteMetadata(title: siteTitle), mathInBrowser: mathInBrowser)
    }

    public init(entries: [Entry], metadata: SiteMetadata, mathInBrowser: Bool) {
        self.entries = entries
        self.metadata = metadata
        self.mathInBrowser = mathInBrowser
    }
}

/// What the whole site says about itself: from `folio.yml`, and the versions that made it.
public struct SiteMetadata: Sendable, Equatable {
    public var title: String
    public var description: String?
    public var author: String?
    /// With a trailing `/`; absolute links (the sitemap) need it.
    public var baseURL: String?
    /// The footer's items: `Swift 6.3.1`, `swift-numerics 1.1.1`, …
    public var footer: [String]

    public init(title: String = "Folio", description: String? = nil, author: String? = nil, baseURL: String? = nil, footer: [String] = []) {
        self.title = title
        self.description = description
        self.author = author
        self.baseURL = baseURL
        self.footer = footer
    }

    public init(project: ProjectFile?, versions: [String]) {
        self.init(title: project?.title ?? "Folio", description: project?.description, author: project?.author,
                  baseURL: project?.baseURL, footer: versions)
    }

    /// Everything here, for the key that decides whether a page must be rendered again.
    var key: String { [title, description ?? "", author ?? "", baseURL ?? "", footer.joined(separator: "·")].joined(separator: "|") }
}

/// Stage 3: `ExecutedNotebook` → `Page`. Knows HTML, nothing of how cells ran.
public struct PageRenderer: Sendable {
    public var context: SiteContext
    public var math: MathRenderer.Typeset
    /// Everything a page looks like: its frame and every fragment.
    public var theme: Theme

    public init(context: SiteContext, math: MathRenderer.Typeset, theme: Theme? = nil) {
        self.context = context
        self.math = math
        self.theme = theme ?? Theme(context: context)
    }

    /// `../` repeated once per folder between the page and the site root.
    static func rootPrefix(_ pagePath: String) -> String {
        String(repeating: "../", count: pagePath.split(separator: "/").count - 1)
    }

    public func render(_ run: ExecutedNotebook) -> Page {
        let nb = run.notebook
        let root = Self.rootPrefix(nb.pagePath)
        let printed = context.printsPDF(nb)
        var body = article(run, references: true, printed: printed)
        body += theme.pager(nb.pagePath, root: root)
        var html = theme.notebookPage(title: nb.title, description: nb.frontMatter.description, root: root, hasMath: !nb.math.isEmpty,
                                      current: nb.pagePath, body: body, headings: nb.headings.map { plainHeading($0, nb) })
        if printed, let head = html.range(of: "</head>\n") {
            html.insert(contentsOf: theme.printHeader(title: nb.title), at: head.lowerBound)
        }
        return Page(path: nb.pagePath, html: html)
    }

    /// A heading as the table of contents shows it: its formulas as TeX, its references as their text.
    func plainHeading(_ h: Heading, _ nb: Notebook) -> Heading {
        guard Placeholder.occurs(in: h.text) else { return h }
        var h = h
        h.text = Placeholder.replace(in: h.text) { token in
            switch token.kind {
            case .math where nb.math.indices.contains(token.index): nb.math[token.index].tex
            case .reference where nb.references.indices.contains(token.index): context.book.resolve(nb.references[token.index].label, from: nb)?.text ?? ""
            default: ""
            }
        }
        return h
    }

    /// The notebook's article: title block, its blocks and cells, its references; for a page that
    /// is printed, a link to its PDF and the list of the external links it cites (printed as notes).
    public func article(_ run: ExecutedNotebook, references: Bool, printed: Bool) -> String {
        let nb = run.notebook
        var body = ""
        body.reserveCapacity(64 << 10)
        if printed { body += theme.pdfLink((nb.pagePath as NSString).lastPathComponent.replacingOccurrences(of: ".html", with: ".pdf")) }
        body += theme.titleBlock(run)
        // Errors no cell owns, and preview's word on where the outputs came from.
        let fileLevel = run.diagnostics.filter { ($0.severity == .error && !cellOwns($0, nb)) || $0.kind == .snapshotRun || $0.kind == .drift }
        for d in fileLevel { body += theme.diagnostic(d) }
        var cellIndex = 0
        let numbers = context.book.numbering(of: nb)  // once per page: figures, tables, equations, statements, sections
        for block in nb.blocks {
            switch block {
            case .prose(let html):
                body += substitute(highlightingNestedSwift(html), nb, run, numbers)
            case .heading(let h):
                let number = context.book.chapters ? (h.level == 1 ? numbers.chapter.map(String.init) : numbers.numbers[h.id]) : nil
                body += substitute(theme.heading(h, number: number), nb, run, numbers)
            case .calloutStart(let kind):
                body += theme.calloutStart(kind)
            case .calloutEnd:
                body += theme.calloutEnd
            case .statementStart(let n):
                let statement = nb.statements[n]
                let title = statement.title.map { substitute(HTML.escape($0), nb, run, numbers) }
                body += theme.statementStart(statement, number: numbers.numbers[statement.label] ?? "", title: title,
                                             status: StatementStatus(statement, run))
            case .statementEnd:
                body += theme.statementEnd
            case .embed(let n):
                body += renderEmbed(nb.embeds[n], from: nb)
            case .tableStart(let n):
                let table = nb.tables[n]
                body += theme.tableStart(label: table.label, number: numbers.numbers[table.label] ?? "", caption: substitute(table.captionHTML, nb, run, numbers))
            case .tableEnd:
                body += theme.tableEnd
            case .cell(let cell):
                let result = cellIndex < run.cells.count ? run.cells[cellIndex] : CellResult(status: .skipped)
                // BibTeX blocks are data for citations, not content.
                if cell.language != .bibtex { body += renderCell(cell, result, run, numbers) }
                cellIndex += 1
            }
        }
        if references { body += referencesSection(nb) }
        if printed { body += theme.linkNotes(body) }
        return body
    }

    // MARK: - Cells and outputs

    static let nestedSwiftOpen = "<pre><code class=\"language-swift\">"

    /// Fenced code inside lists and block quotes is not a cell; cmark renders it as
    /// `<pre><code class="language-swift">`, the same form as a cell's code, and it gets the same
    /// highlighting here.
    func highlightingNestedSwift(_ html: String) -> String {
        guard html.containsUTF8(Self.nestedSwiftOpen) else { return html }
        let bytes = Array(html.utf8), open = Array(Self.nestedSwiftOpen.utf8), close = Array("</code></pre>".utf8)
        var out: [UInt8] = []
        var cursor = 0
        while let start = bytes.firstIndex(of: open, from: cursor), let end = bytes.firstIndex(of: close, from: start + open.count) {
            out += bytes[cursor..<(start + open.count)]
            let code = String(decoding: CharacterReference.decode(Array(bytes[(start + open.count)..<end]), inAttribute: false), as: UTF8.self)
            out += Array(SwiftHighlighter.highlight(code).utf8)
            out += close
            cursor = end + close.count
        }
        out += bytes[cursor...]
        return String(decoding: out, as: UTF8.self)
    }

    func cellOwns(_ d: Diagnostic, _ nb: Notebook) -> Bool {
        nb.cells.contains { $0.language == .swift && $0.contains(line: d.line) }
    }

    func renderCell(_ cell: Cell, _ result: CellResult, _ run: ExecutedNotebook, _ numbers: Numbering) -> String {
        var code = ""
        if cell.options.echo {
            code = theme.cellCode(language: cell.language.name, html: cell.language == .swift ? SwiftHighlighter.highlight(cell.code) : HTML.escape(cell.code))
        }
        var note = ""
        if cell.language == .swift {
            switch result.status {
            case .error: note = theme.cellNote(.error, line: cell.line)
            case .notRun: note = theme.cellNote(.notRun, line: cell.line)
            case .skipped where !cell.options.eval: note = theme.cellNote(.notEvaluated, line: cell.line)
            default: break
            }
        }
        // Diagnostics that fall inside this cell are shown under it.
        let mine = run.diagnostics.filter { cell.contains(line: $0.line) && $0.severity != .note && $0.kind != .claimFailed && $0.kind != .drift }
        var outputs = ""
        for d in mine { outputs += theme.diagnostic(d) }
        if cell.options.output {
            for o in result.outputs { outputs += theme.output(o) }
        } else {
            // Claims stay visible even when outputs are hidden: they are the point of the page.
            for o in result.outputs where o.kind == .claim || o.kind == .error { outputs += theme.output(o) }
        }
        return captioned(theme.cell(number: cell.index + 1, line: cell.line, code: code, note: note, outputs: outputs), cell, numbers: numbers, id: true)
    }

    /// A cell with a `fig-`/`tbl-` label is a numbered figure (a table's caption above it); one
    /// with only a caption gets it below. `id`: false for an embed, whose original has the id.
    func captioned(_ s: String, _ cell: Cell, numbers: Numbering, id: Bool, source: String = "") -> String {
        if let label = cell.options.label, let kind = LabelKind(label: label), kind == .figure || kind == .table {
            let number = numbers.numbers[label].map { "\(kind.name) \($0)" } ?? kind.name
            return theme.figure(s, caption: theme.figureCaption(number: number, caption: cell.options.caption, source: source),
                                id: id ? label : nil, embed: id ? nil : label, table: kind == .table)
        } else if cell.options.caption != nil || !source.isEmpty {
            return theme.figure(s, caption: theme.figureCaption(number: nil, caption: cell.options.caption, source: source), id: nil, embed: nil, table: false)
        }
        return s
    }

    /// Another notebook's labelled cell, its outputs as that notebook's run left them (never its
    /// code), captioned with its number and a link to where it comes from.
    func renderEmbed(_ embed: Embed, from nb: Notebook) -> String {
        guard let (source, cell) = context.library.target(of: embed, from: nb) else {
            return theme.embedMissing(notebook: embed.notebook, label: embed.label)
        }
        let result = cell.index < source.cells.count ? source.cells[cell.index] : CellResult(status: .skipped)
        var outputs = ""
        for o in result.outputs where o.kind != .recorded && o.kind != .exported { outputs += theme.output(o) }
        if result.status != .ok { outputs += theme.cellNote(.notRunInItsNotebook, line: cell.line) }
        let href = Self.rootPrefix(nb.pagePath) + source.notebook.pagePath + "#" + (cell.options.label ?? "")
        let from = theme.embedSource(href: href, title: source.notebook.title)
        return captioned(theme.embeddedCell(outputs: outputs), cell, numbers: context.book.numbering(of: source.notebook), id: false, source: from)
    }

    /// `(Smith et al. 2023, p. 3; Jones 2021)`, each part linking to its reference.
    func citationHTML(_ c: Citation, _ nb: Notebook) -> String {
        theme.citation(c.items.map { item in
            nb.bibliography[item.key].map { theme.citationItem($0, locator: item.locator) } ?? theme.citationMissing(key: item.key)
        })
    }

    /// The cited entries, in order of first citation.
    func referencesSection(_ nb: Notebook) -> String {
        var seen = Set<String>()
        var cited: [BibEntry] = []
        for c in nb.citations { for i in c.items where seen.insert(i.key).inserted { if let e = nb.bibliography[i.key] { cited.append(e) } } }
        guard !cited.isEmpty else { return "" }
        return theme.references(cited.map(theme.reference))
    }

    // MARK: - Placeholders

    /// Replaces the prose's placeholders (formulas, citations, references, inline values) with
    /// their HTML, in one pass over the bytes.
    func substitute(_ html: String, _ nb: Notebook, _ run: ExecutedNotebook, _ numbers: Numbering) -> String {
        guard html.containsUTF8Byte(0xEE) else { return html }  // every placeholder starts with byte EE
        let bytes = Array(html.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        var i = 0, copied = 0
        // cmark escapes `<` and `>` in text and attribute values, and raw HTML with a placeholder
        // inside a tag never gets here (RawHTMLPolicy), so `<` … `>` is exactly "inside a tag".
        var insideTag = false
        while i < bytes.count {
            if bytes[i] == 60, i + 1 < bytes.count, (bytes[i + 1] | 0x20) >= 97 && (bytes[i + 1] | 0x20) <= 122 || bytes[i + 1] == 47 || bytes[i + 1] == 33 {
                insideTag = true  // `<` then a letter, `/` or `!`, as a tag starts
            } else if bytes[i] == 62 {
                insideTag = false
            }
            guard Placeholder.character(in: bytes, at: i) == Placeholder.itemOpen,
                  let (range, end) = Placeholder.extent(in: bytes, openingAt: i) else { i += 1; continue }
            out.append(contentsOf: bytes[copied..<i])
            if let token = Placeholder.Token(bytes[range]) {
                // In an attribute (an image's alt text, a link's title) only text may go: the TeX, or
                // the replacement's text without its markup.
                let html = insideTag ? attributeText(for: token, nb, run, numbers) : replacement(for: token, nb, run, numbers)
                out.append(contentsOf: Array(html.utf8))
            }
            i = end
            copied = i
        }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    /// What a placeholder becomes inside an attribute value: escaped text, never markup.
    func attributeText(for token: Placeholder.Token, _ nb: Notebook, _ run: ExecutedNotebook, _ numbers: Numbering) -> String {
        if token.kind == .math, nb.math.indices.contains(token.index) { return HTML.escape(nb.math[token.index].tex) }
        return HTML.escape(HTML.plainText(replacement(for: token, nb, run, numbers)))
    }

    /// What a placeholder becomes on the page.
    func replacement(for token: Placeholder.Token, _ nb: Notebook, _ run: ExecutedNotebook, _ numbers: Numbering) -> String {
        let n = token.index
        switch token.kind {
        case .math where nb.math.indices.contains(n):
            let span = nb.math[n]
            let html = math.html[MathRenderer.key(span)] ?? MathRenderer.browserMarkup(span)
            guard let label = span.label, numbers.kinds[label] == .equation, let number = numbers.numbers[label] else { return html }
            // The formula gets an id and its number beside it.
            return theme.equation(label: label, number: number, html: html)
        case .citation where nb.citations.indices.contains(n):
            return citationHTML(nb.citations[n], nb)
        case .reference where nb.references.indices.contains(n):
            let label = nb.references[n].label
            guard let (href, text) = context.book.resolve(label, from: nb) else { return theme.crossReferenceMissing(label: label) }
            return theme.crossReference(href: href, text: text)
        case .inlineValue where nb.inlineExpressions.indices.contains(n):
            if n < run.inlineValues.count, !run.inlineValues[n].isEmpty {
                return theme.inlineValue(run.inlineValues[n])
            }
            return theme.inlineValueMissing(code: nb.inlineExpressions[n].code)
        default:
            return ""
        }
    }
}
