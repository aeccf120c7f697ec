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
                text += stripTags(html)
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
        var out = Data("window.FOLIO_SEARCH = ".utf8)
        out.reserveCapacity(json.count + 64)
        let escaped = Array("\\u003c".utf8)
        for byte in json { if byte == 60 { out.append(contentsOf: escaped) } else { out.append(byte) } }
        out.append(contentsOf: Array(";\n".utf8))
        return out
    }

    /// Text content of an HTML fragment: tags, placeholders and heading self-links dropped, the five
    /// entities HTML.escape writes decoded, white space folded. One pass over the bytes.
    static func stripTags(_ html: String) -> String {
        let b = Array(html.utf8)
        var out = [UInt8]()
        out.reserveCapacity(b.count / 2)
        var i = 0
        var lastSpace = true
        let anchor = Array("<a class=\"anchor\"".utf8)
        func space() { if !lastSpace { out.append(32); lastSpace = true } }
        while i < b.count {
            let c = b[i]
            if c == 0xEE && i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0x80 || b[i + 2] == 0x82) {
                // A placeholder: skip to its closing U+E001 / U+E003.
                i += 3
                while i + 2 < b.count && !(b[i] == 0xEE && b[i + 1] == 0x80 && (b[i + 2] == 0x81 || b[i + 2] == 0x83)) { i += 1 }
                i += 3
                continue
            }
            if c == 60 {  // <
                if b.count - i >= anchor.count && Array(b[i..<(i + anchor.count)]) == anchor {
                    while i + 3 < b.count && !(b[i] == 60 && b[i + 1] == 47 && b[i + 2] == 97 && b[i + 3] == 62) { i += 1 }
                    i += 4
                    continue
                }
                while i < b.count && b[i] != 62 { i += 1 }
                i += 1
                space()
                continue
            }
            if c == 38 {  // &
                let entities: [([UInt8], UInt8)] = [(Array("&amp;".utf8), 38), (Array("&lt;".utf8), 60), (Array("&gt;".utf8), 62),
                                                     (Array("&quot;".utf8), 34), (Array("&#39;".utf8), 39)]
                if let (e, ch) = entities.first(where: { e, _ in b.count - i >= e.count && Array(b[i..<(i + e.count)]) == e }) {
                    out.append(ch); lastSpace = false; i += e.count
                    continue
                }
            }
            if c == 32 || c == 10 || c == 9 || c == 13 { space(); i += 1; continue }
            out.append(c)
            lastSpace = false
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
