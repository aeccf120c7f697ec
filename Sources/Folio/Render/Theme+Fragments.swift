import Foundation

/// The fragments Render puts inside an article: cells, figures, tables, embeds, citations,
/// references, equations, cross-references and inline values. Each is one method, and each can
/// be replaced by the project theme's template of the same name (`ThemeOverrides.Template`).
extension Theme {
    /// `template`'s output when the project's theme has it, else the default markup.
    func fragment(_ template: ThemeOverrides.Template, _ values: @autoclosure () -> [String: Any], _ standard: () -> String) -> String {
        guard overrides.templates[template] != nil else { return standard() }
        return overrides.render(template, values()) ?? standard()
    }

    // MARK: - Cells

    /// A cell: its code (`cellCode`), a note on its status (`cellNote`), its outputs.
    /// `number`: 1-based, its id (`#cell-3`); `line`: its first line in the `.md`.
    public func cell(number: Int, line: Int, code: String, note: String, outputs: String) -> String {
        fragment(.cell, ["number": number, "line": line, "code": code, "note": note, "outputs": outputs]) {
            var s = "<div class=\"cell\" id=\"cell-\(number)\" data-line=\"\(line)\">\n" + code + note
            if !outputs.isEmpty { s += "<div class=\"outputs\">\n\(outputs)</div>\n" }
            return s + "</div>\n"
        }
    }

    /// A cell's code, already highlighted (`html`); `language` empty for a plain block.
    public func cellCode(language: String, html: String) -> String {
        fragment(.cellCode, ["language": language, "code": html]) {
            let lang = language.isEmpty ? "" : " class=\"language-\(HTML.escape(language))\""
            return "<pre class=\"cell-code\"><code\(lang)>\(html)</code></pre>\n"
        }
    }

    /// Why a cell shows no outputs of its own.
    public enum CellNote: String, Sendable {
        case error
        case notRun = "not-run"
        case notEvaluated = "not-evaluated"
        /// An embedded cell whose own notebook did not run it.
        case notRunInItsNotebook = "not-run-in-its-notebook"
    }

    public func cellNote(_ note: CellNote, line: Int) -> String {
        fragment(.cellNote, ["kind": note.rawValue, "line": line]) {
            switch note {
            case .error: "<div class=\"cell-meta\"><span class=\"cell-status error\">error</span> · line \(line)</div>\n"
            case .notRun: "<div class=\"cell-meta\"><span class=\"cell-status not-run\">not run</span>: an earlier cell failed</div>\n"
            case .notEvaluated: "<div class=\"cell-meta\"><span class=\"cell-status skipped\">not evaluated</span> (eval: false)</div>\n"
            case .notRunInItsNotebook: "<div class=\"cell-meta\"><span class=\"cell-status error\">not run</span> in its notebook</div>\n"
            }
        }
    }

    // MARK: - Figures and tables

    /// A figure around `body` with its `caption` (`figureCaption`): above a table, below
    /// anything else. `id`: its label, on the original; `embed`: its label, on an embedded copy.
    public func figure(_ body: String, caption: String, id: String?, embed: String?, table: Bool) -> String {
        fragment(.figure, ["body": body, "caption": caption, "id": id ?? "", "embed": embed ?? "", "table": table]) {
            let attributes = (id.map { " id=\"\(HTML.escape($0))\"" } ?? "") + (table ? " class=\"table\"" : "")
                + (embed.map { " data-embed=\"\(HTML.escape($0))\"" } ?? "")
            return "<figure\(attributes)>\n" + (table ? caption + body : body + caption) + "</figure>\n"
        }
    }

    /// A figure's caption: `number` ("Figure 2"), the author's `caption` (text), and `source`
    /// (HTML: where an embedded figure comes from, after a space).
    public func figureCaption(number: String?, caption: String?, source: String) -> String {
        fragment(.figureCaption, ["number": number ?? "", "caption": caption ?? "", "source": source]) {
            if let number { return "<figcaption><strong>\(number)</strong>\(caption.map { ": " + HTML.escape($0) } ?? "")\(source)</figcaption>\n" }
            if let caption { return "<figcaption>\(HTML.escape(caption))\(source)</figcaption>\n" }
            return "<figcaption>\(source.dropFirst(1))</figcaption>\n"
        }
    }

    /// A labelled Markdown table opens (its HTML follows, then `tableEnd`): `caption` is HTML.
    public func tableStart(label: String, number: String, caption: String) -> String {
        fragment(.tableStart, ["label": label, "number": number, "caption": caption]) {
            "<figure id=\"\(HTML.escape(label))\" class=\"table\">\n<figcaption><strong>Table \(HTML.escape(number))</strong>: \(caption)</figcaption>\n"
        }
    }

    public var tableEnd: String { fragment(.tableEnd, [:]) { "</figure>\n" } }

