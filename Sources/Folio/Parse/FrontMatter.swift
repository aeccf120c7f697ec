import Foundation
import Yams

/// The YAML block between `---` lines at the top of a notebook.
///
/// Fields that change what runs (`imports`, `swift`, `optimize`, `timeout`, `inputs`) are kept
/// apart from those that only change the page, because only the former belong in the execution
/// cache key.
public struct FrontMatter: Codable, Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var tags: [String] = []
    /// Kept as written (`2026-11-23`), so pages show what the author typed.
    public var date: String?
    /// The research note the notebook comes from.
    public var source: String?
    /// Drafts build but are left out of the index.
    public var draft: Bool = false
    /// Extra modules to import into the notebook program.
    public var imports: [String] = []
    /// Swift language mode for the notebook program: 5 (default) or 6.
    public var swiftVersion: Int = 5
    /// Compile the notebook with `-O` instead of `-Onone`.
    public var optimize: Bool = false
    /// Whole-notebook timeout in seconds.
    public var timeout: Double = 600
    /// Globs, relative to the notebook, of files the notebook reads.
    public var inputs: [String] = []
    /// A BibTeX file relative to the notebook (from a project's `defaults:`, relative to `folio.yml`).
    public var bibliography: String?
    /// Import the project's shared Swift module (`swift/`); false keeps the notebook out of it,
    /// so editing the shared code does not re-run it.
    public var shared: Bool = true
    /// Print the page to PDF beside it (as `folio build --pdf` does for every page).
    public var pdf: Bool = false
    /// Typed constants cells read as `params.NAME`.
    public var params: [Parameter] = []
    /// The parameter sets to run the notebook with, one page each plus a summary.
    public var sweep: Sweep?
    /// In how many of a sweep's sets each claim must hold.
    public var claims: ClaimPolicy = .all
    /// The line of each key in the `.md` file, for diagnostics about a value.
    public var keyLines: [String: Int] = [:]

    public init() {}

    /// The keys Folio understands; others are kept out of the page and warned about. Each says
    /// what it takes and means, for the guide's front-matter reference and the editor.
    enum Key: String, CaseIterable {
        case title, description, author, authors, abstract, tags, date, source, draft, bibliography, imports, swift, optimize,
             timeout, inputs, shared, pdf, params, sweep, claims

        var described: KeyDescription {
            switch self {
            case .title: .init(name: rawValue, value: "text", meaning: "the page's title (default: the first heading, else the file name)")
            case .description: .init(name: rawValue, value: "text", meaning: "one sentence, shown under the title, on the index and in `<meta name=\"description\">`")
            case .author: .init(name: rawValue, value: "text", meaning: "shown under the title; a PDF report's author")
            case .authors: .init(name: rawValue, value: "a list of names", meaning: "several authors, shown as `author` is")
            case .abstract: .init(name: rawValue, value: "text", meaning: "a paragraph shown under the title, before the notebook's prose")
            case .tags: .init(name: rawValue, value: "a list", meaning: "words the index shows beside the notebook")
            case .date: .init(name: rawValue, value: "text", meaning: "shown under the title, as written")
            case .source: .init(name: rawValue, value: "text", meaning: "the note the notebook comes from; the index groups notebooks by it")
            case .draft: .init(name: rawValue, value: "true or false", meaning: "a draft is built but left out of the index, the navigation and chapter numbers")
            case .bibliography: .init(name: rawValue, value: "a path", meaning: "a BibTeX file, relative to the notebook, whose entries `[@key]` cites")
            case .imports: .init(name: rawValue, value: "a list of modules", meaning: "modules every cell imports besides Foundation, Compute, Plots and FolioRuntime")
            case .swift: .init(name: rawValue, value: "5 or 6", meaning: "the Swift language mode the cells compile in (default 5)")
            case .optimize: .init(name: rawValue, value: "true or false", meaning: "compile the cells with `-O` instead of `-Onone`")
            case .timeout: .init(name: rawValue, value: "seconds", meaning: "how long the whole notebook may run")
            case .inputs: .init(name: rawValue, value: "a list of globs", meaning: "files, relative to the notebook, whose contents are part of its cache key")
            case .shared: .init(name: rawValue, value: "true or false", meaning: "import the project's shared Swift module (false: editing it does not re-run this notebook)")
            case .pdf: .init(name: rawValue, value: "true or false", meaning: "also print this page to PDF beside it")
            case .params: .init(name: rawValue, value: "a mapping of name: value", meaning: "typed constants cells read as `params.name`; `-P name=value` and profiles set them")
            case .sweep: .init(name: rawValue, value: "a mapping of lists, or a list of sets", meaning: "run the notebook once per set of parameter values, one page each and a summary")
            case .claims: .init(name: rawValue, value: "`all` or a fraction", meaning: "in how many of a sweep's sets each claim must hold")
            }
        }
    }
    static let knownKeys = Set(Key.allCases.map(\.rawValue))
}

