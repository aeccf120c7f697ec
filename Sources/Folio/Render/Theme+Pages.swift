import Foundation
import FolioWire

/// The markup of the pages that are not a notebook's article: the index, a sweep's summary and
/// the printed report. One method per fragment, each replaceable by the project theme's template
/// of the same name (`ThemeOverrides.Template`).
extension Theme {
    // MARK: - The index

    /// The index's heading: the site's title, how many notebooks, how many claims hold.
    public func indexTitle(notebooks: Int, claims: Int, failed: Int) -> String {
        fragment(.indexTitle, ["title": context.siteTitle, "notebooks": notebooks, "claims": claims, "held": claims - failed, "failed": failed]) {
            var s = "<header class=\"title-block\">\n<h1>\(HTML.escape(context.siteTitle))</h1>\n"
            s += "<p class=\"description\">\(notebooks) notebook\(notebooks == 1 ? "" : "s")"
            if claims > 0 { s += " · " + claimsSummary(held: claims - failed, of: claims) }
            return s + "</p>\n</header>\n"
        }
    }

    /// "3 of 4 claims hold", marked as passing or failing.
    public func claimsSummary(held: Int, of total: Int) -> String {
        fragment(.claimsSummary, ["held": held, "total": total, "passed": held == total]) {
            "<span class=\"claims-summary \(held == total ? "pass" : "fail")\">\(held) of \(total) claims hold</span>"
        }
    }

    /// A group of the index (a project section, a source note, a folder) opens: its heading.
    public func indexGroup(id: String, title: String) -> String {
        fragment(.indexGroup, ["id": id, "title": title]) { "<h2 id=\"\(HTML.escape(id))\">\(HTML.escape(title))</h2>\n" }
    }

    /// A group's list: `entries` are `index-entry`s.
    public func indexList(_ entries: [String]) -> String {
        fragment(.indexList, ["entries": entries.joined()]) { "<ul class=\"index-list\">\n" + entries.joined() + "</ul>\n" }
    }

    /// One notebook on the index: its title, description, date, tags and claims.
    public func indexEntry(_ run: ExecutedNotebook) -> String {
        let nb = run.notebook
        return fragment(.indexEntry, ["href": nb.pagePath, "title": nb.title, "description": nb.frontMatter.description ?? "",
                                      "date": nb.frontMatter.date ?? "", "tags": nb.frontMatter.tags, "claims": run.claims.count,
                                      "held": run.claimsPassed, "failed": run.failed]) {
            var s = "<li><h3><a href=\"\(HTML.escape(nb.pagePath))\">\(HTML.escape(nb.title))</a></h3>\n"
            if let d = nb.frontMatter.description, !d.isEmpty { s += "<p>\(HTML.escape(d))</p>\n" }
            var meta: [String] = []
            if let date = nb.frontMatter.date, !date.isEmpty { meta.append("<time>\(HTML.escape(date))</time>") }
            for tag in nb.frontMatter.tags { meta.append("<span class=\"tag\">\(HTML.escape(tag))</span>") }
            if run.claims.count > 0 { meta.append(claimsSummary(held: run.claimsPassed, of: run.claims.count)) }
            if run.failed && run.claimsFailed == 0 { meta.append("<span class=\"claims-summary fail\">failed</span>") }
            if !meta.isEmpty { s += "<p class=\"meta\">\(meta.joined(separator: " "))</p>\n" }
            return s + "</li>\n"
        }
    }

    // MARK: - A sweep's summary

    /// What the sweep did: how many sets, which parameters, what its claims must do.
    public func sweepIntroduction(sets: Int, parameters: [String], policy: String) -> String {
        fragment(.sweepIntroduction, ["sets": sets, "parameters": parameters, "policy": policy]) {
            "<p>This notebook ran once for each of \(sets) parameter sets (\(parameters.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))); "
                + "each claim must hold in \(policy).</p>\n"
        }
    }

