import Foundation

/// What the editor asks of a notebook beyond its diagnostics: completion, navigation, symbols,
/// hovers. Each reads the document's text (for the token under the cursor) and the analysis of
/// the whole project (for what the token names).
struct LanguageFeatures {
    let workspace: Workspace
    let analysis: Workspace.Analysis
    let document: TextDocument
    let file: URL

    var notebook: Notebook? { analysis.notebook(at: file) }

    // MARK: - What is under the cursor

    /// Characters of a label or a citation key.
    static func isKeyCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || "_-:./".contains(c)
    }

    /// The `@word` the position is in, with its range; nil when it is in none.
    func atWord(at p: LSP.Position) -> (word: String, range: LSP.Range, citation: Bool)? {
        let line = Array(document.line(p.line))
        let column = utf16ToCharacterIndex(line, p.character)
        var start = column
        while start > 0, Self.isKeyCharacter(line[start - 1]) { start -= 1 }
        guard start > 0, line[start - 1] == "@" else { return nil }
        var end = column
        while end < line.count, Self.isKeyCharacter(line[end]) { end += 1 }
        var word = String(line[start..<end])
        while let last = word.last, ".:".contains(last) { word.removeLast(); end -= 1 }   // sentence punctuation
        guard !word.isEmpty else { return nil }
        // `[@key]`, `[see @key, p. 3; @other]`: inside brackets it is a citation.
        let before = line[..<(start - 1)]
        let citation = (before.lastIndex(of: "[").map { open in !before[open...].contains("]") } ?? false)
        let range = LSP.Range(start: LSP.Position(line: p.line, character: utf16Offset(line, start - 1)),
                              end: LSP.Position(line: p.line, character: utf16Offset(line, end)))
        return (word, range, citation)
    }

    private func utf16ToCharacterIndex(_ line: [Character], _ utf16: Int) -> Int {
        var units = 0
        for (i, c) in line.enumerated() {
            if units >= utf16 { return i }
            units += c.utf16.count
        }
        return line.count
    }

    private func utf16Offset(_ line: [Character], _ index: Int) -> Int {
        line[..<min(index, line.count)].reduce(0) { $0 + $1.utf16.count }
    }

    // MARK: - Places

    /// A whole line of `file` (1-based `line`) as a location; the document's own text when open.
    func location(_ target: URL, line: Int, in documents: [URL: TextDocument]) -> LSP.Location {
        let l = max(0, line - 1)
        let length = documents[target]?.utf16Length(ofLine: l) ?? Self.diskLine(target, l).utf16.count
        return LSP.Location(uri: DocumentURI.of(target), range: LSP.Range(start: LSP.Position(line: l, character: 0), end: LSP.Position(line: l, character: length)))
    }

    static func diskLine(_ file: URL, _ n: Int) -> Substring {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(n).first ?? ""
    }

    /// The text of a notebook: the open document's, else the file's.
    static func text(of file: URL, _ documents: [URL: TextDocument]) -> String {
        documents[file]?.text ?? (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    // MARK: - Definition

    func definition(at p: LSP.Position, documents: [URL: TextDocument]) -> [LSP.Location] {
        let line = String(document.line(p.line))
        if let embed = Self.embedTarget(line), let nb = notebook {
            let target = RunLibrary.resolve(embed.notebook, from: nb)
            let url = URL(fileURLWithPath: target)
            if let label = embed.label, let t = analysis.book.targets[label] { return [location(workspace.file(named: t.notebook), line: t.line, in: documents)] }
            return [location(url, line: 1, in: documents)]
        }
        if let imported = Self.importTarget(line), let nb = notebook {
            let url = URL(fileURLWithPath: RunLibrary.resolve(imported.notebook, from: nb))
            let text = Self.text(of: url, documents)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let exportLine = imported.name.flatMap { name in lines.firstIndex { $0.contains("export(\"\(name)\"") } }
            return [location(url, line: (exportLine ?? 0) + 1, in: documents)]
        }
        guard let (word, _, citation) = atWord(at: p) else { return [] }
        if !citation, let t = analysis.book.targets[word] {
            return [location(workspace.file(named: t.notebook), line: t.line, in: documents)]
        }
        if let place = bibliographyPlace(of: word, documents: documents) { return [place] }
        if let t = analysis.book.targets[word] { return [location(workspace.file(named: t.notebook), line: t.line, in: documents)] }
        return []
    }

    /// Where a citation key's BibTeX entry is: a ```` ```bibtex ```` block of this notebook, or
    /// its bibliography file.
    func bibliographyPlace(of key: String, documents: [URL: TextDocument]) -> LSP.Location? {
        guard let nb = notebook, nb.bibliography[key] != nil else { return nil }
        let pattern = "{\(key),"
        for n in 0..<document.lineCount where document.line(n).contains(pattern) && document.line(n).contains("@") {
            return location(file, line: n + 1, in: documents)
        }
        if let bib = nb.frontMatter.bibliography {
            let url = bib.hasPrefix("/") ? URL(fileURLWithPath: bib) : nb.file.deletingLastPathComponent().appendingPathComponent(bib).standardizedFileURL
            let lines = Self.text(of: url, documents).split(separator: "\n", omittingEmptySubsequences: false)
            if let n = lines.firstIndex(where: { $0.contains(pattern) }) { return location(url, line: n + 1, in: documents) }
        }
        return nil
    }

    /// `{{< embed other.md#fig-x >}}` on a line: the notebook and the label.
    static func embedTarget(_ line: String) -> (notebook: String, label: String?)? {
        guard let open = line.range(of: "{{<"), let close = line.range(of: ">}}", range: open.upperBound..<line.endIndex) else { return nil }
        let inner = line[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("embed ") else { return nil }
        let target = inner.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let parts = target.split(separator: "#", maxSplits: 1)
        guard let first = parts.first else { return nil }
        return (String(first), parts.count > 1 ? String(parts[1]) : nil)
    }

    /// `imported("other.md", "name", as: …)` on a line: the notebook and the name.
    static func importTarget(_ line: String) -> (notebook: String, name: String?)? {
        guard let call = line.range(of: "imported(\"") else { return nil }
        let rest = line[call.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let notebook = String(rest[..<end])
        let after = rest[rest.index(after: end)...].drop { $0 == "," || $0 == " " }
        var name: String?
        if after.first == "\"", let close = after.dropFirst().firstIndex(of: "\"") { name = String(after[after.index(after: after.startIndex)..<close]) }
        return (notebook, name)
    }

    // MARK: - References

    /// Every `@label` of the project that names the label under the cursor, and (when asked)
    /// the labelled place itself.
    func references(at p: LSP.Position, includeDeclaration: Bool, documents: [URL: TextDocument]) -> [LSP.Location] {
        let label: String
        if let (word, _, citation) = atWord(at: p), !citation { label = word }
        else if let own = labelDeclared(onLine: p.line + 1) { label = own }
        else { return [] }
        var out: [LSP.Location] = []
        if includeDeclaration, let t = analysis.book.targets[label] { out.append(location(workspace.file(named: t.notebook), line: t.line, in: documents)) }
        var seen = Set<String>()
        for nb in analysis.notebooks where seen.insert(nb.file.path).inserted {
            let lines = Self.text(of: nb.file, documents).split(separator: "\n", omittingEmptySubsequences: false)
            for r in nb.references where r.label == label && !r.inLink {
                let n = r.line - 1
                guard n >= 0 && n < lines.count else { continue }
                let text = String(lines[n])
                var from = text.startIndex
                while let hit = text.range(of: "@" + label, range: from..<text.endIndex) {
                    from = hit.upperBound
                    if hit.upperBound < text.endIndex, Self.isKeyCharacter(text[hit.upperBound]), !".:".contains(text[hit.upperBound]) { continue }
                    let start = text[..<hit.lowerBound].utf16.count, end = text[..<hit.upperBound].utf16.count
                    out.append(LSP.Location(uri: DocumentURI.of(nb.file), range: LSP.Range(start: LSP.Position(line: n, character: start), end: LSP.Position(line: n, character: end))))
                }
            }
        }
        return out
    }

    /// The label a cell option, a statement fence, a table caption or an equation on this line
    /// (1-based) declares.
    func labelDeclared(onLine line: Int) -> String? {
        analysis.book.targets.values.first { $0.line == line && workspace.file(named: $0.notebook).path == file.path }?.label
    }

    // MARK: - Symbols

    func symbols() -> [LSP.DocumentSymbol] {
        guard let nb = notebook else { return [] }
        func range(_ line: Int) -> LSP.Range {
            let l = max(0, line - 1)
            return LSP.Range(start: LSP.Position(line: l, character: 0), end: LSP.Position(line: l, character: document.utf16Length(ofLine: l)))
        }
        var items: [(line: Int, level: Int, symbol: LSP.DocumentSymbol)] = []
        for h in nb.headings {
            items.append((h.line, h.level, LSP.DocumentSymbol(name: h.text, detail: "h\(h.level)", kind: 3, range: range(h.line), selectionRange: range(h.line))))
        }
        for cell in nb.cells {
            guard let label = cell.options.label else { continue }
            let detail = [analysis.book.targets[label]?.text, cell.options.caption].compactMap { $0 }.joined(separator: ": ")
            items.append((cell.line, 99, LSP.DocumentSymbol(name: label, detail: detail, kind: label.hasPrefix("tbl-") ? 18 : 19,
                                                             range: range(cell.line), selectionRange: range(cell.line))))
        }
        for s in nb.statements {
            let detail = [analysis.book.targets[s.label]?.text, s.title].compactMap { $0 }.joined(separator: ": ")
            items.append((s.line, 99, LSP.DocumentSymbol(name: s.label, detail: detail, kind: 5, range: range(s.line), selectionRange: range(s.line))))
        }
        for span in nb.math { if let label = span.label {
            items.append((span.line, 99, LSP.DocumentSymbol(name: label, detail: analysis.book.targets[label]?.text, kind: 14, range: range(span.line), selectionRange: range(span.line))))
        } }
        for t in nb.tables {
            items.append((t.line, 99, LSP.DocumentSymbol(name: t.label, detail: analysis.book.targets[t.label]?.text, kind: 18, range: range(t.line), selectionRange: range(t.line))))
        }
        items.sort { $0.line < $1.line }
        // Nest: each item under the nearest heading above it of a lower level.
        var roots: [LSP.DocumentSymbol] = []
        var stack: [(level: Int, symbol: LSP.DocumentSymbol)] = []
        func close(to level: Int) {
            while let top = stack.last, top.level >= level {
                stack.removeLast()
                if stack.isEmpty { roots.append(top.symbol) } else { stack[stack.count - 1].symbol.children = (stack[stack.count - 1].symbol.children ?? []) + [top.symbol] }
            }
        }
        for item in items {
            close(to: item.level)
            if item.level == 99 {
                if stack.isEmpty { roots.append(item.symbol) } else { stack[stack.count - 1].symbol.children = (stack[stack.count - 1].symbol.children ?? []) + [item.symbol] }
            } else {
                stack.append((item.level, item.symbol))
            }
        }
        close(to: 0)
        // A heading's range runs to its last child, so the child's range lies inside it.
        func widen(_ s: inout LSP.DocumentSymbol) {
            guard var children = s.children else { return }
            for i in children.indices { widen(&children[i]) }
            s.children = children
            if let last = children.last, last.range.end > s.range.end { s.range.end = last.range.end }
        }
        for i in roots.indices { widen(&roots[i]) }
        return roots
    }

    // MARK: - Hover

    /// The prose of statement `n` of `nb`, as plain text (formulas as their TeX).
    static func statementText(_ nb: Notebook, _ n: Int) -> String {
        var inside = false, depth = 0
        var parts: [String] = []
        for block in nb.blocks {
            switch block {
            case .statementStart(let k) where !inside && k == n: inside = true
            case .statementStart where inside: depth += 1
            case .statementEnd where inside:
                if depth == 0 { return parts.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines) }
                depth -= 1
            case .prose(let html) where inside:
                parts.append(HTML.plainText(Placeholder.replace(in: html) { token in
                    token.kind == .math && nb.math.indices.contains(token.index) ? HTML.escape("$" + nb.math[token.index].tex + "$") : ""
                }))
            default: break
            }
        }
        return parts.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func hover(at p: LSP.Position) -> LSP.Hover? {
        guard let (word, range, citation) = atWord(at: p) else { return nil }
        if !citation, let t = analysis.book.targets[word] {
            var text = "**\(t.text)**" + (t.notebookTitle.isEmpty ? "" : " — \(t.notebookTitle)")
            if let source = analysis.notebooks.first(where: { $0.path == t.notebook }) {
                if let cell = source.cells.first(where: { $0.options.label == word }), let caption = cell.options.caption { text += "\n\n" + caption }
                if let n = source.statements.firstIndex(where: { $0.label == word }) {
                    if let title = source.statements[n].title { text += "\n\n*" + title + "*" }
                    let body = Self.statementText(source, n)
                    if !body.isEmpty { text += "\n\n" + (body.count > 600 ? String(body.prefix(600)) + "…" : body) }
                }
                if let span = source.math.first(where: { $0.label == word }) { text += "\n\n$$\n\(span.tex)\n$$" }
                if let table = source.tables.first(where: { $0.label == word }) { text += "\n\n" + HTML.plainText(table.captionHTML) }
            }
            return LSP.Hover(contents: LSP.MarkupContent(value: text), range: range)
        }
        if let nb = notebook, let e = nb.bibliography[word] {
            var text = "**\(e.shortAuthors) \(e.year)**"
            if let title = e["title"] { text += "\n\n*\(title)*" }
            if let venue = e["journal"] ?? e["booktitle"] ?? e["publisher"] { text += "\n\n" + venue }
            return LSP.Hover(contents: LSP.MarkupContent(value: text), range: range)
        }
        return nil
    }
}
