import Foundation

/// The site's front page and its search index.
struct IndexRenderer {
    var renderer: PageRenderer

    /// `index.html`: the notebooks grouped by the note they come from (or their folder), each with
    /// its description, tags, date and claim status.
    func render(_ runs: [ExecutedNotebook]) -> Page {
        var body = "<header class=\"title-block\">\n<h1>\(HTML.escape(renderer.context.siteTitle))</h1>\n"
        let total = runs.reduce(0) { $0 + $1.claims.count }
        let failed = runs.reduce(0) { $0 + $1.claimsFailed }
        let n = runs.count
        body += "<p class=\"description\">\(n) notebook\(n == 1 ? "" : "s")"
        if total > 0 {
            body += " · <span class=\"claims-summary \(failed == 0 ? "pass" : "fail")\">\(total - failed) of \(total) claims hold</span>"
        }
        body += "</p>\n</header>\n"
        var groups: [(String, [ExecutedNotebook])] = []
        for run in runs {
            let g = Self.group(of: run.notebook)
            if let i = groups.firstIndex(where: { $0.0 == g }) { groups[i].1.append(run) } else { groups.append((g, [run])) }
        }
        for (group, members) in groups {
            if !group.isEmpty || groups.count > 1 {
                let title = group.isEmpty ? "Notebooks" : (group.hasSuffix(".txt") || group.hasSuffix(".md") ? "From note \(group)" : group)
                body += "<h2 id=\"\(HTML.escape(CMarkDocument.slug(title).isEmpty ? "group" : "group-" + CMarkDocument.slug(title)))\">\(HTML.escape(title))</h2>\n"
            }
            body += "<ul class=\"index-list\">\n"
            for run in members {
                let nb = run.notebook
                body += "<li><h3><a href=\"\(HTML.escape(nb.pagePath))\">\(HTML.escape(nb.title))</a></h3>\n"
                if let d = nb.frontMatter.description, !d.isEmpty { body += "<p>\(HTML.escape(d))</p>\n" }
                var meta: [String] = []
                if let date = nb.frontMatter.date, !date.isEmpty { meta.append("<time>\(HTML.escape(date))</time>") }
                for tag in nb.frontMatter.tags { meta.append("<span class=\"tag\">\(HTML.escape(tag))</span>") }
                let claims = run.claims.count
                if claims > 0 {
                    meta.append("<span class=\"claims-summary \(run.claimsFailed == 0 ? "pass" : "fail")\">\(run.claimsPassed) of \(claims) claims hold</span>")
                }
                if run.failed && run.claimsFailed == 0 { meta.append("<span class=\"claims-summary fail\">failed</span>") }
                if !meta.isEmpty { body += "<p class=\"meta\">\(meta.joined(separator: " "))</p>\n" }
                body += "</li>\n"
            }
            body += "</ul>\n"
        }
        var html = renderer.head(title: "Index", description: nil, root: "", hasMath: false)
        html += renderer.siteHeader(root: "")
        html += "<div class=\"layout\">\n" + renderer.sidebar(current: "index.html", root: "")
        html += "<main id=\"content\">\n" + body + "</main>\n<nav class=\"toc\" aria-label=\"On this page\"></nav>\n</div>\n</body>\n</html>\n"
        return Page(path: "index.html", html: html)
    }

    /// Notebooks are grouped by their `source` note, else by their folder.
    static func group(of nb: Notebook) -> String {
        if let s = nb.frontMatter.source, !s.isEmpty { return s }
        let parts = nb.relativePath.split(separator: "/")
        return parts.count > 1 ? parts.dropLast().joined(separator: "/") : ""
    }

    struct SearchEntry: Codable {
        var title: String
        var path: String
        var headings: [[String]]
        var text: String
    }

    /// `search-index.js`: titles, headings and prose text of every page, as a script that sets a
    /// global, so search works offline and from `file://` where `fetch` of JSON is refused.
    static func searchIndex(_ runs: [ExecutedNotebook]) -> Data {
        let entries = runs.map { run -> SearchEntry in
            let nb = run.notebook
            var text = ""
            for case .prose(let html) in nb.blocks {
                // Heading self-links are a "#" each: not words anyone searches for.
                text += stripTags(html.replacingOccurrences(of: "aria-label=\"Link to this section\">#</a>", with: "></a>"))
                text += " "
                if text.utf8.count > 20_000 { break }
            }
            return SearchEntry(title: nb.title, path: nb.pagePath,
                               headings: nb.headings.map { [$0.text, $0.id] },
                               text: String(text.prefix(20_000)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(entries)) ?? Data("[]".utf8)
        // `<` cannot close the script element when the index is loaded by a <script> tag.
        let safe = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        return Data("window.FOLIO_SEARCH = \(safe);\n".utf8)
    }

    /// Text content of an HTML fragment: tags dropped, placeholders dropped, whitespace folded.
    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        var lastSpace = true
        var inPlaceholder = false
        for ch in html.unicodeScalars {
            if ch == "\u{E000}" || ch == "\u{E002}" { inPlaceholder = true; continue }
            if ch == "\u{E001}" || ch == "\u{E003}" { inPlaceholder = false; continue }
            if inPlaceholder { continue }
            if ch == "<" { inTag = true; continue }
            if ch == ">" { inTag = false; if !lastSpace { out += " "; lastSpace = true }; continue }
            if inTag { continue }
            if ch == " " || ch == "\n" || ch == "\t" {
                if !lastSpace { out += " "; lastSpace = true }
            } else {
                out.unicodeScalars.append(ch)
                lastSpace = false
            }
        }
        return out.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
    }
}
