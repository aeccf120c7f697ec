import Foundation

/// Completion outside Swift: what the text before the cursor is about decides what is offered.
extension LanguageFeatures {
    /// What the cursor is completing.
    enum CompletionContext: Equatable {
        case label(prefix: String)
        case citation(prefix: String)
        case frontMatterKey(prefix: String)
        case cellOption(prefix: String)
        case embedPath(prefix: String)
        case embedLabel(notebook: String, prefix: String)
        case projectKey(prefix: String)
        /// A key's value, where the key takes one of a few (`paper: a4|letter`).
        case value(choices: [String], prefix: String)
        /// A parameter's name under a `params:` of folio.yml (its own or a profile's).
        case parameterName(prefix: String)
        case none
    }

    /// The values a key takes, where there are few: folio.yml's and the front matter's.
    static let projectValues: [String: [String]] = ["paper": ["a4", "letter"], "freeze": ["auto", "off"], "number-sections": ["true", "false"]]
    static let frontMatterValues: [String: [String]] = ["draft": ["true", "false"], "pdf": ["true", "false"], "optimize": ["true", "false"]]

    /// `key: partial` before the cursor, with the key's choices.
    static func valueContext(_ before: String, _ table: [String: [String]]) -> CompletionContext? {
        guard let colon = before.firstIndex(of: ":") else { return nil }
        let key = before[..<colon].trimmingCharacters(in: .whitespaces)
        guard let choices = table[key] else { return nil }
        return .value(choices: choices, prefix: before[before.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// The key of the nearest line above 0-based `line` that is indented less than `indent`.
    func parentKey(of line: Int, indent: Int) -> String? {
        var n = line - 1
        while n >= 0 {
            let l = document.line(n)
            let own = l.prefix { $0 == " " }.count
            if own < indent, let colon = l.firstIndex(of: ":"), !l.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                return l[..<colon].trimmingCharacters(in: .whitespaces)
            }
            n -= 1
        }
        return nil
    }

    func completionContext(at p: LSP.Position, isProjectFile: Bool) -> CompletionContext {
        let line = document.line(p.line)
        let before = String(line.utf16.prefix(p.character)) ?? String(line)
        if isProjectFile {
            if before.hasPrefix("#") { return .none }
            if let value = Self.valueContext(before, Self.projectValues) { return value }
            guard !before.contains(":") else { return .none }
            let indent = before.prefix { $0 == " " }.count
            if indent == 0 { return .projectKey(prefix: before) }
            return parentKey(of: p.line, indent: indent) == "params" ? .parameterName(prefix: before.trimmingCharacters(in: .whitespaces)) : .none
        }
        if inFrontMatter(line: p.line) {
            if let value = Self.valueContext(before, Self.frontMatterValues), !before.hasPrefix(" ") { return value }
            return before.contains(":") || before.hasPrefix(" ") || before.hasPrefix("-") ? .none : .frontMatterKey(prefix: before)
        }
        let trimmed = before.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("//|"), inSwiftCell(line: p.line) {
            let rest = trimmed.dropFirst(3).drop { $0 == " " }
            return rest.contains(":") ? .none : .cellOption(prefix: String(rest))
        }
        if let open = before.range(of: "{{< embed ", options: .backwards) {
            let target = before[open.upperBound...]
            if let hash = target.firstIndex(of: "#") { return .embedLabel(notebook: String(target[..<hash]), prefix: String(target[target.index(after: hash)...])) }
            return .embedPath(prefix: String(target))
        }
        // `@` and the key characters typed so far, after a character that cannot be in a word.
        var start = before.endIndex
        while start > before.startIndex, Self.isKeyCharacter(before[before.index(before: start)]) { start = before.index(before: start) }
        guard start > before.startIndex, before[before.index(before: start)] == "@" else { return .none }
        let at = before.index(before: start)
        if at > before.startIndex, let c = before[before.index(before: at)].unicodeScalars.first,
           CharacterSet.alphanumerics.contains(c) { return .none }   // an e-mail address
        let prefix = String(before[start...])
        let head = before[..<at]
        if let open = head.lastIndex(of: "["), !head[open...].contains("]") { return .citation(prefix: prefix) }
        return .label(prefix: prefix)
    }

    /// Whether 0-based `line` lies inside the front matter (between a first line `---` and the next).
    func inFrontMatter(line: Int) -> Bool {
        guard document.line(0).trimmingCharacters(in: .whitespaces) == "---", line > 0 else { return false }
        for n in 1..<document.lineCount {
            let l = document.line(n).trimmingCharacters(in: .whitespaces)
            if l == "---" || l == "..." { return line < n }
        }
        return false
    }

    /// Whether 0-based `line` lies inside a fenced ```` ```swift ```` block (its `//|` lines included).
    func inSwiftCell(line: Int) -> Bool {
        swiftCellLines(through: line, options: true).contains(line)
    }

    /// The 0-based lines of Swift code in the document's cells (not their fences or `//|` options).
    func swiftCodeLines() -> Set<Int> {
        swiftCellLines(through: document.lineCount - 1, options: false)
    }

    /// The lines inside ```` ```swift ```` fences up to `last`, in one pass; `options`: with the `//|` lines.
    private func swiftCellLines(through last: Int, options: Bool) -> Set<Int> {
        var lines = Set<Int>()
        var fence: (marker: Substring, swift: Bool)?
        for n in 0..<min(last + 1, document.lineCount) {
            let l = document.line(n).drop { $0 == " " }
            if let f = fence {
                if l.hasPrefix(f.marker) && l.drop(while: { $0 == f.marker.first }).allSatisfy(\.isWhitespace) { fence = nil; continue }
                if f.swift && (options || !l.hasPrefix("//|")) { lines.insert(n) }
            } else if l.hasPrefix("```") || l.hasPrefix("~~~") {
                let marker = l.prefix { $0 == l.first }
                let info = l.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
                fence = (marker, info.hasPrefix("swift") || info.hasPrefix("{swift"))
            }
        }
        return lines
    }

    func completion(at p: LSP.Position, isProjectFile: Bool) -> [LSP.CompletionItem] {
        switch completionContext(at: p, isProjectFile: isProjectFile) {
        case .label(let prefix):
            return labelItems().filter { $0.label.hasPrefix(prefix) }
        case .citation(let prefix):
            guard let nb = notebook else { return [] }
            return nb.bibliography.values.sorted { $0.key < $1.key }.filter { $0.key.hasPrefix(prefix) }.map { e in
                LSP.CompletionItem(label: e.key, kind: 18, detail: "\(e.shortAuthors) \(e.year)", documentation: e["title"])
            }
        case .frontMatterKey(let prefix):
            return FrontMatter.keyDescriptions.sorted { $0.name < $1.name }.filter { $0.name.hasPrefix(prefix) }.map {
                LSP.CompletionItem(label: $0.name, kind: 10, detail: "front matter: \($0.value)", documentation: $0.meaning, insertText: $0.name + ": ")
            }
        case .cellOption(let prefix):
            return CellOptions.known.filter { $0.name.hasPrefix(prefix) }.map {
                LSP.CompletionItem(label: $0.name, kind: 10, detail: "\($0.value): \($0.meaning)", insertText: $0.name + ": ")
            }
        case .projectKey(let prefix):
            return ProjectFile.keyDescriptions.filter { $0.name.hasPrefix(prefix) }.map {
                LSP.CompletionItem(label: $0.name, kind: 10, detail: "folio.yml: \($0.value)", documentation: $0.meaning, insertText: $0.name + ": ")
            }
        case .embedPath(let prefix):
            let folder = file.deletingLastPathComponent()
            return analysis.notebooks.compactMap { nb -> LSP.CompletionItem? in
                guard nb.file.path != file.path else { return nil }
                let relative = Self.relativePath(nb.file, from: folder)
                guard relative.hasPrefix(prefix) else { return nil }
                return LSP.CompletionItem(label: relative, kind: 17, detail: nb.title)
            }
        case .embedLabel(let notebook, let prefix):
            // Beside this file, as the build resolves it (even while this notebook does not parse).
            let target = RunLibrary.key(notebook.hasPrefix("/") ? URL(fileURLWithPath: notebook) : file.deletingLastPathComponent().appendingPathComponent(notebook))
            guard let other = analysis.notebooks.first(where: { RunLibrary.key($0) == target }) else { return [] }
            return other.cells.compactMap { cell -> LSP.CompletionItem? in
                guard let label = cell.options.label, label.hasPrefix(prefix) else { return nil }
                return LSP.CompletionItem(label: label, kind: 18, detail: [analysis.book.targets[label]?.text, cell.options.caption].compactMap { $0 }.joined(separator: ": "))
            }
        case .value(let choices, let prefix):
            return choices.filter { $0.hasPrefix(prefix) }.map { LSP.CompletionItem(label: $0, kind: 12) }
        case .parameterName(let prefix):
            var seen: [String: String] = [:]
            for nb in analysis.notebooks { for p in nb.frontMatter.params where seen[p.name] == nil { seen[p.name] = "\(p.kind.rawValue), \(nb.path)" } }
            return seen.keys.sorted().filter { $0.hasPrefix(prefix) }.map {
                LSP.CompletionItem(label: $0, kind: 6, detail: seen[$0], insertText: $0 + ": ")
            }
        case .none:
            return []
        }
    }

    /// Every label of the project, with its number and caption.
    func labelItems() -> [LSP.CompletionItem] {
        var captions: [String: String] = [:]
        for nb in analysis.notebooks {
            for cell in nb.cells { if let l = cell.options.label, let c = cell.options.caption { captions[l] = c } }
            for s in nb.statements { if let t = s.title { captions[s.label] = t } }
            for t in nb.tables { captions[t.label] = HTML.plainText(t.captionHTML) }
            for m in nb.math { if let l = m.label { captions[l] = m.tex } }
        }
        return analysis.book.targets.values.sorted { $0.label < $1.label }.map { t in
            LSP.CompletionItem(label: t.label, kind: 18, detail: t.text + (t.notebookTitle.isEmpty ? "" : " — \(t.notebookTitle)"),
                               documentation: captions[t.label])
        }
    }

    /// `b.md`, `sub/b.md` or `../b.md`: `target` as a link from `folder` names it.
    static func relativePath(_ target: URL, from folder: URL) -> String {
        let t = target.standardizedFileURL.pathComponents, f = folder.standardizedFileURL.pathComponents
        var common = 0
        while common < min(t.count, f.count) && t[common] == f[common] { common += 1 }
        return (Array(repeating: "..", count: f.count - common) + t[common...]).joined(separator: "/")
    }
}
