/// Options written as `//| key: value` lines at the top of a cell (Quarto's convention).
public struct CellOptions: Codable, Equatable, Sendable {
    /// The `//| key:` names a cell may use, with what each does (for messages and completion).
    public static let known: [KeyDescription] = [
        .init(name: "eval", value: "true or false", meaning: "run the cell (false: show its code, do not run it)"),
        .init(name: "echo", value: "true or false", meaning: "show its code (false: only its outputs)"),
        .init(name: "output", value: "true or false", meaning: "show its outputs (claims and errors always show)"),
        .init(name: "error", value: "true or false", meaning: "an error in this cell is expected: shown, not fatal; the notebook goes on without the cell"),
        .init(name: "timeout", value: "seconds", meaning: "how long the cell may run"),
        .init(name: "label", value: "fig-… or tbl-…", meaning: "a numbered figure or table prose references as `@fig-…`"),
        .init(name: "caption", value: "text", meaning: "the figure's or table's caption"),
    ]
    /// Their names, as a message lists them.
    static let knownNames = known.map(\.name).joined(separator: ", ")

    /// Run the cell (`eval: false` shows it without running it).
    public var eval = true
    /// Show the code (`echo: false` hides it, keeping the outputs).
    public var echo = true
    /// Show the outputs.
    public var output = true
    /// An error in this cell is expected: shown, but it does not fail the build.
    public var error = false
    /// Seconds this cell may run before its process group is killed.
    public var timeout: Double?
    /// A label such as `fig-decay` that prose can reference as `@fig-decay`.
    public var label: String?
    /// A figure caption.
    public var caption: String?

    public init() {}

    /// Options that change what the program does, and so belong in the execution cache key.
    public var executionKey: String { "eval=\(eval);error=\(error);timeout=\(timeout.map { String($0) } ?? "-")" }
}

/// What a fence's language means to Folio. A new language that Folio should treat specially
/// becomes a case here; `name` is how the fence, the page's `language-…` class and the report spell it.
public enum CellLanguage: Equatable, Hashable, Sendable, Codable {
    /// Compiled and run, as one program with the notebook's other Swift cells.
    case swift
    /// Bibliography entries for citations: read, never shown.
    case bibtex
    /// Shown, never run (`python`, `text`, … or empty when the fence names none).
    case other(String)

    /// From a fence's first word, lowercased (`{swift}` reads as `swift`).
    public init(name: String) {
        switch name.lowercased() {
        case "swift": self = .swift
        case "bibtex": self = .bibtex
        case let other: self = .other(other)
        }
    }

    public var name: String {
        switch self {
        case .swift: "swift"
        case .bibtex: "bibtex"
        case .other(let name): name
        }
    }

    public init(from decoder: Decoder) throws { self.init(name: try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// A fenced code block in a notebook. Swift cells run; others are only shown.
public struct Cell: Codable, Equatable, Sendable {
    /// Position among the notebook's cells, from 0.
    public var index: Int
    /// The fence's language.
    public var language: CellLanguage
    /// The code without its option lines.
    public var code: String
    public var options: CellOptions
    /// The `.md` line of the first line inside the fence.
    public var line: Int
    /// The `.md` line of the first code line after the option lines.
    public var codeLine: Int

    /// Whether Folio compiles and runs this cell.
    public var isExecutable: Bool { language == .swift && options.eval }

    /// Whether `.md` line `n` is one of this cell's lines (option lines included).
    public func contains(line n: Int) -> Bool {
        n >= line && n < codeLine + max(1, code.split(separator: "\n", omittingEmptySubsequences: false).count)
    }
}

/// Reads the `//| key: value` lines at the top of a cell.
@_spi(Fuzzing) public enum CellOptionParser {
    /// Returns the options and the code that follows them. Bad lines become warnings at their line.
    public static func parse(_ literal: String, firstLine: Int, file: String, warnings: inout [Diagnostic]) -> (CellOptions, code: String, optionLines: Int) {
        var options = CellOptions()
        var lines = literal.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        var count = 0
        for raw in lines {
            let trimmed = raw.drop(while: { $0 == " " || $0 == "\t" })
            guard trimmed.hasPrefix("//|") else { break }
            let line = firstLine + count
            count += 1
            let body = trimmed.dropFirst(3)
            guard let colon = body.firstIndex(of: ":") else {
                warnings.append(Diagnostic(file: file, line: line, severity: .warning,
                                           message: "cell option should read `//| key: value`; this line is ignored"))
                continue
            }
            let key = body[..<colon].trimmingSpaces()
            var value = body[body.index(after: colon)...].trimmingSpaces()
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            func flag() -> Bool? {
                switch value.lowercased() {
                case "true", "yes": return true
                case "false", "no": return false
                default:
                    warnings.append(Diagnostic(file: file, line: line, severity: .warning,
                                               message: "cell option `\(key)` takes true or false, not `\(value)`; ignored"))
                    return nil
                }
            }
            switch key {
            case "eval": if let b = flag() { options.eval = b }
            case "echo": if let b = flag() { options.echo = b }
            case "output": if let b = flag() { options.output = b }
            case "error": if let b = flag() { options.error = b }
            case "timeout":
                if let t = Double(value), t > 0, t.isFinite { options.timeout = t } else {
                    warnings.append(Diagnostic(file: file, line: line, severity: .warning,
                                               message: "cell option `timeout` takes a positive number of seconds, not `\(value)`; ignored"))
                }
            case "label": options.label = value
            case "caption", "fig-cap": options.caption = value
            default:
                warnings.append(Diagnostic(file: file, line: line, severity: .warning,
                                           message: "unknown cell option `\(key)` is ignored (known: \(CellOptions.knownNames))"))
            }
        }
        let code = lines.dropFirst(count).joined(separator: "\n")
        return (options, code, count)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
