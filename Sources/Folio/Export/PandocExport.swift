import Foundation

/// Exported notebooks as one pandoc Markdown document with its figures (`--to markdown`), and as
/// a Word document made from it by Debian's `pandoc` (`--to docx`): Folio writes pandoc's
/// Markdown (formulas as TeX, which pandoc makes native Word equations; tables as pipe tables,
/// which become Word tables; figures as their SVG, which pandoc embeds with a PNG fallback drawn
/// by `rsvg-convert`, captioned and numbered as on the page) and pandoc writes the `.docx`, styled
/// by the project's reference document when folio.yml names one (`docx: {reference: styles.docx}`).
struct PandocExport {
    var notebooks: [ExportedNotebook]
    var title: String
    var author: String?
    /// The document's date: SOURCE_DATE_EPOCH, else the commit's, as for PDFs.
    var date: Date
    var referenceDocument: URL?
    var environment: [String: String]

    static let missingPandoc = "pandoc was not found on PATH; Word export runs it: install Debian's `pandoc` package (`apt install pandoc`)"
    static let missingRSVG = "rsvg-convert was not found on PATH; pandoc draws the figures' PNG fallbacks with it: install Debian's `librsvg2-bin` package (`apt install librsvg2-bin`)"

    /// Writes `file` (whole, or not at all) using `scratch` for pandoc's input, which it removes.
    func write(to file: URL, scratch: URL) throws {
        let path = environment["PATH"]
        guard let pandoc = Executable.onPath("pandoc", path: path) else { throw FolioError(file: file.path, Self.missingPandoc) }
        // pandoc embeds each SVG figure with a PNG fallback (for Word before 2016) that it draws
        // with rsvg-convert; without it the figures would be left out.
        guard Executable.onPath("rsvg-convert", path: path) != nil else { throw FolioError(file: file.path, Self.missingRSVG) }
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeMarkdown(into: scratch, name: "document.md")
        // Without `smart`: quotes and dashes stay as the notebook wrote them, as on the page.
        var arguments = ["--from", "markdown-smart", "--to", "docx", "--output", "document.docx", "--resource-path", ".", "document.md"]
        if let reference = referenceDocument { arguments += ["--reference-doc", reference.path] }
        var env = environment
        // pandoc dates the document and its zip entries from this, so the same inputs give the same bytes.
        env["SOURCE_DATE_EPOCH"] = String(Int(date.timeIntervalSince1970))
        let run = try Subprocess.run(pandoc, arguments: arguments, environment: env, currentDirectory: scratch, timeout: 300, mergeStderr: true)
        guard run.status == 0 else {
            let said = String(decoding: run.stdout, as: UTF8.self).trimmed
            throw FolioError(file: file.path, "pandoc could not write the Word document (exit \(run.status)): \(said.prefix(2000))")
        }
        try AtomicFile.write(try Data(contentsOf: scratch.appendingPathComponent("document.docx")), to: file)
    }

    /// The Markdown as `name` in `folder`, its figures beside it as SVG files.
    func writeMarkdown(into folder: URL, name: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(Data(try markdown(figures: folder).utf8), to: folder.appendingPathComponent(name))
    }

    /// pandoc's Markdown of the whole document; the figures go into `folder` as SVG files.
    func markdown(figures folder: URL) throws -> String {
        var out = "---\n" + "title: \(Self.yamlString(ProseMarkdown.escaped(title)))\n"
        if let author { out += "author: \(Self.yamlString(ProseMarkdown.escaped(author)))\n" }
        out += "date: \(Self.yamlString(Self.dateFormatter.string(from: date)))\n---\n\n"
        var figures = 0
        for nb in notebooks {
            var parts: [String] = []
            for (i, block) in nb.blocks.enumerated() {
                switch block {
                case .markdown(let text) where i == 0 && notebooks.count == 1 && text.hasPrefix("# "):
                    // One notebook: its title is the document's, not a chapter heading under it.
                    parts.append(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().joined())
                case .markdown(let text): parts.append(text)
                case .cell(let cell): parts += try self.cell(cell, figures: &figures, folder: folder)
                }
            }
            out += parts.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n\n"
        }
        return out
    }

    func cell(_ cell: ExportedNotebook.ExportedCell, figures: inout Int, folder: URL) throws -> [String] {
        var parts: [String] = []
        if let code = cell.code { parts.append(ProseMarkdown.fenced(code, language: cell.language)) }
        var captioned = cell.caption == nil
        let caption = [cell.caption, cell.source].compactMap { $0 }.joined(separator: " ")
        let svgs = cell.outputs.filter { $0.kind == .svg }.count
        for output in cell.outputs {
            switch output {
            case .text(let text), .value(let text):
                parts.append(ProseMarkdown.fenced(text, language: ""))
            case .svg(let svg):
                figures += 1
                let name = "figure-\(figures)"
                try Data(Self.standalone(svg).utf8).write(to: folder.appendingPathComponent(name + ".svg"))
                let width = Self.width(ofSVG: svg).map { " width=\($0)px" } ?? ""
                if !captioned && svgs == 1 {
                    // An image alone in its paragraph, with alt text, is a captioned figure in pandoc.
                    let id = cell.label.map { "#\($0)" } ?? ""
                    parts.append("![\(caption)](\(name).svg){\(id)\(width)}")
                    captioned = true
                } else {
                    parts.append("![](\(name).svg){\(width.trimmed)}")
                }
            case .html(let html):
                parts.append(ProseMarkdown(flavour: .pandoc) { _ in "" }.convert(html))
                if !captioned, cell.label.flatMap(LabelKind.init(label:)) == .table, html.contains("<table") {
                    parts.append(": " + caption)  // a pipe table's caption
                    captioned = true
                }
            case .claim(let claim):
                parts.append("**\(claim.exportedStatus):** " + ProseMarkdown.escaped(claim.exportedBody))
            case .error(let message, _):
                parts.append("**error:**\n\n" + ProseMarkdown.fenced(message, language: ""))
            case .recorded, .exported:
                break
            }
        }
        if !captioned { parts.append(caption) }
        return parts
    }

    /// The SVG with its theme variables (`var(--series-1,#0072b2)`) replaced by their fallbacks:
    /// Word and librsvg (which draws the PNG fallback) do not read CSS custom properties, and a
    /// document has no page theme to take them from.
    static func standalone(_ svg: String) -> String {
        var out = ""
        var rest = Substring(svg)
        while let start = rest.range(of: "var(--") {
            out += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let close = after.firstIndex(of: ")"), let comma = after[..<close].firstIndex(of: ",") else {
                out += rest[start]
                rest = after
                continue
            }
            out += after[after.index(after: comma)..<close]
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    /// The `width` of an SVG's root element in CSS pixels, when it gives one.
    static func width(ofSVG svg: String) -> Int? {
        guard let open = svg.range(of: "<svg"), let end = svg[open.upperBound...].firstIndex(of: ">") else { return nil }
        let tag = svg[open.upperBound..<end]
        guard let attribute = tag.range(of: " width=\"") else { return nil }
        let digits = tag[attribute.upperBound...].prefix { $0.isNumber || $0 == "." }
        return Double(digits).map { Int($0.rounded()) }
    }

    static func yamlString(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    static let dateFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "d MMMM yyyy"
        return f
    }()
}
