import Foundation
@_spi(Fuzzing) import Folio

/// What each libFuzzer target feeds its input to, and the properties it checks beyond "does not
/// crash". A property that fails calls `fatalError`, which libFuzzer reports as a crash and saves
/// the input under `.build/fuzz/crashes/`. The same functions replay the committed corpus in
/// `swift test` (FuzzCorpusTests), so every input that once crashed stays a regression test.
public enum FuzzTargets {
    public static let all: [String: (Data) -> Void] = [
        "front-matter": frontMatter,
        "cell-options": cellOptions,
        "prose-scanner": proseScanner,
        "markdown": markdown,
    ]

    static let file = "fuzz.md"

    /// Front matter: the split into YAML and body, then the Yams-backed reader.
    public static func frontMatter(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let split = FrontMatterReader.split(text)
        require(text.hasSuffix(split.body), "the body must be the end of the file")
        guard let yaml = split.yaml else {
            require(split.bodyLine == 1, "without front matter the body starts on line 1")
            return
        }
        require(split.bodyLine > split.yamlLine, "the body must start after the front matter")
        let yamlLines = yaml.utf8.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        var warnings: [Diagnostic] = []
        do {
            _ = try FrontMatterReader.read(yaml, firstLine: split.yamlLine, file: file, warnings: &warnings)
        } catch let error as FolioError {
            requireLine(error.diagnostic.line, from: split.yamlLine, count: yamlLines, "front matter error `\(error)`")
        } catch {
            fatalError("front matter reader threw \(type(of: error)), not a FolioError: \(error)")
        }
        for w in warnings { requireLine(w.line, from: split.yamlLine, count: yamlLines, "front matter warning") }
    }

    /// Cell options: `//|` lines at the top of a cell; warnings at their lines, code after them.
    public static func cellOptions(_ data: Data) {
        let literal = String(decoding: data, as: UTF8.self)
        var warnings: [Diagnostic] = []
        let (options, code, optionLines) = CellOptionParser.parse(literal, firstLine: 10, file: file, warnings: &warnings)
        for w in warnings { requireLine(w.line, from: 10, count: optionLines, "cell option warning") }
        if let first = code.split(separator: "\n", omittingEmptySubsequences: false).first {
            require(!first.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("//|"), "an option line was left in the code")
        }
        if let t = options.timeout { require(t > 0 && t.isFinite, "timeout must be positive and finite") }
        require(literal.hasSuffix(code) || literal.hasSuffix(code + "\n"), "the code must be the end of the cell")
    }

    /// Prose scanner: placeholders for formulas, citations, references and inline values, and the
    /// line map that puts everything after them back on its `.md` line.
    public static func proseScanner(_ data: Data) {
        let source = String(decoding: data, as: UTF8.self)
        let sourceLines = source.utf8.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        let result = ProseScanner.scan(source, firstLine: 1)
        let textLines = result.text.utf8.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        require(result.lineMap.count >= textLines, "every scanned line needs an .md line (\(result.lineMap.count) < \(textLines))")
        var previous = 0
        for line in result.lineMap {
            require(line >= previous && line >= 1 && line <= sourceLines, "line map must rise within the file: \(result.lineMap)")
            previous = line
        }
        for span in result.spans {
            require(span.line >= 1 && span.line <= sourceLines, "formula line \(span.line) outside the file")
            require(span.tex.isEmpty || source.contains(span.tex), "a formula's TeX must come from the source: \(Array(span.tex.unicodeScalars))")
        }
    }

    /// The whole Markdown → HTML path of one page: parse, then render without execution (and
    /// export the prose as Markdown). Nothing the notebook says may become script, and every
    /// error names a line of the file.
    public static func markdown(_ data: Data) {
        // Lines as CommonMark counts them: `\n`, `\r\n` and a lone `\r` each end one.
        let lines = 1 + data.indices.filter { data[$0] == 10 || (data[$0] == 13 && (data.index(after: $0) == data.endIndex || data[data.index(after: $0)] != 10)) }.count
        let notebook: Notebook
        do {
            notebook = try NotebookParser.parse(data: data, path: file, relativePath: file)
        } catch let error as FolioError {
            requireLine(error.diagnostic.line, from: 1, count: lines, "parse error")
            return
        } catch {
            fatalError("parser threw \(type(of: error)), not a FolioError: \(error)")
        }
        for w in notebook.warnings { requireLine(w.line, from: 1, count: lines, "parse warning") }
        let context = SiteContext(entries: [.init(title: notebook.title, pagePath: notebook.pagePath, group: "")],
                                  mathInBrowser: true)
        let page = PageRenderer(context: context, math: MathRenderer.Typeset()).render(.unexecuted(notebook))
        guard let start = page.html.range(of: "<article>"), let end = page.html.range(of: "</article>", options: .backwards) else {
            fatalError("a page without its article")
        }
        if let problem = ScriptFinder.firstScript(in: Array(page.html.utf8[start.upperBound..<end.lowerBound])) {
            fatalError("fuzz property failed: notebook text became script: \(problem)")
        }
        // `folio export` writes the same prose back as Markdown, for pandoc and for Jupyter.
        for flavour in [MarkdownFlavour.pandoc, .jupyter] { _ = ExportedNotebook.of(.unexecuted(notebook), context: context, flavour: flavour) }
    }

    // MARK: - Properties

