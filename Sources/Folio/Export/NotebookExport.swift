/// An executed notebook as a document outside the site takes it: its prose as Markdown (formulas
/// as TeX, cross-references, citations, numbers and captions worded as on the page) and its
/// cells with their outputs. Word and pandoc Markdown (`PandocExport`) and Jupyter (`JupyterExport`) are written from it.
public struct ExportedNotebook: Sendable {
    public enum Block: Sendable {
        case markdown(String)
        case cell(ExportedCell)
    }

    public struct ExportedCell: Sendable {
        /// The code shown; nil when the page shows none (`echo: false`, an embed, `--no-code`).
        public var code: String?
        public var language: String
        /// A Swift cell that ran (in a Jupyter notebook it gets the next execution count).
        public var ran: Bool
        public var outputs: [CellOutput]
        /// `fig-…`/`tbl-…`, as the cell's options name it.
        public var label: String?
        /// "Figure 2.1: Decay of the error" in Markdown; nil for a cell without number or caption.
        public var caption: String?
        /// Where the cell comes from when it is another notebook's (an embed), in Markdown.
        public var source: String?
    }

    public var title: String
    /// The notebook's path as the project names it (`notebooks/a.md`).
    public var path: String
    /// Where its page would be (`a.html`), the name its own export files take.
    public var pagePath: String
    public var blocks: [Block]

    /// `run` exported in `flavour` against `context` (its labels, runs and theme): the fuzz
    /// target's way in.
    @_spi(Fuzzing) public static func of(_ run: ExecutedNotebook, context: SiteContext, flavour: MarkdownFlavour) -> ExportedNotebook {
        NotebookExporter(renderer: PageRenderer(context: context, math: MathRenderer.Typeset()), flavour: flavour, showsCode: true).export(run)
    }
}

/// Writes `ExportedNotebook`s, with the page's words for every number and reference: it asks the
/// renderer's context (the build's labels, the runs embeds show, the theme's citation wording).
struct NotebookExporter {
    let renderer: PageRenderer
    let flavour: MarkdownFlavour
    /// `--no-code`: outputs only.
    let showsCode: Bool

    func export(_ run: ExecutedNotebook) -> ExportedNotebook {
        let nb = run.notebook
        let numbers = renderer.context.book.numbering(of: nb)
        let prose = ProseMarkdown(flavour: flavour) { resolve($0, nb, run, numbers) }
        var blocks: [ExportedNotebook.Block] = []
        // A callout's body is quoted; its blocks are kept apart until it ends.
        var callout: (kind: CalloutKind, body: [String])?
        var pendingTableCaption: String?
        // Prose and headings are gathered and converted together: a heading inside a list or a
        // quote splits its HTML across blocks, which only make sense in order.
        var html = ""
        func emit(_ markdown: String) {
            if !html.isEmpty {
                let text = prose.convert(html)
                html = ""
                emit(text)
            }
            guard !markdown.isEmpty else { return }
            if callout != nil { callout!.body.append(markdown) } else { blocks.append(.markdown(markdown)) }
        }
        // The title leads, numbered as a chapter when the project numbers them, unless the
        // notebook's first block is a top-level heading of its own.
        if !nb.blocks.contains(where: { if case .heading(let h) = $0 { h.level == 1 } else { false } }) {
            let chapter = renderer.context.book.chapters ? numbers.chapter.map { "\($0) " } ?? "" : ""
            blocks.append(.markdown("# " + chapter + ProseMarkdown.escaped(nb.sweepSet.map { "\(nb.title) [\($0.label)]" } ?? nb.title)))
        }
        var cellIndex = 0
        for block in nb.blocks {
            switch block {
            case .prose(let fragment):
                html += fragment
            case .heading(let h):
                let number = renderer.context.book.chapters ? (h.level == 1 ? numbers.chapter.map(String.init) : numbers.numbers[h.id]) : nil
                html += "<h\(h.level)>" + (number.map { HTML.escape($0) + " " } ?? "") + h.html + "</h\(h.level)>\n"

            case .calloutStart(let kind):
                emit("")
                callout = (kind, ["**\(kind.title)**"])
            case .calloutEnd:
                emit("")
                if let c = callout {
                    callout = nil
                    emit(ProseMarkdown.quoted(c.body.joined(separator: "\n\n")))
                }
            case .statementStart(let n):
                emit("")
                let s = nb.statements[n]
                let number = numbers.numbers[s.label].map { " " + $0 } ?? ""
                let title = s.title.map { " (" + prose.escapedWithPlaceholders($0) + ")" } ?? ""
                emit("**\(s.kind.title)\(number)\(title).**")
            case .statementEnd:
                break
            case .embed(let n):
                emit("")
                if let cell = embedded(nb.embeds[n], from: nb) { blocks.append(.cell(cell)) }
            case .tableStart(let n):
                emit("")
                let table = nb.tables[n]
                let number = numbers.numbers[table.label].map { "Table \($0)" } ?? "Table"
                let caption = "\(number): " + prose.inlines(ProseMarkdown.tree(table.captionHTML)).trimmed
                // pandoc reads a `: caption` paragraph right after a table as its caption.
                if flavour == .pandoc { pendingTableCaption = caption } else { emit("**\(caption)**") }
            case .tableEnd:
                emit("")
                if let caption = pendingTableCaption { emit(": " + caption); pendingTableCaption = nil }
            case .cell(let cell):
                let result = cellIndex < run.cells.count ? run.cells[cellIndex] : CellResult(status: .skipped)
                cellIndex += 1
                guard cell.language != .bibtex else { continue }
                emit("")
                blocks.append(.cell(exported(cell, result, run, numbers)))
            }
        }
        emit("")
        let cited = renderer.referencesSection(nb)
        if !cited.isEmpty { blocks.append(.markdown(prose.convert(cited))) }
        let title = nb.sweepSet.map { "\(nb.title) [\($0.label)]" } ?? nb.title
        return ExportedNotebook(title: title, path: nb.path, pagePath: nb.pagePath, blocks: Self.merged(blocks))
    }