    // MARK: - Embeds

    /// Another notebook's cell shown here: its `outputs`, never its code.
    public func embeddedCell(outputs: String) -> String {
        fragment(.embed, ["outputs": outputs]) { "<div class=\"cell embedded\">\n<div class=\"outputs\">\n\(outputs)</div>\n</div>\n" }
    }

    /// Where an embedded figure comes from, for its caption.
    public func embedSource(href: String, title: String) -> String {
        fragment(.embedSource, ["href": href, "title": title]) {
            " <span class=\"embed-source\">(from <a href=\"\(HTML.escape(href))\">\(HTML.escape(title))</a>)</span>"
        }
    }

    public func embedMissing(notebook: String, label: String) -> String {
        fragment(.embedMissing, ["notebook": notebook, "label": label]) {
            "<div class=\"embed missing\">embed of <code>\(HTML.escape(notebook))#\(HTML.escape(label))</code>: no such labelled cell</div>\n"
        }
    }

    // MARK: - Citations and references

    /// `(Smith et al. 2023, p. 3; Jones 2021)`: `items` are `citationItem`s.
    public func citation(_ items: [String]) -> String {
        fragment(.citation, ["items": items.joined(separator: "; ")]) { "(" + items.joined(separator: "; ") + ")" }
    }

    public func citationItem(_ e: BibEntry, locator: String?) -> String {
        fragment(.citationItem, ["key": e.key, "authors": e.shortAuthors, "year": e.year, "locator": locator ?? ""]) {
            "<a class=\"cite\" href=\"#ref-\(HTML.escape(e.key))\">\(HTML.escape(e.shortAuthors)) \(HTML.escape(e.year))\(locator.map { ", " + HTML.escape($0) } ?? "")</a>"
        }
    }

    public func citationMissing(key: String) -> String {
        fragment(.citationMissing, ["key": key]) { "<span class=\"cite missing\">\(HTML.escape(key))?</span>" }
    }

    /// A page's reference list: `items` are `reference`s.
    public func references(_ items: [String]) -> String {
        fragment(.references, ["items": items.joined()]) {
            "<section class=\"references\" id=\"references\">\n<h2>References</h2>\n<ol>\n" + items.joined() + "</ol>\n</section>\n"
        }
    }

    /// One entry of a reference list: authors (year). Title. Venue. Link.
    public func reference(_ e: BibEntry) -> String {
        fragment(.reference, ["key": e.key, "authors": e.authorList, "year": e.year, "title": e["title"] ?? "", "text": Self.referenceText(e)]) {
            "<li id=\"ref-\(HTML.escape(e.key))\">\(Self.referenceText(e))</li>\n"
        }
    }

    static func referenceText(_ e: BibEntry) -> String {
        let authors = e.authorList
        var text = authors.isEmpty ? "" : HTML.escape(authors) + " "
        text += "(\(HTML.escape(e.year))). "
        if let t = e["title"] { text += "<cite>\(HTML.escape(t))</cite>. " }
        if let venue = e["journal"] ?? e["booktitle"] ?? e["publisher"] ?? e["howpublished"] { text += HTML.escape(venue) + ". " }
        if let link = e.link, RawHTMLPolicy.isSafeURL(link) { text += "<a href=\"\(HTML.escape(link))\">\(HTML.escape(link))</a>" }
        return text
    }

    // MARK: - In the prose

    /// A numbered formula: its typeset `html`, with an id and its number beside it.
    public func equation(label: String, number: String, html: String) -> String {
        fragment(.equation, ["label": label, "number": number, "html": html]) {
            "<span class=\"equation\" id=\"\(HTML.escape(label))\">\(html)<span class=\"eq-number\">(\(number))</span></span>"
        }
    }

    /// `@fig-x` as a link to what it names ("Figure 2").
    public func crossReference(href: String, text: String) -> String {
        fragment(.crossReference, ["href": href, "text": text]) { "<a class=\"xref\" href=\"\(HTML.escape(href))\">\(HTML.escape(text))</a>" }
    }

    public func crossReferenceMissing(label: String) -> String {
        fragment(.crossReferenceMissing, ["label": label]) { "<span class=\"xref missing\">@\(HTML.escape(label))?</span>" }
    }

    /// `` `{swift} expr` ``'s value.
    public func inlineValue(_ text: String) -> String {
        fragment(.inlineValue, ["text": text]) { "<span class=\"inline-value\">\(HTML.escape(text))</span>" }
    }

    /// An inline expression that was not evaluated: its code.
    public func inlineValueMissing(code: String) -> String {
        fragment(.inlineValueMissing, ["code": code]) { "<code class=\"inline-value missing\" title=\"not evaluated\">\(HTML.escape(code))</code>" }
    }
}
