import Foundation

/// How the site looks: the page frame (head, header, navigation, table of contents, pager), the
/// index page, the stylesheet and every fragment Render draws (headings, callouts, outputs,
/// claims, diagnostics), in one method per fragment here and in `Theme+Fragments` and
/// `Theme+Pages`. Render decides what goes on a page; the theme decides its markup. A project's
/// theme folder replaces any fragment by a Mustache template of its name (`ThemeOverrides`).
public struct Theme: Sendable {
    public var context: SiteContext

    public init(context: SiteContext) {
        self.context = context
    }

    /// A project's replacements for parts of this theme.
    var overrides: ThemeOverrides { context.overrides }

    /// The site's stylesheet, written to `assets/folio.css`.
    public var stylesheet: String { overrides.stylesheet ?? Stylesheet.css }

    /// A notebook's page around its article `body`.
    public func notebookPage(title: String, description: String?, root: String, hasMath: Bool, current: String,
                             body: String, headings: [Heading]) -> String {
        if let page = framed(title: title, root: root, head: head(title: title, description: description, root: root, hasMath: hasMath),
                             sidebar: sidebar(current: current, root: root), content: "<article>\n" + body + "</article>\n", toc: toc(headings)) {
            return page
        }
        var html = ""
        html.reserveCapacity(body.utf8.count + 8192)
        html += head(title: title, description: description, root: root, hasMath: hasMath)
        html += siteHeader(root: root)
        html += "<div class=\"layout\">\n"
        html += sidebar(current: current, root: root)
        html += "<main id=\"content\">\n<article>\n"
        html += body
        html += "</article>\n</main>\n"
        html += toc(headings)
        html += "</div>\n" + footer() + "</body>\n</html>\n"
        return html
    }

    /// The index page around its list `body`.
    public func indexPage(body: String) -> String {
        if let page = framed(title: "Index", root: "", head: head(title: "Index", description: nil, root: "", hasMath: false),
                             sidebar: sidebar(current: "index.html", root: ""), content: body,
                             toc: "<nav class=\"toc\" aria-label=\"On this page\"></nav>\n") {
            return page
        }
        var html = head(title: "Index", description: nil, root: "", hasMath: false)
        html += siteHeader(root: "")
        html += "<div class=\"layout\">\n" + sidebar(current: "index.html", root: "")
        html += "<main id=\"content\">\n" + body + "</main>\n<nav class=\"toc\" aria-label=\"On this page\"></nav>\n</div>\n"
        return html + footer() + "</body>\n</html>\n"
    }

    // MARK: - The frame

    /// The page through the theme's `page.mustache`, when it has one. `head` is Folio's `<head>`
    /// opening (with the security policy and the scripts search and math need), cut before `<body>`.
    func framed(title: String, root: String, head: String, sidebar: String, content: String, toc: String) -> String? {
        guard overrides.templates[.page] != nil else { return nil }
        var inner = head
        if let r = inner.range(of: "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n") { inner.removeSubrange(r) }
        if let r = inner.range(of: "</head>\n<body>\n") { inner.removeSubrange(r) }
        return overrides.render(.page, [
            "title": title, "siteTitle": context.siteTitle, "root": root, "head": inner, "header": siteHeader(root: root),
            "sidebar": sidebar, "content": content, "toc": toc, "footer": footer(),
        ])
    }

    /// Every page's policy: scripts only from the site's own files (no inline script, no event
    /// handler attributes, no `javascript:` URLs), so a bug in the raw-HTML filter is not a script
    /// bug. Inline styles stay allowed (KaTeX and the plots set them); images may come from anywhere
    /// an author links to. The preview server sends the same policy as a header.
    public static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: http: https:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"