    /// Adjacent Markdown blocks as one (a Jupyter notebook's prose between two cells is one cell).
    static func merged(_ blocks: [ExportedNotebook.Block]) -> [ExportedNotebook.Block] {
        var out: [ExportedNotebook.Block] = []
        for b in blocks {
            if case .markdown(let next) = b, case .markdown(let previous)? = out.last {
                out[out.count - 1] = .markdown(previous + "\n\n" + next)
            } else {
                out.append(b)
            }
        }
        return out
    }

    func exported(_ cell: Cell, _ result: CellResult, _ run: ExecutedNotebook, _ numbers: Numbering) -> ExportedNotebook.ExportedCell {
        var outputs: [CellOutput] = []
        // Errors found at the cell's lines are shown with it, as on the page.
        for d in run.diagnostics where cell.contains(line: d.line) && d.severity == .error && d.kind != .claimFailed {
            outputs.append(.error(d.message, line: d.line))
        }
        for o in result.outputs where cell.options.output || o.kind == .claim || o.kind == .error {
            if o.kind != .recorded && o.kind != .exported { outputs.append(o) }
        }
        return ExportedNotebook.ExportedCell(
            code: showsCode && cell.options.echo ? cell.code : nil, language: cell.language.name,
            ran: cell.language == .swift && result.status != .skipped && result.status != .notRun, outputs: outputs,
            label: cell.options.label, caption: caption(cell, numbers), source: nil)
    }

    /// Another notebook's labelled cell: its outputs, its caption, where it comes from.
    func embedded(_ embed: Embed, from nb: Notebook) -> ExportedNotebook.ExportedCell? {
        guard let (source, cell) = renderer.context.library.target(of: embed, from: nb) else {
            return ExportedNotebook.ExportedCell(code: nil, language: "swift", ran: false,
                                                 outputs: [.error("embed: no cell labelled \(embed.label) in \(embed.notebook)", line: embed.line)],
                                                 label: nil, caption: nil, source: nil)
        }
        let result = cell.index < source.cells.count ? source.cells[cell.index] : CellResult(status: .skipped)
        let outputs = result.outputs.filter { $0.kind != .recorded && $0.kind != .exported }
        return ExportedNotebook.ExportedCell(code: nil, language: cell.language.name, ran: false, outputs: outputs, label: nil,
                                             caption: caption(cell, renderer.context.book.numbering(of: source.notebook)),
                                             source: "from " + ProseMarkdown.escaped(source.notebook.title))
    }

    /// As the page captions it: "Figure 2.1: caption", or the caption alone.
    func caption(_ cell: Cell, _ numbers: Numbering) -> String? {
        let text = cell.options.caption.map(ProseMarkdown.escaped)
        if let label = cell.options.label, let kind = LabelKind(label: label), kind == .figure || kind == .table {
            let number = numbers.numbers[label].map { "\(kind.name) \($0)" } ?? kind.name
            return "**\(number)**" + (text.map { ": " + $0 } ?? "")
        }
        return text
    }

    /// What a placeholder of the prose becomes: TeX between dollars, the page's words for a
    /// citation or a cross-reference, an inline value's text.
    func resolve(_ token: Placeholder.Token, _ nb: Notebook, _ run: ExecutedNotebook, _ numbers: Numbering) -> String {
        let n = token.index
        switch token.kind {
        case .math where nb.math.indices.contains(n):
            let span = nb.math[n]
            // One line: pandoc ends a formula at a blank line, and a `$` then a space is not one.
            var tex = span.tex.split(whereSeparator: \.isNewline).joined(separator: " ").trimmed
            if let label = span.label, numbers.kinds[label] == .equation, let number = numbers.numbers[label] {
                // MathJax (Jupyter) numbers with \tag; Word equations have no tags, so the number stands beside it.
                tex += flavour == .jupyter ? " \\tag{\(number)}" : " \\qquad (\(number))"
            }
            return span.display ? "$$" + tex + "$$" : "$" + tex + "$"
        case .citation where nb.citations.indices.contains(n):
            return ProseMarkdown.escaped(ProseMarkdown.text(of: ProseMarkdown.tree(renderer.citationHTML(nb.citations[n], nb))))
        case .reference where nb.references.indices.contains(n):
            let label = nb.references[n].label
            return ProseMarkdown.escaped(renderer.context.book.resolve(label, from: nb)?.text ?? "??\(label)")
        case .inlineValue where nb.inlineExpressions.indices.contains(n):
            return ProseMarkdown.escaped(n < run.inlineValues.count ? run.inlineValues[n] : "?")
        default:
            return ""
        }
    }
}

extension Claim {
    /// A claim as an export shows it: "✓ holds: …" or "✗ fails: … (got …)".
    var exportedText: String { exportedStatus + ": " + exportedBody }
    var exportedStatus: String { passed ? "✓ holds" : "✗ fails" }
    /// What was claimed, with the compared values when it failed.
    var exportedBody: String { text + (passed ? "" : detail.map { " (\($0))" } ?? "") }
}