/// Splits a notebook into front matter and body, and reads the front matter with Yams.
@_spi(Fuzzing) public enum FrontMatterReader {
    public struct Split {
        public var yaml: String?
        /// The `.md` line the YAML starts on.
        public var yamlLine: Int
        public var body: Substring
        /// The `.md` line the body starts on.
        public var bodyLine: Int
    }

    /// Front matter is recognised only as the very first line `---` and a closing `---` or `...`.
    /// Lines are split on bytes: with `\r\n` endings Swift sees one `Character`, never a `"\n"`.
    public static func split(_ text: String) -> Split {
        let utf8 = text.utf8
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n"),
              var index = utf8.firstIndex(of: 10).map({ utf8.index(after: $0) }) else {
            return Split(yaml: nil, yamlLine: 0, body: Substring(text), bodyLine: 1)
        }
        let yamlStart = index
        var line = 1
        while index < utf8.endIndex {
            line += 1
            let lineEnd = utf8[index...].firstIndex(of: 10) ?? utf8.endIndex
            // The line without trailing spaces, tabs and `\r`.
            var contentEnd = lineEnd
            while contentEnd > index, [32, 9, 13].contains(utf8[utf8.index(before: contentEnd)]) {
                contentEnd = utf8.index(before: contentEnd)
            }
            let content = utf8[index..<contentEnd]
            if content.elementsEqual("---".utf8) || content.elementsEqual("...".utf8) {
                let bodyStart = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
                return Split(yaml: String(text[yamlStart..<index]), yamlLine: 2, body: text[bodyStart...], bodyLine: line + 1)
            }
            index = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
        }
        // No closing line: treat the file as having no front matter rather than swallowing it.
        return Split(yaml: nil, yamlLine: 0, body: Substring(text), bodyLine: 1)
    }

