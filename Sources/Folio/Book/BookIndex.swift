import Foundation

/// What a label names, by its prefix: `fig-`, `tbl-`, `eq-`, `sec-`, or a statement's.
public enum LabelKind: Codable, Sendable, Equatable, Hashable {
    case figure, table, equation, section
    case statement(StatementKind)

    public init?(label: String) {
        if let kind = StatementKind(label: label) { self = .statement(kind); return }
        let prefixes: [(String, LabelKind)] = [("fig-", .figure), ("tbl-", .table), ("eq-", .equation), ("sec-", .section)]
        guard let (_, kind) = prefixes.first(where: { label.hasPrefix($0.0) && label.count > $0.0.count }) else { return nil }
        self = kind
    }

    /// What a reference calls it: "Figure", "Theorem".
    public var name: String {
        switch self {
        case .figure: "Figure"
        case .table: "Table"
        case .equation: "Equation"
        case .section: "Section"
        case .statement(let kind): kind.title
        }
    }

    /// Every prefix a label may start with (`@thm-x` is a reference, `@x-y` is not).
    static let prefixes = ["fig-", "tbl-", "eq-", "sec-"] + StatementKind.allCases.map { $0.rawValue + "-" }
}

/// The numbers one notebook's page shows: figures, tables, equations and each statement kind
/// counted in document order, sections by their place among the headings; with chapter numbers
/// (`number-sections: true`) each is prefixed by the notebook's chapter, "3.2".
public struct Numbering: Sendable {
    /// The notebook's chapter, when the project numbers them.
    public var chapter: Int?
    /// Label (or heading id) → its number, "2" or "3.2".
    public var numbers: [String: String] = [:]
    public var kinds: [String: LabelKind] = [:]
    /// The `.md` line each label is defined at.
    var lines: [String: Int] = [:]
    /// Labels defined twice in this notebook, with both lines.
    var repeated: [(label: String, first: Int, again: Int)] = []

    public init(_ nb: Notebook, chapter: Int? = nil) {
        self.chapter = chapter
        var counters: [LabelKind: Int] = [:]
        func number(_ label: String, _ kind: LabelKind, line: Int) {
            if let first = lines[label] {
                repeated.append((label, first, line))
                return
            }
            counters[kind, default: 0] += 1
            numbers[label] = prefixed(String(counters[kind]!))
            kinds[label] = kind
            lines[label] = line
        }
        // Figures and tables in document order, a Markdown table counted among the cells' tables.
        for block in nb.blocks {
            switch block {
            case .cell(let cell):
                if let label = cell.options.label, let kind = LabelKind(label: label), kind == .figure || kind == .table {
                    number(label, kind, line: cell.line)
                }
            case .tableStart(let n): number(nb.tables[n].label, .table, line: nb.tables[n].line)
            default: continue
            }
        }
        for m in nb.math { if let label = m.label { number(label, .equation, line: m.line) } }
        for s in nb.statements { number(s.label, .statement(s.kind), line: s.line) }
        var depths = [0, 0, 0]
        for h in nb.headings where h.level >= 2 && h.level <= 4 {
            let depth = h.level - 2
            depths[depth] += 1
            for d in (depth + 1)..<3 { depths[d] = 0 }
            numbers[h.id] = prefixed(depths[0...depth].map(String.init).joined(separator: "."))
            kinds[h.id] = .section
            if h.id.hasPrefix("sec-") { lines[h.id] = h.line }
        }
    }

    func prefixed(_ n: String) -> String { chapter.map { "\($0).\(n)" } ?? n }

    /// "Figure 3.2", "Equation (3.4)", "Section 3.1", "Theorem 2".
    public func text(for label: String) -> String? {
        guard let n = numbers[label], let kind = kinds[label] else { return nil }
        return kind == .equation ? "Equation (\(n))" : "\(kind.name) \(n)"
    }
}