    public func head(title: String, description: String?, root: String, hasMath: Bool) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.contentSecurityPolicy)\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(HTML.escape(title)) · \(HTML.escape(context.siteTitle))</title>\n"
        if let d = description ?? context.metadata.description, !d.isEmpty { h += "<meta name=\"description\" content=\"\(HTML.escape(d))\">\n" }
        if let a = context.metadata.author, !a.isEmpty { h += "<meta name=\"author\" content=\"\(HTML.escape(a))\">\n" }
        h += "<meta name=\"generator\" content=\"Folio\">\n"
        if hasMath { h += "<link rel=\"stylesheet\" href=\"\(root)assets/katex/katex.min.css\">\n" }
        h += "<link rel=\"stylesheet\" href=\"\(root)assets/folio.css\">\n"
        if hasMath && context.mathInBrowser {
            h += "<script defer src=\"\(root)assets/katex/katex.min.js\"></script>\n"
            h += "<script defer src=\"\(root)assets/math.js\"></script>\n"
        }
        h += "<script defer src=\"\(root)assets/search.js\" data-root=\"\(root)\"></script>\n"
        h += "<script defer src=\"\(root)assets/figures.js\"></script>\n"
        h += "</head>\n<body>\n"
        return h
    }

    public func siteHeader(root: String) -> String {
        fragment(.siteHeader, ["root": root, "siteTitle": context.siteTitle]) {
            """
            <header class="site-header">
            <a class="brand" href="\(root)index.html">\(HTML.escape(context.siteTitle))</a>
            <div class="search" role="search"><input type="search" id="search" placeholder="Search notes" aria-label="Search notes" autocomplete="off"><ul class="search-results" id="search-results"></ul></div>
            </header>

            """
        }
    }

    /// What made the page: the Swift that ran its cells and the project's packages.
    public func footer() -> String {
        let items = context.metadata.footer
        guard !items.isEmpty else { return "" }
        if let custom = overrides.render(.footer, ["items": items]) { return custom }
        return "<footer class=\"site-footer\">" + items.map { "<span>\(HTML.escape($0))</span>" }.joined(separator: " · ") + "</footer>\n"
    }

    public func sidebar(current: String, root: String) -> String {
        fragment(.sidebar, ["root": root, "current": current,
                            "entries": context.entries.map { ["title": $0.title, "href": root + $0.pagePath, "group": $0.group, "current": $0.pagePath == current] as [String: Any] }]) {
            var s = "<nav class=\"sidebar\" aria-label=\"Notebooks\">\n<div class=\"sidebar-title\">Notebooks</div>\n<ul>\n"
            var group = ""
            for e in context.entries {
                if e.group != group {
                    group = e.group
                    if !group.isEmpty { s += "<li class=\"group\">\(HTML.escape(group))</li>\n" }
                }
                let currentAttr = e.pagePath == current ? " aria-current=\"page\"" : ""
                s += "<li><a href=\"\(root)\(HTML.escape(e.pagePath))\"\(currentAttr)>\(HTML.escape(e.title))</a></li>\n"
            }
            return s + "</ul>\n</nav>\n"
        }
    }

    public func toc(_ headings: [Heading]) -> String {
        let shown = headings.filter { $0.level >= 2 && $0.level <= 4 }
        return fragment(.toc, ["headings": shown.map { ["level": $0.level, "id": $0.id, "text": $0.text] as [String: Any] }]) {
            guard !shown.isEmpty else { return "<nav class=\"toc\" aria-label=\"On this page\"></nav>\n" }
            var s = "<nav class=\"toc\" aria-label=\"On this page\">\n<div class=\"toc-inner\">\n<div class=\"toc-title\">On this page</div>\n<ul>\n"
            for h in shown {
                s += "<li class=\"l\(h.level)\"><a href=\"#\(HTML.escape(h.id))\">\(HTML.escape(h.text))</a></li>\n"
            }
            return s + "</ul>\n</div>\n</nav>\n"
        }
    }

    public func titleBlock(_ run: ExecutedNotebook) -> String {
        let nb = run.notebook
        let fm = nb.frontMatter
        // A notebook that opens with its own `# Title` keeps it; otherwise the front matter's.
        let hasOwnH1 = nb.headings.first?.level == 1
        let chapter = context.book.chapters ? context.book.numbering(of: nb).chapter.map { "<span class=\"section-number\">\($0)</span> " } ?? "" : ""
        let sweep = nb.sweepSet.map { set in
            "Set \(set.index + 1) of \(set.count) of <a href=\"\(HTML.escape("../" + (nb.relativePath.split(separator: "/").dropLast().last.map(String.init) ?? "") + ".html"))\">the sweep</a>"
        }
        return fragment(.titleBlock, ["title": hasOwnH1 ? "" : nb.title, "chapter": chapter, "description": fm.description ?? "", "date": fm.date ?? "",
                                      "source": fm.source ?? "", "tags": fm.tags, "sweep": sweep ?? "", "claims": run.claims.count, "held": run.claimsPassed,
                                      "params": run.sweep == nil ? fm.params.map { ["name": $0.name, "value": $0.value.display] } : []]) {
            var s = "<header class=\"title-block\">\n"
            if !hasOwnH1 { s += "<h1>\(chapter)\(HTML.escape(nb.title))</h1>\n" }
            if let d = fm.description, !d.isEmpty { s += "<p class=\"description\">\(HTML.escape(d))</p>\n" }
            var meta: [String] = []
            if let date = fm.date, !date.isEmpty { meta.append("<time>\(HTML.escape(date))</time>") }
            if let source = fm.source, !source.isEmpty { meta.append("<span class=\"source\">Source: <code>\(HTML.escape(source))</code></span>") }
            for tag in fm.tags { meta.append("<span class=\"tag\">\(HTML.escape(tag))</span>") }
            if !fm.params.isEmpty && run.sweep == nil {
                // The values this page was run with.
                let values = fm.params.map { "<code>\(HTML.escape($0.name)) = \(HTML.escape($0.value.display))</code>" }.joined(separator: ", ")
                meta.append("<span class=\"params\">Parameters: \(values)</span>")
            }
            if let sweep { meta.append("<span class=\"sweep-set\">\(sweep)</span>") }
            let total = run.claims.count
            if total > 0 {
                let cls = run.claimsFailed == 0 ? "pass" : "fail"
                meta.append("<span class=\"claims-summary \(cls)\">\(run.claimsPassed) of \(total) claims hold</span>")
            }
            if !meta.isEmpty { s += "<p class=\"meta\">\(meta.joined(separator: " "))</p>\n" }
            return s == "<header class=\"title-block\">\n" ? "" : s + "</header>\n"
        }
    }

    public func pager(_ current: String, root: String) -> String {
        guard let i = context.entries.firstIndex(where: { $0.pagePath == current }), context.entries.count > 1 else { return "" }
        let previous = i > 0 ? context.entries[i - 1] : nil, next = i + 1 < context.entries.count ? context.entries[i + 1] : nil
        return fragment(.pager, ["previous": previous.map { ["title": $0.title, "href": root + $0.pagePath] } ?? [:],
                                 "next": next.map { ["title": $0.title, "href": root + $0.pagePath] } ?? [:]]) {
            var s = "<nav class=\"pager\" aria-label=\"Previous and next\">\n"
            if i > 0 {
                let p = context.entries[i - 1]
                s += "<a class=\"prev\" rel=\"prev\" href=\"\(root)\(HTML.escape(p.pagePath))\"><small>Previous</small>\(HTML.escape(p.title))</a>\n"
            }
            if i + 1 < context.entries.count {
                let n = context.entries[i + 1]
                s += "<a class=\"next\" rel=\"next\" href=\"\(root)\(HTML.escape(n.pagePath))\"><small>Next</small>\(HTML.escape(n.title))</a>\n"
            }
            return s + "</nav>\n"
        }
    }

    // MARK: - Print

    /// A printed page's running header: the notebook's title at the top of every PDF page.
    public func printHeader(title: String) -> String {
        "<style>@page { @top-center { content: \(Self.cssString(title)); } }</style>\n"
    }

    /// The link from a page to its PDF, shown in its header.
    public func pdfLink(_ file: String) -> String {
        fragment(.pdfLink, ["file": file]) { "<p class=\"pdf-link\"><a href=\"\(HTML.escape(file))\" type=\"application/pdf\">PDF</a></p>\n" }
    }

    /// The external links of `body`, in order: on paper a link cannot be followed, so each is
    /// numbered where it stands (print stylesheet counters) and its address is listed here.
    public func linkNotes(_ body: String) -> String {
        let bytes = Array(body.utf8), open = Array("<a href=\"".utf8)
        var urls: [String] = []
        var at = 0
        while let i = bytes.firstIndex(of: open, from: at) {
            let start = i + open.count
            guard let end = bytes[start...].firstIndex(of: 34) else { break }
            let href = String(decoding: bytes[start..<end], as: UTF8.self)
            if href.hasPrefix("http://") || href.hasPrefix("https://") { urls.append(href) }
            at = end
        }
        guard !urls.isEmpty else { return "" }
        return fragment(.linkNotes, ["urls": urls]) {
            "<section class=\"link-notes\" aria-hidden=\"true\">\n<h2>Links</h2>\n<ol>\n" + urls.map { "<li>\($0)</li>\n" }.joined() + "</ol>\n</section>\n"
        }
    }

    /// A CSS string literal; `<` escaped so it cannot end the `<style>` element.
    static func cssString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"", "\\": out += "\\" + String(scalar)
            case "<": out += "\\3c "
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: - Blocks

    /// A heading with its id and a link to itself.
    /// `number`: the section's number ("3.1", a chapter's "3") when the project numbers them.
    public func heading(_ h: Heading, number: String? = nil) -> String {
        if let custom = overrides.render(.heading, ["level": h.level, "id": h.id, "text": h.text, "html": h.html, "number": number ?? ""]) { return custom }
        let id = HTML.escape(h.id)
        let shown = number.map { "<span class=\"section-number\">\(HTML.escape($0))</span> " } ?? ""
        return "<h\(h.level) id=\"\(id)\">\(shown)\(h.html)<a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h\(h.level)>\n"
    }

    /// A statement's numbered box opens: "Claim 2.3 (title) — checked, 4 of 4 hold".
    /// `title`: HTML (it may hold formulas).
    public func statementStart(_ s: Statement, number: String, title: String?, status: StatementStatus) -> String {
        let checked: (passed: Int, total: Int) = if case let .checked(p, t) = status { (p, t) } else { (0, 0) }
        let statusName = switch status { case .none: "none"; case .notRun: "not-run"; case .checked: "checked" }
        return fragment(.statementStart, ["kind": s.kind.rawValue, "label": s.label, "number": number, "name": s.kind.title, "title": title ?? "",
                                          "status": statusName, "passed": checked.passed, "total": checked.total]) {
            let name = "<strong>\(s.kind.title) \(HTML.escape(number))</strong>"
            let titled = title.map { " (\($0))" } ?? ""
            var badge = ""
            switch status {
            case .none: break
            case .notRun: badge = " <span class=\"statement-status not-run\">not checked: its cells did not run</span>"
            case let .checked(passed, total):
                badge = " <span class=\"statement-status \(passed == total ? "pass" : "fail")\">— checked, \(passed) of \(total) hold</span>"
            }
            return "<div class=\"statement kind-\(s.kind.rawValue)\" id=\"\(HTML.escape(s.label))\">\n<p class=\"statement-title\">\(name)\(titled)\(badge)</p>\n"
        }
    }

    public var statementEnd: String { fragment(.statementEnd, [:]) { "</div>\n" } }

    public func calloutStart(_ kind: CalloutKind) -> String {
        fragment(.calloutStart, ["kind": kind.rawValue, "title": kind.title]) {
            "<div class=\"callout \(kind.rawValue)\" role=\"note\">\n<p class=\"callout-title\">\(kind.title)</p>\n"
        }
    }

    public var calloutEnd: String { fragment(.calloutEnd, [:]) { "</div>\n" } }

    // MARK: - Outputs

    public func diagnostic(_ d: Diagnostic) -> String {
        if let custom = overrides.render(.diagnostic, ["severity": d.severity.rawValue, "message": d.message,
                                                       "place": d.line > 0 ? "\(d.file):\(d.line)" : d.file, "description": d.description]) {
            return custom
        }
        return "<div class=\"diagnostic \(d.severity.rawValue)\" role=\"alert\">\(HTML.escape(d.description))</div>\n"
    }

    public func output(_ o: CellOutput) -> String {
        switch o {
        case .text(let text):
            if let custom = overrides.render(.outputText, ["text": text]) { return custom }
            return "<pre class=\"output text\">\(HTML.escape(text))</pre>\n"
        case .value(let text):
            if let custom = overrides.render(.outputValue, ["text": text]) { return custom }
            return "<pre class=\"output value\">\(HTML.escape(text))</pre>\n"
        case .svg(let svg):
            return fragment(.outputSVG, ["svg": svg]) { "<div class=\"output svg\">\(svg)</div>\n" }
        case .html(let html):
            return fragment(.outputHTML, ["html": html]) { "<div class=\"output html\">\(html)</div>\n" }
        case .error(let message, let line):
            return fragment(.outputError, ["message": message, "line": line ?? 0]) {
                "<pre class=\"output error\" role=\"alert\">\(HTML.escape((line.map { "line \($0): " } ?? "") + message))</pre>\n"
            }
        case .exported(let name, _):
            return fragment(.outputExported, ["name": name]) { "<p class=\"output exported\">exported <code>\(HTML.escape(name))</code> for other notebooks</p>\n" }
        case .recorded(let name, let value):
            return fragment(.outputRecorded, ["name": name, "value": value]) {
                "<p class=\"output recorded\"><span class=\"name\">\(HTML.escape(name))</span> = <span class=\"number\">\(value)</span></p>\n"
            }
        case .claim(let c):
            if let custom = overrides.render(.claim, ["passed": c.passed, "status": c.passed ? "holds" : "fails", "text": c.text,
                                                      "detail": c.passed ? "" : c.detail ?? "", "line": c.line]) {
                return custom
            }
            let cls = c.passed ? "pass" : "fail"
            // The compared values are shown for a claim that failed; the report's appendix lists them all.
            let detail = c.passed ? "" : c.detail.map { "<span class=\"detail\">\(HTML.escape($0))</span>" } ?? ""
            return "<div class=\"claim \(cls)\" data-line=\"\(c.line)\"><span class=\"badge\">\(c.passed ? "holds" : "fails")</span><span>\(HTML.escape(c.text))\(detail)</span></div>\n"
        }
    }
}