    static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz property failed: \(message())") }
    }

    /// A diagnostic must point into the file (line 0 means "the whole file" and is allowed).
    static func requireLine(_ line: Int, from first: Int, count: Int, _ what: String) {
        require(line == 0 || (line >= first && line < first + max(count, 1)),
                "\(what) at line \(line), outside lines \(first)..<\(first + max(count, 1))")
    }
}

/// Runs a target over files and folders given on the command line, the way libFuzzer would run one
/// input; used by the fuzz executables when built without `-sanitize=fuzzer`.
public enum FuzzReplay {
    public static func run(_ target: (Data) -> Void, arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        var count = 0
        for argument in arguments {
            let url = URL(fileURLWithPath: argument)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("no such file or folder: \(argument)\n".utf8))
                exit(2)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? []).sorted { $0.path < $1.path }
                : [url]
            for file in files {
                guard let data = try? Data(contentsOf: file) else { continue }
                target(data)
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }
}

/// Reads HTML the way a browser's tokenizer splits it into tags (HTML Standard §13.2.5, data, tag
/// name, attribute and comment states) and reports the first thing that could run script: an
/// element that runs or swallows text (`script`, `iframe`, …), an `on…` attribute, or a URL
/// attribute whose value, once entities and blanks are removed, is a `javascript:` URL.
enum ScriptFinder {
    static let elements: Set<String> = ["script", "iframe", "object", "embed", "style", "textarea", "title",
                                        "plaintext", "xmp", "noembed", "noframes", "base", "meta", "frame"]
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"]

    static func firstScript(in b: [UInt8]) -> String? {
        func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 12 || c == 13 }
        func isLetter(_ c: UInt8) -> Bool { (c | 32) >= 97 && (c | 32) <= 122 }
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "<"), i + 1 < b.count else { i += 1; continue }
            if b[i + 1] == UInt8(ascii: "!") {  // comment or doctype: to the next `-->` or `>`
                let isComment = i + 3 < b.count && b[i + 2] == 45 && b[i + 3] == 45
                var j = i + 2
                while j < b.count && !(b[j] == 62 && (!isComment || (j >= i + 6 && b[j - 1] == 45 && b[j - 2] == 45))) { j += 1 }
                i = j + 1
                continue
            }
            let closing = b[i + 1] == UInt8(ascii: "/")
            var j = i + (closing ? 2 : 1)
            guard j < b.count, isLetter(b[j]) else { i += 1; continue }
            var name: [UInt8] = []
            while j < b.count && !isSpace(b[j]) && b[j] != 47 && b[j] != 62 { name.append(lower(b[j])); j += 1 }
            let tag = String(decoding: name, as: UTF8.self)
            if !closing && elements.contains(tag) { return "a <\(tag)> element" }
            // Attributes, to the `>` that ends the tag.
            while j < b.count && b[j] != 62 {
                if isSpace(b[j]) || b[j] == 47 { j += 1; continue }
                var attribute: [UInt8] = [lower(b[j])]
                j += 1
                while j < b.count && !isSpace(b[j]) && b[j] != 47 && b[j] != 62 && b[j] != 61 { attribute.append(lower(b[j])); j += 1 }
                while j < b.count && isSpace(b[j]) { j += 1 }
                var value: [UInt8] = []
                if j < b.count && b[j] == 61 {
                    j += 1
                    while j < b.count && isSpace(b[j]) { j += 1 }
                    if j < b.count && (b[j] == 34 || b[j] == 39) {
                        let quote = b[j]
                        j += 1
                        while j < b.count && b[j] != quote { value.append(b[j]); j += 1 }
                        j += 1
                    } else {
                        while j < b.count && !isSpace(b[j]) && b[j] != 62 { value.append(b[j]); j += 1 }
                    }
                }
                let attributeName = String(decoding: attribute, as: UTF8.self)
                if !closing && attributeName.hasPrefix("on") { return "an \(attributeName) attribute on <\(tag)>" }
                if !closing && urlAttributes.contains(attributeName) {
                    let url = String(decoding: decodedURL(value), as: UTF8.self)
                    if url.hasPrefix("javascript:") || url.hasPrefix("vbscript:") || url.hasPrefix("data:text/html") {
                        return "a \(url.prefix(30)) URL in \(attributeName) of <\(tag)>"
                    }
                }
            }
            i = j + 1
        }
        return nil
    }

    /// The value as a browser would resolve its scheme: character references decoded, ASCII
    /// blanks and controls dropped, lowercased.
    static func decodedURL(_ value: [UInt8]) -> [UInt8] {
        let named: [String: UInt8] = ["colon": 58, "tab": 9, "newline": 10, "amp": 38, "lpar": 40, "rpar": 41]
        var out: [UInt8] = []
        var i = 0
        while i < value.count {
            if value[i] == 38, let semicolon = value[i...].prefix(12).firstIndex(of: 59) {
                let body = String(decoding: value[(i + 1)..<semicolon], as: UTF8.self).lowercased()
                var scalar: UInt32?
                if body.hasPrefix("#x") { scalar = UInt32(body.dropFirst(2), radix: 16) }
                else if body.hasPrefix("#") { scalar = UInt32(body.dropFirst()) }
                else if let byte = named[body] { scalar = UInt32(byte) }
                if let scalar, scalar < 128 {
                    out.append(UInt8(scalar))
                    i = semicolon + 1
                    continue
                }
            }
            out.append(value[i])
            i += 1
        }
        return out.filter { $0 > 32 && $0 != 127 }.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }
}
