import Foundation

/// Stage 1: `.md` bytes → `Notebook`. Front matter (Yams), math lifted out (MathScanner),
/// Markdown (cmark-gfm), cells and their options.
public enum NotebookParser {
    /// Reads and parses the notebook at `url`. `path` is how messages name it.
    public static func parse(fileAt url: URL, path: String, relativePath: String) throws -> Notebook {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FolioError(file: path, "cannot read the file: \((error as NSError).localizedDescription)")
        }
        return try parse(data: data, path: path, relativePath: relativePath)
    }

    /// Parses notebook bytes. Throws a `FolioError` naming the file and line for input that cannot
    /// be a notebook (not UTF-8, malformed front matter).
    public static func parse(data: Data, path: String, relativePath: String) throws -> Notebook {
        guard let decoded = String(validating: data, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(data)
            throw FolioError(file: path, line: line, column: column,
                             "the file is not valid UTF-8; save it as UTF-8 text")
        }
        return try parse(text: decoded, path: path, relativePath: relativePath)
    }

    public static func parse(text original: String, path: String, relativePath: String) throws -> Notebook {
        // Private-use characters U+E000–U+E003 are Folio's placeholders; a notebook cannot forge them.
        var text = original
        if text.unicodeScalars.contains(where: { $0.value >= 0xE000 && $0.value <= 0xE003 }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map {
                $0.value >= 0xE000 && $0.value <= 0xE003 ? "\u{FFFD}" : $0
            }))
        }
        if text.utf8.contains(0) { text = text.replacingOccurrences(of: "\0", with: "\u{FFFD}") }
        var warnings: [Diagnostic] = []
        let split = FrontMatterReader.split(text)
        var frontMatter = FrontMatter()
        if let yaml = split.yaml {
            frontMatter = try FrontMatterReader.read(yaml, firstLine: split.yamlLine, file: path, warnings: &warnings)
        }
        let scanned = MathScanner.scan(String(split.body), firstLine: split.bodyLine)
        let doc = CMarkDocument.parse(scanned.text)

        var blocks: [Notebook.Block] = []
        var cellIndex = 0
        for piece in doc.pieces {
            switch piece {
            case .html(let html):
                blocks.append(.prose(html))
            case .fence(let info, let literal, let fenceLine):
                let line = scanned.originalLine(fenceLine) + 1
                var language = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
                if language.hasPrefix("{") && language.hasSuffix("}") { language = String(language.dropFirst().dropLast()) }
                let (options, code, optionLines) = CellOptionParser.parse(literal, firstLine: line, file: path, warnings: &warnings)
                blocks.append(.cell(Cell(index: cellIndex, language: language.lowercased(), code: code,
                                         options: options, line: line, codeLine: line + optionLines)))
                cellIndex += 1
            }
        }
        let headings = doc.headings.map { h -> Heading in
            var h = h
            h.line = scanned.originalLine(h.line)
            return h
        }
        return Notebook(path: path, relativePath: relativePath, frontMatter: frontMatter, blocks: blocks,
                        headings: headings, math: scanned.spans, warnings: warnings)
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