    /// Reads the YAML over `base` (a project's defaults): each key written here replaces the base's.
    public static func read(_ yaml: String, firstLine: Int, file: String, base: FrontMatter = FrontMatter(),
                            warnings: inout [Diagnostic]) throws -> FrontMatter {
        var fm = base
        let lineOffsets = yamlLineOffsets(yaml)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            let (line, problem) = YAMLErrorPlace.describe(error, in: yaml)
            throw FolioError(file: file, line: firstLine + lineOffsets[min(max(0, line - 1), lineOffsets.count - 1)],
                             "front matter is not valid YAML: \(problem); fix the YAML between the `---` lines")
        }
        guard let root = node else { return fm }
        guard case .mapping(let mapping) = root else {
            throw FolioError(file: file, line: firstLine, "front matter must be a mapping of `key: value` lines")
        }
        try apply(mapping, to: &fm, file: file, lineOf: { firstLine + lineOffsets[min(max(0, ($0.mark?.line ?? 1) - 1), lineOffsets.count - 1)] },
                  warnings: &warnings)
        return fm
    }

    /// Sets the keys of `mapping` on `fm`, checking each value; `lineOf` places a node in the file
    /// (a notebook's `.md` or `folio.yml`, whose `defaults:` are front matter too).
    /// `columnOf` places a value's column (0: unknown); `name` says how messages call a key.
    static func apply(_ mapping: Node.Mapping, to fm: inout FrontMatter, file: String, lineOf: (Node) -> Int,
                      columnOf: (Node) -> Int = { _ in 0 }, name: (String) -> String = { "front matter `\($0)`" },
                      warnings: inout [Diagnostic]) throws {
        var sweepNode: (Node, Int)?
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { continue }
            let line = lineOf(keyNode)
            fm.keyLines[key] = line
            func fail(_ expected: String) -> FolioError {
                FolioError(file: file, line: lineOf(value), column: columnOf(value), "\(name(key)) must be \(expected)")
            }
            func string() throws -> String {
                guard case .scalar(let s) = value else { throw fail("a single value") }
                return s.string
            }
            func strings() throws -> [String] {
                switch value {
                case .scalar(let s): return s.string.isEmpty ? [] : [s.string]
                case .sequence(let seq):
                    return try seq.map { item in
                        guard case .scalar(let s) = item else { throw fail("a list of plain values") }
                        return s.string
                    }
                default: throw fail("a list of plain values")
                }
            }
            switch key {
            case "title": fm.title = try string()
            case "description": fm.description = try string()
            case "tags": fm.tags = try strings()
            case "date": fm.date = try string()
            case "source": fm.source = try string()
            case "bibliography": fm.bibliography = try string()
            case "draft":
                guard let b = value.bool else { throw fail("true or false") }
                fm.draft = b
            case "pdf":
                guard let b = value.bool else { throw fail("true or false") }
                fm.pdf = b
            case "params":
                try readParameters(value, into: &fm, file: file, lineOf: lineOf, columnOf: columnOf)
            case "sweep":
                sweepNode = (value, line)  // read once every parameter is known
            case "claims":
                if value.string == "all" { fm.claims = .all; break }
                guard let f = value.float ?? value.int.map(Double.init), f > 0, f <= 1 else {
                    throw fail("`all` or a fraction of the sets such as 0.9")
                }
                fm.claims = f == 1 ? .all : .fraction(f)
            case "shared":
                guard let b = value.bool else { throw fail("true or false") }
                fm.shared = b
            case "optimize":
                guard let b = value.bool else { throw fail("true or false") }
                fm.optimize = b
            case "imports": fm.imports = try strings()
            case "inputs": fm.inputs = try strings()
            case "swift":
                guard let v = value.int, v == 5 || v == 6 else { throw fail("5 or 6 (the Swift language mode)") }
                fm.swiftVersion = v
            case "timeout":
                guard let t = value.float ?? value.int.map(Double.init), t > 0, t.isFinite else {
                    throw fail("a positive number of seconds")
                }
                fm.timeout = t
            default:
                if !FrontMatter.knownKeys.contains(key) {
                    warnings.append(Diagnostic(file: file, line: line, column: columnOf(keyNode), severity: .warning,
                                               message: "unknown \(name(key)) is ignored"))
                }
            }
        }
        if let (node, line) = sweepNode {
            fm.sweep = try readSweep(node, line: line, params: fm.params, file: file, lineOf: lineOf)
        }
    }

    /// `params:` — each `name: value` (type inferred) or `name: {type: Int, value: 64, in: 8...1024}`.
    /// Parameters already set (a project's defaults) are replaced by name; new ones are added.
    static func readParameters(_ node: Node, into fm: inout FrontMatter, file: String, lineOf: (Node) -> Int,
                               columnOf: (Node) -> Int) throws {
        guard case .mapping(let mapping) = node else {
            throw FolioError(file: file, line: lineOf(node), "`params` must be a mapping of parameter names to values")
        }
        for (k, v) in mapping {
            let line = lineOf(k)
            guard let name = k.string, isIdentifier(name) else {
                throw FolioError(file: file, line: line, column: columnOf(k), "a parameter name must be a Swift identifier such as `d` or `epsilon`")
            }
            var kind: Parameter.Kind?
            var valueNode = v
            var lower: Double?, upper: Double?
            if case .mapping(let spec) = v {
                var given: Node?
                for (sk, sv) in spec {
                    switch sk.string {
                    case "type":
                        guard let t = sv.string, let k = Parameter.Kind(rawValue: t) else {
                            throw FolioError(file: file, line: lineOf(sv), column: columnOf(sv),
                                             "parameter `\(name)`: `type` must be one of \(Parameter.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        kind = k
                    case "value": given = sv
                    case "in":
                        let parts = (sv.string ?? "").components(separatedBy: "...")
                        var bounds = parts.count == 2 ? parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } : []
                        if case .sequence(let seq) = sv, seq.count == 2 { bounds = seq.compactMap { $0.float ?? $0.int.map(Double.init) } }
                        guard bounds.count == 2, bounds[0] <= bounds[1] else {
                            throw FolioError(file: file, line: lineOf(sv), column: columnOf(sv), "parameter `\(name)`: `in` must be a range such as 8...1024")
                        }
                        (lower, upper) = (bounds[0], bounds[1])
                    default:
                        throw FolioError(file: file, line: lineOf(sk), column: columnOf(sk),
                                         "parameter `\(name)`: unknown key `\(sk.string ?? "?")`; a parameter has type, value and in")
                    }
                }
                guard let given else { throw FolioError(file: file, line: line, "parameter `\(name)` needs a `value`") }
                valueNode = given
                if kind == nil { kind = ParameterValue.inferKind(given) }
            } else {
                kind = ParameterValue.inferKind(v)
            }
            guard let kind else {
                throw FolioError(file: file, line: lineOf(valueNode), column: columnOf(valueNode),
                                 "parameter `\(name)`: cannot tell its type; give `{type: …, value: …}`")
            }
            guard let value = ParameterValue.from(valueNode, as: kind) else {
                throw FolioError(file: file, line: lineOf(valueNode), column: columnOf(valueNode),
                                 "parameter `\(name)` is declared \(kind.rawValue), and its value is not one")
            }
            let p = Parameter(name: name, kind: kind, value: value, lower: lower, upper: upper, line: line)
            if let problem = p.rangeProblem(value) {
                throw FolioError(file: file, line: lineOf(valueNode), column: columnOf(valueNode), "parameter `\(name)`: \(problem)")
            }
            if let i = fm.params.firstIndex(where: { $0.name == name }) { fm.params[i] = p } else { fm.params.append(p) }
        }
    }

    /// The most sets a sweep may list before it is refused outright (`--max-sets` limits further).
    static let sweepHardLimit = 100_000

    /// `sweep:` — a list of parameter sets, or a mapping of parameters to value lists (their product).
    static func readSweep(_ node: Node, line: Int, params: [Parameter], file: String, lineOf: (Node) -> Int) throws -> Sweep {
        func value(_ name: String, _ v: Node) throws -> Sweep.Assignment {
            guard let p = params.first(where: { $0.name == name }) else {
                throw FolioError(file: file, line: lineOf(v), "sweep: `\(name)` is not a parameter; declare it under `params:`")
            }
            guard let pv = ParameterValue.from(v, as: p.kind) else {
                throw FolioError(file: file, line: lineOf(v), "sweep: a value of `\(name)` is not \(p.kind.article) \(p.kind.rawValue)")
            }
            if let problem = p.rangeProblem(pv) { throw FolioError(file: file, line: lineOf(v), "sweep: `\(name)`: \(problem)") }
            return .init(name: name, value: pv)
        }
        var sets: [[Sweep.Assignment]] = []
        switch node {
        case .sequence(let items):
            for item in items {
                guard case .mapping(let m) = item, !m.isEmpty else {
                    throw FolioError(file: file, line: lineOf(item), "sweep: each set is a mapping such as `{d: 16, seed: 1}`")
                }
                sets.append(try m.map { k, v in try value(k.string ?? "", v) })
            }
        case .mapping(let m):
            var axes: [[Sweep.Assignment]] = []
            for (k, v) in m {
                let name = k.string ?? ""
                let items: [Node]
                if case .sequence(let seq) = v { items = Array(seq) } else { items = [v] }
                guard !items.isEmpty else { throw FolioError(file: file, line: lineOf(v), "sweep: `\(name)` lists no values") }
                axes.append(try items.map { try value(name, $0) })
            }
            let count = axes.reduce(1) { $0 * $1.count }
            guard count <= sweepHardLimit else {
                throw FolioError(file: file, line: line, "sweep: \(count) sets is more than Folio runs (\(sweepHardLimit))")
            }
            sets = axes.reduce([[]]) { partial, axis in partial.flatMap { set in axis.map { set + [$0] } } }
        default:
            throw FolioError(file: file, line: line, "`sweep` must be a list of parameter sets or a mapping of parameters to lists of values")
        }
        guard !sets.isEmpty else { throw FolioError(file: file, line: line, "`sweep` lists no sets") }
        var seen = Set<String>()
        for set in sets where !seen.insert(Sweep.label(set)).inserted {
            throw FolioError(file: file, line: line, "sweep: the set \(Sweep.label(set)) is listed twice")
        }
        return Sweep(sets: sets, line: line)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
        let keywords: Set<String> = ["let", "var", "func", "class", "struct", "enum", "protocol", "extension", "import", "return",
                                     "if", "else", "for", "while", "in", "do", "true", "false", "nil", "self", "Self", "init", "case", "switch", "default", "where", "is", "as"]
        return !keywords.contains(s) && s.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    /// libyaml breaks lines at `\n`, `\r`, `\r\n`, NEL, LS and PS; Folio's lines are `\n`s.
    /// Element `i` is how many `\n`s precede libyaml's line `i + 1`, so its marks land on `.md` lines.
    static func yamlLineOffsets(_ yaml: String) -> [Int] {
        var offsets = [0]
        var newlines = 0
        var previousCR = false
        for scalar in yaml.unicodeScalars {
            switch scalar.value {
            case 0x0A:
                newlines += 1
                if previousCR { offsets[offsets.count - 1] = newlines } else { offsets.append(newlines) }
            case 0x0D, 0x85, 0x2028, 0x2029: offsets.append(newlines)
            default: break
            }
            previousCR = scalar.value == 0x0D
        }
        return offsets
    }
}
