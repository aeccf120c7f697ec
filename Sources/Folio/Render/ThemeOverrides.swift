import Foundation
import Mustache

/// A project's `theme:` folder: Mustache templates that replace fragments of the default theme
/// one by one, and a stylesheet that replaces the default's. What a template may use is listed
/// with each `Template`; `{{x}}` is escaped, `{{{x}}}` is HTML Folio made.
public struct ThemeOverrides: Sendable {
    public enum Template: String, CaseIterable, Sendable {
        /// The frame of every page: title, siteTitle, root, {{{head}}}, {{{header}}}, {{{sidebar}}},
        /// {{{content}}}, {{{toc}}}, {{{footer}}}.
        case page
        /// level, id, text, {{{html}}}, number (empty unless the project numbers sections).
        case heading
        /// passed (a section), status (`holds`/`fails`), text, detail, line.
        case claim
        /// text: what a cell printed.
        case outputText = "output-text"
        /// text: a cell's trailing value.
        case outputValue = "output-value"
        /// severity, message, place (`file:line`), description.
        case diagnostic
        /// items: the footer's versions.
        case footer
        /// number, line, {{{code}}} (`cell-code`), {{{note}}} (`cell-note`), {{{outputs}}}.
        case cell
        /// language, {{{code}}}: highlighted.
        case cellCode = "cell-code"
        /// kind (`error`, `not-run`, `not-evaluated`, `not-run-in-its-notebook`), line.
        case cellNote = "cell-note"
        /// {{{body}}}, {{{caption}}} (`figure-caption`), id, embed (the label of an embedded copy), table (a section).
        case figure
        /// number ("Figure 2"), caption, {{{source}}} (where an embedded figure comes from).
        case figureCaption = "figure-caption"
        /// A labelled Markdown table opens: label, number, {{{caption}}}.
        case tableStart = "table-start"
        case tableEnd = "table-end"
        /// An embedded cell: {{{outputs}}}.
        case embed
        /// href, title.
        case embedSource = "embed-source"
        /// notebook, label.
        case embedMissing = "embed-missing"
        /// {{{items}}}: the `citation-item`s, joined by "; ".
        case citation
        /// key, authors, year, locator.
        case citationItem = "citation-item"
        /// key.
        case citationMissing = "citation-missing"
        /// {{{items}}}: the `reference`s.
        case references
        /// key, authors, year, title, {{{text}}}.
        case reference
        /// label, number, {{{html}}}.
        case equation
        /// href, text.
        case crossReference = "cross-reference"
        /// label.
        case crossReferenceMissing = "cross-reference-missing"
        /// text.
        case inlineValue = "inline-value"
        /// code.
        case inlineValueMissing = "inline-value-missing"
        /// {{{svg}}}: a plot.
        case outputSVG = "output-svg"
        /// {{{html}}}: HTML a cell displayed.
        case outputHTML = "output-html"
        /// message, line (0: none).
        case outputError = "output-error"
        /// name: a value exported for other notebooks.
        case outputExported = "output-exported"
        /// name, value: a recorded number.
        case outputRecorded = "output-recorded"
        /// kind, label, number, name ("Theorem"), {{{title}}}, status (`none`, `not-run`, `checked`), passed, total.
        case statementStart = "statement-start"
        case statementEnd = "statement-end"
        /// kind (`note`, `tip`, …), title.
        case calloutStart = "callout-start"
        case calloutEnd = "callout-end"
        /// root, siteTitle.
        case siteHeader = "site-header"
        /// root, current, entries (title, href, group, current).
        case sidebar
        /// headings (level, id, text): the page's sections.
        case toc
        /// title, {{{chapter}}}, description, date, source, tags, params (name, value), {{{sweep}}}, claims, held.
        case titleBlock = "title-block"
        /// previous and next (title, href), each empty at an end.
        case pager
        /// file: the page's PDF.
        case pdfLink = "pdf-link"
        /// urls: a printed page's external links, in order.
        case linkNotes = "link-notes"
        /// title, notebooks, claims, held, failed: the index's heading.
        case indexTitle = "index-title"
        /// held, total, passed.
        case claimsSummary = "claims-summary"
        /// id, title: a group of the index.
        case indexGroup = "index-group"
        /// {{{entries}}}: a group's `index-entry`s.
        case indexList = "index-list"
        /// href, title, description, date, tags, claims, held, failed.
        case indexEntry = "index-entry"
        /// sets, parameters, policy.
        case sweepIntroduction = "sweep-introduction"
        /// id, title.
        case sweepHeading = "sweep-heading"
        /// parameters, claimLines, rows (number, page, values, claims: holds/fails/—).
        case sweepTable = "sweep-table"
        /// controls (name, numeric, values), sets (key, values, page, number, {{{html}}}): the explorer.
        case sweepExplorer = "sweep-explorer"
        /// title, author, chapters: the printed report's head, through `<main>`.
        case reportHead = "report-head"
        case reportEnd = "report-end"
        /// title, description, author, date, commit, dirty, notebooks, claims, held.
        case reportTitlePage = "report-title-page"
        /// lines (id, title, page, section).
        case reportContents = "report-contents"
        /// number, section, {{{body}}}.
        case reportChapter = "report-chapter"
        /// {{{items}}}: the `reference`s.
        case reportReferences = "report-references"
        /// claims (notebook, line, text, detail, passed).
        case reportClaims = "report-claims"
        /// rows (name, value).
        case reportEnvironment = "report-environment"
    }

    public var templates: [Template: MustacheTemplate] = [:]
    /// Replaces `assets/folio.css` (`folio.css` in the folder).
    public var stylesheet: String?
    /// The folder's content, for the key that decides whether a page must be rendered again.
    public var key = ""

    public init() {}

    /// Reads the folder. A template that does not parse is an error at its line; a file that is not
    /// a known template or the stylesheet is a warning (a misspelt name would otherwise do nothing).
    public static func load(_ folder: URL, shown: (URL) -> String) throws -> (ThemeOverrides, [Diagnostic]) {
        var theme = ThemeOverrides()
        var warnings: [Diagnostic] = []
        var h = SHA256()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw FolioError(file: shown(url), "cannot read the theme file as UTF-8 text")
            }
            h.update(name + "\u{0}" + text + "\u{0}")
            if name == "folio.css" {
                theme.stylesheet = text
                continue
            }
            guard name.hasSuffix(".mustache"), let template = Template(rawValue: String(name.dropLast(".mustache".count))) else {
                let known = (Template.allCases.map { $0.rawValue + ".mustache" } + ["folio.css"]).joined(separator: ", ")
                warnings.append(Diagnostic(file: shown(url), line: 0, severity: .warning,
                                           message: "not a theme file Folio knows, so it is ignored; the files are \(known)"))
                continue
            }
            do {
                theme.templates[template] = try MustacheTemplate(string: text)
            } catch let e as MustacheTemplate.ParserError {
                throw FolioError(file: shown(url), line: e.context.lineNumber, column: e.context.columnNumber,
                                 "the template does not parse: \(e.error)")
            }
        }
        theme.key = h.finalize()
        return (theme, warnings)
    }

    /// The template's output for `values`, or nil when the theme does not replace it.
    func render(_ template: Template, _ values: [String: Any]) -> String? {
        templates[template].map { $0.render(values) }
    }
}
