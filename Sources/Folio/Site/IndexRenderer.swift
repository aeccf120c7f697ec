import Foundation

/// The site's front page and its search index.
struct IndexRenderer {
    var renderer: PageRenderer

    /// `index.html`: the notebooks grouped by the note they come from (or their folder), each with
    /// its description, tags, date and claim status.
    func render(_ runs: [ExecutedNotebook]) -> Page {
        let theme = renderer.theme
        var body = theme.indexTitle(notebooks: runs.count, claims: runs.reduce(0) { $0 + $1.claims.count }, failed: runs.reduce(0) { $0 + $1.claimsFailed })
        var groups: [(String, [ExecutedNotebook])] = []
        for run in runs {
            let g = Self.group(of: run.notebook)
            if let i = groups.firstIndex(where: { $0.0 == g }) { groups[i].1.append(run) } else { groups.append((g, [run])) }
        }
        for (group, members) in groups {
            if !group.isEmpty || groups.count > 1 {
                let title = group.isEmpty ? "Notebooks" : (group.hasSuffix(".txt") || group.hasSuffix(".md") ? "From note \(group)" : group)
                body += theme.indexGroup(id: CMarkDocument.slug(title).isEmpty ? "group" : "group-" + CMarkDocument.slug(title), title: title)
            }
            body += theme.indexList(members.map(theme.indexEntry))
        }
        return Page(path: "index.html", html: renderer.theme.indexPage(body: body))
    }

    /// Notebooks are grouped by their project section (one listed outside a section: none), else
    /// by their `source` note, else by their folder.
    static func group(of nb: Notebook) -> String {
        if let place = nb.place { return place.section ?? "" }
        if let s = nb.frontMatter.source, !s.isEmpty { return s }
        let parts = nb.relativePath.split(separator: "/")
        return parts.count > 1 ? parts.dropLast().joined(separator: "/") : ""
    }

    /// `search-index.js`: titles, headings and prose text of every page, as a script that sets a
    /// global, so search works offline and from `file://` where `fetch` of JSON is refused.
    /// The JSON is written by hand in one pass (JSONEncoder was a quarter of a large build).
    static func searchIndex(_ runs: [ExecutedNotebook], theme: Theme = Theme(context: SiteContext(entries: [], mathInBrowser: false)),
                            jobs: Int = 1) -> Data {
        // Each page's entry is independent: made `jobs` at a time, then joined in order.
        let entries = Parallel.map(runs, jobs: jobs) { searchEntry($0, theme: theme) }
        var out = [UInt8]()
        out.reserveCapacity(entries.reduce(32) { $0 + $1.count + 1 })
        out += Array("window.FOLIO_SEARCH = [".utf8)
        for (n, entry) in entries.enumerated() {
            if n > 0 { out.append(44) }
            out += entry
        }
        out += Array("];\n".utf8)
        return Data(out)
    }

    /// One page's search entry: its headings, path, text and title, as a JSON object.
    static func searchEntry(_ run: ExecutedNotebook, theme: Theme) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(4096)
        do {
            let nb = run.notebook
            // Up to 20 000 bytes of the page's text, cut at a character boundary.
            // The prose between two cells is one run of text, headings and callout titles included.
            var text = "", run = ""
            for block in nb.blocks + [nil] {
                switch block {
                case .prose(let html)?: run += html
                case .heading(let h)?: run += theme.heading(h)
                case .calloutStart(let kind)?: run += theme.calloutStart(kind)
                case .calloutEnd?: run += theme.calloutEnd
                case .statementStart(let n)?: run += nb.statements[n].kind.title + " " + (nb.statements[n].title ?? "") + " "
                case .tableStart(let n)?: run += nb.tables[n].captionHTML + " "
                case .statementEnd?, .embed?, .tableEnd?: continue
                case .cell?, nil:
                    guard !run.isEmpty else { continue }
                    text += HTML.plainText(run) + " "
                    run = ""
                }
                if text.utf8.count > 20_000 { break }
            }
            if text.utf8.count > 20_000 {
                var cut = text.utf8.index(text.utf8.startIndex, offsetBy: 20_000)
                while cut > text.startIndex && (text.utf8[cut] & 0xC0) == 0x80 { cut = text.utf8.index(before: cut) }
                text = String(decoding: text.utf8[..<cut], as: UTF8.self)
            }
            out += Array("{\"headings\":[".utf8)
            for (i, h) in nb.headings.enumerated() {
                if i > 0 { out.append(44) }
                out.append(91); appendJSONString(h.text, to: &out); out.append(44); appendJSONString(h.id, to: &out); out.append(93)
            }
            out += Array("],\"path\":".utf8); appendJSONString(nb.pagePath, to: &out)
            out += Array(",\"text\":".utf8); appendJSONString(text, to: &out)
            out += Array(",\"title\":".utf8); appendJSONString(nb.title, to: &out)
            out.append(125)
        }
        return out
    }

    /// A JSON string literal; `<` is written as \u003c so the script cannot be closed early.
    static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(34)
        var s = s
        s.withUTF8 { bytes in
            // Copy runs of bytes that need no escape in one go.
            var run = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 32 || b == 34 || b == 92 || b == 60 else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                run = i + 1
                switch b {
                case 34: out.append(92); out.append(34)
                case 92: out.append(92); out.append(92)
                case 10: out.append(92); out.append(110)
                case 13: out.append(92); out.append(114)
                case 9: out.append(92); out.append(116)
                case 60: out.append(contentsOf: "\\u003c".utf8)
                default: out.append(contentsOf: String(format: "\\u%04x", b).utf8)
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
        }
        out.append(34)
    }

}
