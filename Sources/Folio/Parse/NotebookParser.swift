import Foundation

/// Stage 1: `.md` bytes → `Notebook`. Front matter (Yams), math lifted out (ProseScanner),
/// Markdown (cmark-gfm), cells and their options.
public enum NotebookParser {
    /// Reads and parses the notebook at `url`. `path` is how messages name it.
    /// `defaults`: a project's front matter, which the notebook's own overrides key by key.
    public static func parse(fileAt url: URL, path: String, relativePath: String, defaults: FrontMatter = FrontMatter()) throws -> Notebook {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FolioError(file: path, "cannot read the file: \((error as NSError).localizedDescription)")
        }
        return try parse(data: data, path: path, file: url, relativePath: relativePath, defaults: defaults)
    }

    /// Parses notebook bytes. Throws a `FolioError` naming the file and line for input that cannot
    /// be a notebook (not UTF-8, malformed front matter).
    public static func parse(data: Data, path: String, file: URL? = nil, relativePath: String, defaults: FrontMatter = FrontMatter()) throws -> Notebook {
        guard let decoded = String(validating: data, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(data)
            throw FolioError(file: path, line: line, column: column,
                             "the file is not valid UTF-8; save it as UTF-8 text")
        }
        return try parse(text: decoded, path: path, file: file, relativePath: relativePath, defaults: defaults)
    }

    /// `file`: where the notebook is (nil: `path` as is), for its images, data and bibliography.
    public static func parse(text original: String, path: String, file: URL? = nil, relativePath: String, defaults: FrontMatter = FrontMatter()) throws -> Notebook {
        // Private-use characters U+E000–U+E003 are Folio's placeholders; a notebook cannot forge them.
        var text = Placeholder.replacingReserved(original)
        if text.containsUTF8Byte(0) { text = text.replacingOccurrences(of: "\0", with: "\u{FFFD}") }
        text = normalizingLoneCarriageReturns(text)
        var warnings: [Diagnostic] = []
        let split = FrontMatterReader.split(text)
        var frontMatter = defaults
        if let yaml = split.yaml {
            frontMatter = try FrontMatterReader.read(yaml, firstLine: split.yamlLine, file: path, base: defaults, warnings: &warnings)
        }
        let scanned = ProseScanner.scan(String(split.body), firstLine: split.bodyLine)
        let doc = CMarkDocument.parse(scanned.text, originals: scanned.originals)

        var blocks: [Notebook.Block] = []
        var cellIndex = 0
        var statements: [Statement] = [], embeds: [Embed] = []
        var open: [Int] = []  // statements whose closing fence is still to come
        for piece in doc.pieces {
            switch piece {
            case .html(let html):
                blocks.append(.prose(html))
            case .heading(let n):
                var h = doc.headings[n]
                h.line = scanned.originalLine(h.line)
                blocks.append(.heading(h))
            case .calloutStart(let kind):
                blocks.append(.calloutStart(kind))
            case .calloutEnd:
                blocks.append(.calloutEnd)
            case .directive(let n) where n < scanned.directives.count:
                switch scanned.directives[n] {
                case .statementStart(let statement):
                    open.append(statements.count)
                    blocks.append(.statementStart(statements.count))
                    statements.append(statement)
                case .statementEnd:
                    guard open.popLast() != nil else { continue }
                    blocks.append(.statementEnd)
                case .embed(let embed):
                    blocks.append(.embed(embeds.count))
                    embeds.append(embed)
                }
            case .directive:
                continue
            case .tableStart(let n):
                blocks.append(.tableStart(n))
            case .tableEnd:
                blocks.append(.tableEnd)
            case .fence(let info, let literal, let fenceLine):
                let line = scanned.originalLine(fenceLine) + 1
                var language = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
                if language.hasPrefix("{") && language.hasSuffix("}") { language = String(language.dropFirst().dropLast()) }
                let (options, code, optionLines) = CellOptionParser.parse(literal, firstLine: line, file: path, warnings: &warnings)
                for s in open { statements[s].cells.append(cellIndex) }
                blocks.append(.cell(Cell(index: cellIndex, language: CellLanguage(name: language), code: code,
                                         options: options, line: line, codeLine: line + optionLines)))
                cellIndex += 1
            }
        }
        for s in open.reversed() {
            warnings.append(Diagnostic(file: path, line: statements[s].line, severity: .warning,
                                       message: "statement `\(statements[s].label)` is never closed; end it with a line `:::` (it runs to the end of the notebook)"))
            blocks.append(.statementEnd)
        }
        // Placeholders in prose carry lines of the scanned text; map them to the `.md`.
        let headings = doc.headings.map { h -> Heading in
            var h = h
            h.line = scanned.originalLine(h.line)
            return h
        }
        var nb = Notebook(path: path, file: file, relativePath: relativePath, frontMatter: frontMatter, blocks: blocks,
                          headings: headings, math: scanned.spans, warnings: warnings)
        nb.citations = scanned.citations
        nb.references = scanned.references
        nb.inlineExpressions = scanned.inlineExpressions
        nb.statements = statements
        nb.embeds = embeds
        nb.tables = doc.tables.map { var t = $0; t.line = scanned.originalLine(t.line); return t }
        nb.imports = ImportedValue.requests(in: nb.cells, file: path, warnings: &nb.warnings)
        nb.links = doc.links.map { Notebook.Link(url: $0.url, line: scanned.originalLine($0.line)) }
        try checkImages(doc.images.map { ($0.path, scanned.originalLine($0.line)) }, &nb)
        try loadBibliography(&nb)
        checkReferences(&nb, skipping: doc.restoredTokens)
        return nb
    }

    /// A `\r` not followed by `\n` ends a line for CommonMark (and cmark) but not for Folio's own
    /// line counting; turning it into `\n` keeps every stage's line numbers the same.
    static func normalizingLoneCarriageReturns(_ text: String) -> String {
        guard text.containsUTF8Byte(13) else { return text }
        var out = Array(text.utf8)
        for i in out.indices where out[i] == 13 && (i + 1 == out.count || out[i + 1] != 10) { out[i] = 10 }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a (standardised) file URL lies below the notebook's root folder (the folder being built).
    static func isInside(_ url: URL, _ nb: Notebook) -> Bool {
        url.standardizedFileURL.path.hasPrefix(nb.rootFolder.path + "/")
    }

    /// Local images are copied beside their page, so they must stay inside the folder being built:
    /// a notebook cannot publish `../../etc/passwd`. One that climbs out is an error of its
    /// notebook (shown on the page, the build exits 1), never a reason to stop the other pages.
    static func checkImages(_ images: [(String, Int)], _ nb: inout Notebook) throws {
        let folder = nb.file.deletingLastPathComponent()
        for (raw, line) in images {
            let path = raw.removingPercentEncoding ?? raw
            let url = folder.appendingPathComponent(path).standardizedFileURL
            guard isInside(url, nb), nb.sitePath(ofImage: path) != nil else {
                nb.warnings.append(Diagnostic(file: nb.path, line: line, severity: .error,
                                              message: "image `\(raw)` is outside the folder being built (\(nb.rootFolder.path)); keep images inside it, or use a `/`-rooted or full URL"))
                continue
            }
            if !FileManager.default.fileExists(atPath: url.path) {
                nb.warnings.append(Diagnostic(file: nb.path, line: line, severity: .warning, message: "image `\(raw)` does not exist"))
                continue
            }
            nb.images.append(path)
        }
    }

    /// Reads the front matter's `bibliography:` file and the notebook's ```` ```bibtex ```` blocks.
    static func loadBibliography(_ nb: inout Notebook) throws {
        var entries: [BibEntry] = []
        if let bib = nb.frontMatter.bibliography {
            let line = nb.frontMatter.keyLines["bibliography"] ?? 0
            let url = bib.hasPrefix("/") ? URL(fileURLWithPath: bib)
                : nb.file.deletingLastPathComponent().appendingPathComponent(bib).standardizedFileURL
            // A project's default bibliography (an absolute path by now) is the project's own file.
            guard isInside(url, nb) || (bib.hasPrefix("/") && nb.frontMatter.keyLines["bibliography"] == nil) else {
                throw FolioError(file: nb.path, line: line, "bibliography `\(bib)` is outside the folder being built (\(nb.rootFolder.path)); keep it beside the notebooks")
            }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw FolioError(file: nb.path, line: line, "cannot read the bibliography `\(bib)` (looked for \(url.path))")
            }
            do {
                entries += try BibTeXParser.parse(text)
            } catch let e as BibTeXParser.ParseError {
                throw FolioError(file: url.path, line: e.line, "malformed BibTeX: \(e.message)")
            }
        }
        for cell in nb.cells where cell.language == .bibtex {
            do {
                entries += try BibTeXParser.parse(cell.code, firstLine: cell.codeLine)
            } catch let e as BibTeXParser.ParseError {
                throw FolioError(file: nb.path, line: e.line, "malformed BibTeX: \(e.message)")
            }
        }
        for e in entries { nb.bibliography[e.key] = e }
    }

    /// Unknown citation keys are warnings at their line.
    /// `skipping`: tokens that stood in a link destination and so are part of a URL, not references.
    static func checkReferences(_ nb: inout Notebook, skipping restored: Set<Placeholder.Token> = []) {
        for (n, c) in nb.citations.enumerated() where !restored.contains(.init(.citation, n)) {
            for item in c.items where nb.bibliography[item.key] == nil {
                nb.warnings.append(Diagnostic(file: nb.path, line: c.line, severity: .warning,
                                              message: "unknown citation key `\(item.key)`; add it to the bibliography"))
            }
        }
        // Cross-references are checked against the whole build's labels (`BookIndex`); one that
        // stood in a URL is not a reference.
        for n in nb.references.indices where restored.contains(.init(.reference, n)) { nb.references[n].inLink = true }
    }

    /// Line and column (1-based) of the first byte that breaks UTF-8, for the error message.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int) {
        let bytes = [UInt8](data)
        var line = 1, column = 1, i = 0
        while i < bytes.count {
            let b = bytes[i]
            var need = 0
            if b < 0x80 { need = 0 } else if b & 0xE0 == 0xC0 && b >= 0xC2 { need = 1 }
            else if b & 0xF0 == 0xE0 { need = 2 } else if b & 0xF8 == 0xF0 && b <= 0xF4 { need = 3 }
            else { return (line, column) }
            if i + need >= bytes.count + (need == 0 ? 1 : 0) && need > 0 { return (line, column) }
            for k in 0..<need where i + 1 + k >= bytes.count || bytes[i + 1 + k] & 0xC0 != 0x80 {
                return (line, column)
            }
            if b == 10 { line += 1; column = 1 } else { column += 1 }
            i += need + 1
        }
        return (line, column)
    }
}