    /// A heading of the summary page (`claims`, `sets`, a recorded value's).
    public func sweepHeading(id: String, title: String) -> String {
        fragment(.sweepHeading, ["id": id, "title": title]) { "<h2 id=\"\(HTML.escape(id))\">\(HTML.escape(title))</h2>\n" }
    }

    /// One set of a sweep: its number, its page, its parameters' values, and each claim's outcome
    /// in it (nil: the set did not make that claim).
    public struct SweepRow: Sendable {
        public var number: Int
        public var page: String
        public var values: [String]
        public var claims: [Bool?]
    }

    /// A control of the sweep explorer: a swept parameter and its values in order.
    public struct ExplorerControl: Sendable {
        public var name: String
        /// Numbers get a slider, anything else a choice.
        public var numeric: Bool
        public var values: [String]
    }

    /// One set as the explorer shows it: its values by parameter, its page, the outputs shown.
    public struct ExplorerSet: Sendable {
        public var number: Int
        /// `alpha=0.3&eps=0.01`: the URL's query when this set is chosen.
        public var key: String
        public var values: [String: String]
        public var page: String
        public var html: String
    }

    /// The sweep explorer: a slider (numbers) or a choice (other values) per swept parameter, and
    /// every set's outputs of the notebook's labelled figures and tables and its claims, one set shown at a time
    /// (`assets/figures.js` switches them, and keeps the choice in the URL); without the script
    /// or on paper, the first set.
    public func sweepExplorer(controls: [ExplorerControl], sets: [ExplorerSet]) -> String {
        fragment(.sweepExplorer, ["controls": controls.map { ["name": $0.name, "numeric": $0.numeric, "values": $0.values] as [String: Any] },
                                  "sets": sets.map { ["key": $0.key, "values": $0.values, "page": $0.page, "number": $0.number, "html": $0.html] as [String: Any] }]) {
            var s = "<div class=\"sweep-explorer\">\n<div class=\"explorer-controls\" role=\"group\" aria-label=\"Parameters of the set shown\">\n"
            for (i, c) in controls.enumerated() {
                let id = "explorer-\(i)", first = c.values.first ?? ""
                let values = HTML.escape(String(decoding: (try? JSONSerialization.data(withJSONObject: c.values)) ?? Data("[]".utf8), as: UTF8.self))
                if c.numeric {
                    s += "<label for=\"\(id)\">\(HTML.escape(c.name))</label> <input type=\"range\" id=\"\(id)\" min=\"0\" max=\"\(max(0, c.values.count - 1))\" step=\"1\" value=\"0\" data-parameter=\"\(HTML.escape(c.name))\" data-values=\"\(values)\" aria-valuetext=\"\(HTML.escape(first))\"> <output for=\"\(id)\">\(HTML.escape(first))</output>\n"
                } else {
                    s += "<label for=\"\(id)\">\(HTML.escape(c.name))</label> <select id=\"\(id)\" data-parameter=\"\(HTML.escape(c.name))\">"
                    for v in c.values { s += "<option value=\"\(HTML.escape(v))\">\(HTML.escape(v))</option>" }
                    s += "</select>\n"
                }
            }
            s += "</div>\n"
            for (i, set) in sets.enumerated() {
                let values = HTML.escape(String(decoding: (try? JSONSerialization.data(withJSONObject: set.values, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self))
                s += "<div class=\"explorer-set\" data-key=\"\(HTML.escape(set.key))\" data-values=\"\(values)\"\(i == 0 ? "" : " hidden")>\n"
                s += "<p class=\"explorer-caption\">Set \(set.number): \(HTML.escape(set.key.replacingOccurrences(of: "&", with: ", "))) — <a href=\"\(HTML.escape(set.page))\">its page</a></p>\n"
                s += set.html + "</div>\n"
            }
            return s + "</div>\n"
        }
    }

    /// The table of sets: a column per swept parameter, then one per claim (with its line).
    public func sweepTable(parameters: [String], claimLines: [Int], rows: [SweepRow]) -> String {
        fragment(.sweepTable, ["parameters": parameters, "claimLines": claimLines,
                               "rows": rows.map { ["number": $0.number, "page": $0.page, "values": $0.values,
                                                   "claims": $0.claims.map { $0.map { $0 ? "holds" : "fails" } ?? "—" }] as [String: Any] }]) {
            var s = "<div class=\"table-wrap\"><table class=\"sweep\">\n<thead><tr><th>set</th>"
            for name in parameters { s += "<th>\(HTML.escape(name))</th>" }
            for (k, line) in claimLines.enumerated() { s += "<th title=\"line \(line)\">claim \(k + 1)</th>" }
            s += "</tr></thead>\n<tbody>\n"
            for row in rows {
                s += "<tr><td><a href=\"\(HTML.escape(row.page))\">\(row.number)</a></td>"
                for v in row.values { s += "<td>\(HTML.escape(v))</td>" }
                for c in row.claims {
                    switch c {
                    case true?: s += "<td class=\"pass\">holds</td>"
                    case false?: s += "<td class=\"fail\">fails</td>"
                    case nil: s += "<td>—</td>"
                    }
                }
                s += "</tr>\n"
            }
            return s + "</tbody></table></div>\n"
        }
    }

    // MARK: - The printed report

    /// The report's `<head>`: its title, author, stylesheets and running headers (each chapter a
    /// named page whose top margin carries its title).
    public func reportHead(title: String, author: String?, chapterTitles: [String]) -> String {
        fragment(.reportHead, ["title": title, "author": author ?? "", "chapters": chapterTitles]) {
            var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            h += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Theme.contentSecurityPolicy)\">\n"
            h += "<title>\(HTML.escape(title))</title>\n"
            if let author { h += "<meta name=\"author\" content=\"\(HTML.escape(author))\">\n" }
            h += "<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">\n<link rel=\"stylesheet\" href=\"assets/folio.css\">\n"
            h += "<style>\n@page { @top-center { content: \(Theme.cssString(title)); } }\n"
            h += "@page title { @top-center { content: none; } @bottom-center { content: none; } }\n"
            for (i, chapter) in chapterTitles.enumerated() {
                h += "@page ch-\(i + 1) { @top-center { content: \(Theme.cssString(chapter)); } }\n.ch-\(i + 1) { page: ch-\(i + 1); }\n"
            }
            return h + ".title-page { page: title; }\n</style>\n</head>\n<body class=\"report\">\n<main id=\"content\">\n"
        }
    }

    public var reportEnd: String { fragment(.reportEnd, [:]) { "</main>\n</body>\n</html>\n" } }

    /// The report's first page. `commit`: the git commit it was built from, and whether the tree had changes.
    public func reportTitlePage(date: String, commit: (hash: String, dirty: Bool)?, notebooks: Int, claims: Int, failed: Int) -> String {
        let m = context.metadata
        return fragment(.reportTitlePage, ["title": m.title, "description": m.description ?? "", "author": m.author ?? "", "date": date,
                                           "commit": commit?.hash ?? "", "dirty": commit?.dirty ?? false, "notebooks": notebooks,
                                           "claims": claims, "held": claims - failed]) {
            var s = "<section class=\"title-page\">\n<h1 class=\"report-title\">\(HTML.escape(m.title))</h1>\n"
            if let d = m.description { s += "<p class=\"description\">\(HTML.escape(d))</p>\n" }
            if let a = m.author { s += "<p class=\"author\">\(HTML.escape(a))</p>\n" }
            s += "<p class=\"date\">\(date)</p>\n"
            if let c = commit { s += "<p class=\"commit\">Built from commit <code>\(c.hash)</code>\(c.dirty ? " with uncommitted changes" : "")</p>\n" }
            s += "<p class=\"claims-summary \(failed == 0 ? "pass" : "fail")\">\(notebooks) notebooks · \(claims - failed) of \(claims) claims hold</p>\n"
            return s + "</section>\n"
        }
    }

    /// One line of the report's contents: an entry and the page it starts on (empty until printed
    /// once); `section` when a project section starts with it.
    public struct ContentsLine: Sendable {
        public var id: String
        public var title: String
        public var page: String
        public var section: String?
    }

    public func reportContents(_ lines: [ContentsLine]) -> String {
        fragment(.reportContents, ["lines": lines.map { ["id": $0.id, "title": $0.title, "page": $0.page, "section": $0.section ?? ""] as [String: Any] }]) {
            var s = "<nav class=\"report-toc\">\n<h2>Contents</h2>\n<ol>\n"
            for line in lines {
                if let section = line.section { s += "<li class=\"toc-section\">\(HTML.escape(section))</li>\n" }
                s += "<li><a href=\"#\(line.id)\">\(HTML.escape(line.title))</a><span class=\"toc-page\">\(line.page)</span></li>\n"
            }
            return s + "</ol>\n</nav>\n"
        }
    }

    /// A notebook as a chapter of the report: its number, its section, its article (`body`).
    public func reportChapter(number: Int, section: String?, body: String) -> String {
        fragment(.reportChapter, ["number": number, "section": section ?? "", "body": body]) {
            "<section class=\"chapter ch-\(number)\" id=\"report-ch-\(number)\">\n"
                + "<p class=\"chapter-number\">Chapter \(number)\(section.map { " · " + HTML.escape($0) } ?? "")</p>\n"
                + body + "</section>\n"
        }
    }

    /// The report's one bibliography: `items` are `reference`s.
    public func reportReferences(_ items: [String]) -> String {
        fragment(.reportReferences, ["items": items.joined()]) {
            "<section class=\"chapter\" id=\"report-references\">\n<h1>References</h1>\n<ol class=\"references\">\n" + items.joined() + "</ol>\n</section>\n"
        }
    }

    /// Appendix A: every claim of the report, with its notebook, line, compared values and outcome.
    public func reportClaims(_ claims: [(notebook: String, claim: Claim)]) -> String {
        fragment(.reportClaims, ["claims": claims.map { ["notebook": $0.notebook, "line": $0.claim.line, "text": $0.claim.text,
                                                         "detail": $0.claim.detail ?? "", "passed": $0.claim.passed] as [String: Any] }]) {
            var s = "<section class=\"chapter\" id=\"report-claims\">\n<h1>Appendix A: Claims</h1>\n"
            s += "<table class=\"claims-table\">\n<colgroup><col style=\"width: 18%\"><col style=\"width: 7%\"><col style=\"width: 36%\"><col style=\"width: 27%\"><col style=\"width: 12%\"></colgroup>\n<thead><tr><th>Notebook</th><th>Line</th><th>Claim</th><th>Compared</th><th>Outcome</th></tr></thead>\n<tbody>\n"
            for (notebook, c) in claims {
                s += "<tr class=\"\(c.passed ? "pass" : "fail")\"><td>\(HTML.escape(notebook))</td><td>\(c.line)</td><td>\(HTML.escape(c.text))</td>"
                s += "<td>\(HTML.escape(c.detail ?? "—"))</td><td class=\"outcome\">\(c.passed ? "holds" : "FAILS")</td></tr>\n"
            }
            return s + "</tbody>\n</table>\n</section>\n"
        }
    }

    /// Appendix B: what the report was made with, as rows of name and value.
    public func reportEnvironment(_ rows: [(String, String)]) -> String {
        fragment(.reportEnvironment, ["rows": rows.map { ["name": $0.0, "value": $0.1] }]) {
            var s = "<section class=\"chapter\" id=\"report-environment\">\n<h1>Appendix B: Environment</h1>\n<table class=\"environment\">\n<tbody>\n"
            for (k, v) in rows { s += "<tr><th>\(HTML.escape(k))</th><td>\(HTML.escape(v))</td></tr>\n" }
            return s + "</tbody>\n</table>\n</section>\n"
        }
    }
}