/// Every label of the build's notebooks, where it is and what number it shows: a reference in any
/// notebook resolves here, so `@fig-x` links to the right page with the right number.
public struct BookIndex: Sendable {
    public struct Target: Sendable, Equatable {
        public var label: String
        /// The defining notebook's path (as messages name it) and page.
        public var notebook: String
        public var pagePath: String
        public var notebookTitle: String
        public var text: String
        public var line: Int
    }

    public private(set) var targets: [String: Target] = [:]
    /// By notebook path.
    public private(set) var numberings: [String: Numbering] = [:]
    /// Whether notebooks are numbered as chapters (`number-sections: true`).
    public private(set) var chapters = false
    /// Duplicate and unknown labels, by the notebook they are reported in.
    public private(set) var diagnostics: [String: [Diagnostic]] = [:]

    public init() {}

    /// `notebooks`: every run of the build (a sweep's sets share their notebook's labels, so one
    /// path counts once); `chapterOrder`: the listed notebooks' paths in reading order, when the
    /// project numbers chapters.
    public init(_ notebooks: [Notebook], chapterOrder: [String]?) {
        chapters = chapterOrder != nil
        let chapterOf = Dictionary((chapterOrder ?? []).enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for nb in notebooks where seen.insert(nb.path).inserted {
            let numbering = Numbering(nb, chapter: chapterOrder == nil ? nil : chapterOf[nb.path])
            numberings[nb.path] = numbering
            for (label, first, again) in numbering.repeated {
                report(nb.path, Diagnostic(file: nb.path, line: again, severity: .error, kind: .source,
                                           message: "label `\(label)` is defined twice; it was first defined at line \(first): give each a label of its own"))
                report(nb.path, Diagnostic(file: nb.path, line: first, severity: .error, kind: .source,
                                           message: "label `\(label)` is defined again at line \(again): give each a label of its own"))
            }
            for (label, line) in numbering.lines.sorted(by: { $0.value < $1.value }) {
                if let other = targets[label] {
                    report(nb.path, Diagnostic(file: nb.path, line: line, severity: .error, kind: .source,
                                               message: "label `\(label)` is already defined in \(other.notebook):\(other.line); labels are unique across the project"))
                    report(other.notebook, Diagnostic(file: other.notebook, line: other.line, severity: .error, kind: .source,
                                                      message: "label `\(label)` is defined again in \(nb.path):\(line); labels are unique across the project"))
                    continue
                }
                targets[label] = Target(label: label, notebook: nb.path, pagePath: nb.pagePath, notebookTitle: nb.title,
                                        text: numbering.text(for: label) ?? label, line: line)
            }
        }
        seen = []
        for nb in notebooks where seen.insert(nb.path).inserted {
            let own = numberings[nb.path]
            for r in nb.references where !r.inLink && targets[r.label] == nil && own?.numbers[r.label] == nil {
                report(nb.path, Diagnostic(file: nb.path, line: r.line, severity: .warning,
                                           message: "unknown cross-reference `@\(r.label)`; label a figure or table (`//| label:`), an equation (`{#eq-…}`), a heading (`{#sec-…}`) or a statement (`::: {#thm-…}`) in one of the project's notebooks"))
            }
        }
    }

    mutating func report(_ notebook: String, _ d: Diagnostic) {
        diagnostics[notebook, default: []].append(d)
    }

    /// The numbering of `nb`'s page (computed on the spot for a notebook the index has not seen).
    public func numbering(of nb: Notebook) -> Numbering {
        numberings[nb.path] ?? Numbering(nb)
    }

    /// Where `@label` in `nb` links and what it says; nil for an unknown label.
    public func resolve(_ label: String, from nb: Notebook) -> (href: String, text: String)? {
        if let target = targets[label], target.notebook != nb.path {
            let href = PageRenderer.rootPrefix(nb.pagePath) + target.pagePath + "#" + label
            // Without chapter numbers "Figure 2" is ambiguous across pages: the page says whose.
            return (href, chapters ? target.text : "\(target.text) of \(target.notebookTitle)")
        }
        guard let text = numbering(of: nb).text(for: label) else { return nil }
        return ("#" + label, text)
    }
}
