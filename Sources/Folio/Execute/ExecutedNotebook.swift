import FolioWire

/// Stage 2's result: the notebook plus what running it produced, cell by cell.
public struct ExecutedNotebook: Codable, Sendable {
    public var notebook: Notebook
    /// One result per cell of `notebook.cells`, in the same order.
    public var cells: [CellResult]
    /// Compile errors, crashes, failed claims and parse warnings, each at its `.md` line.
    public var diagnostics: [Diagnostic]
    /// False when the outputs came from the cache (or nothing needed to run).
    public var executed: Bool
    /// Wall-clock seconds spent compiling and running.
    public var seconds: Double
    /// Inline `{swift}` values, by their index in the prose.
    public var inlineValues: [String]
    /// After a re-execution: what changed against the previous run (nil: no previous run, or cached).
    public var drift: OutputDrift?
    /// The execution cache key the outputs belong to (nil: not cached).
    public var cacheKey: String?
    /// Set when cells ran from a preview kernel's snapshot rather than from a clean process.
    public var snapshotRun: SnapshotRun?
    /// Whether the page was rendered by this build (false: the previous page was still current).
    public var rendered = true

    public init(notebook: Notebook, cells: [CellResult], diagnostics: [Diagnostic], executed: Bool, seconds: Double, inlineValues: [String] = []) {
        self.notebook = notebook
        self.cells = cells
        self.diagnostics = diagnostics
        self.executed = executed
        self.seconds = seconds
        self.inlineValues = inlineValues
    }

    /// Whether the notebook failed: an error diagnostic, or a failed claim.
    public var failed: Bool { diagnostics.contains { $0.severity == .error } }

    /// Claims made by the notebook's cells.
    public var claims: [Claim] { sweep?.claims ?? cells.flatMap { $0.outputs.compactMap(\.claim) } }
    /// For a swept notebook's summary page: its sets' runs and their claims taken together.
    public var sweep: SweepSummary?

    /// What the notebook exported for others (`export("name", value)`): name → JSON, the last
    /// export of a name winning.
    public var exports: [String: String] {
        var values: [String: String] = [:]
        for cell in cells { for case .exported(let name, let json) in cell.outputs { values[name] = json } }
        return values
    }

    public var claimsPassed: Int { claims.filter(\.passed).count }
    public var claimsFailed: Int { claims.filter { !$0.passed }.count }

    /// A notebook that was not run: every cell is marked skipped (or shown only, for non-Swift).
    public static func unexecuted(_ notebook: Notebook) -> ExecutedNotebook {
        ExecutedNotebook(notebook: notebook,
                         cells: notebook.cells.map { _ in CellResult(status: .skipped) },
                         diagnostics: notebook.warnings, executed: false, seconds: 0)
    }
}

/// What happened to one cell.
public struct CellResult: Codable, Equatable, Sendable {
    /// `ok`: ran; `error`: failed (compile error, crash, timeout); `not-run`: a cell before it
    /// failed; `skipped`: not meant to run (`eval: false`, not Swift, or execution off).
    public enum Status: String, Codable, Sendable {
        case ok, error
        case notRun = "not-run"
        case skipped
    }

    public var status: Status
    public var outputs: [CellOutput]
    public var seconds: Double?

    public init(status: Status, outputs: [CellOutput] = [], seconds: Double? = nil) {
        self.status = status
        self.outputs = outputs
        self.seconds = seconds
    }
}

/// One output of a cell, in the order the cell produced it. Each kind carries exactly what it
/// needs, so a claim output without its claim cannot be built; the renderer switches over it.
/// A new output kind is a case here, its JSON below, and a branch in `PageRenderer.renderOutput`.
public enum CellOutput: Equatable, Sendable {
    /// Printed text (stdout and stderr).
    case text(String)
    /// A shown value, as text.
    case value(String)
    /// A figure.
    case svg(String)
    /// Rich HTML (a table, a custom display).
    case html(String)
    case claim(Claim)
    /// An error shown under its cell, at its `.md` line when known.
    case error(String, line: Int?)
    /// A named number (`record("name", x)`), for a sweep's summary.
    case recorded(name: String, value: Double)
    /// A value for other notebooks (`export("name", value)`), as JSON.
    case exported(name: String, json: String)

    /// The kinds as the report names them.
    public enum Kind: String, Codable, Sendable { case text, value, svg, html, claim, error, recorded, exported }

    public var kind: Kind {
        switch self {
        case .text: .text
        case .value: .value
        case .svg: .svg
        case .html: .html
        case .claim: .claim
        case .error: .error
        case .recorded: .recorded
        case .exported: .exported
        }
    }

    /// Plain text: printed text, a value's description, an error message, a claim's text, the
    /// words of an HTML output, `[figure]` for a plot.
    public var text: String {
        switch self {
        case .text(let s), .value(let s), .error(let s, _): s
        case .svg: "[figure]"
        case .html(let html): HTML.plainText(html)
        case .claim(let c): c.text
        case .recorded(let name, let value): "\(name) = \(value)"
        case .exported(let name, let json): "\(name) = \(json)"
        }
    }

    public var claim: Claim? {
        if case .claim(let c) = self { return c }
        return nil
    }

    /// The `.md` line this output is tied to, when known (errors, claims).
    public var line: Int? {
        switch self {
        case .claim(let c): c.line
        case .error(_, let line): line
        default: nil
        }
    }

    /// The same output with its line moved by `delta` (cached outputs follow their cell).
    public func shifted(by delta: Int) -> CellOutput {
        switch self {
        case .claim(var c):
            c.line += delta
            return .claim(c)
        case .error(let message, let line?): return .error(message, line: line + delta)
        default: return self
        }
    }
}

extension CellOutput: Codable {
    // The report's documented shape: `kind`, `text`, and `html`, `claim`, `line` where they apply.
    enum CodingKeys: String, CodingKey { case kind, text, html, claim, line, name, value, json }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(text, forKey: .text)
        switch self {
        case .svg(let html), .html(let html): try c.encode(html, forKey: .html)
        case .claim(let claim): try c.encode(claim, forKey: .claim)
        case .recorded(let name, let value):
            try c.encode(name, forKey: .name)
            try c.encode(value, forKey: .value)
        case .exported(let name, let json):
            try c.encode(name, forKey: .name)
            try c.encode(json, forKey: .json)
        default: break
        }
        try c.encodeIfPresent(line, forKey: .line)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .text)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .text: self = .text(text)
        case .value: self = .value(text)
        case .svg: self = .svg(try c.decode(String.self, forKey: .html))
        case .html: self = .html(try c.decode(String.self, forKey: .html))
        case .claim: self = .claim(try c.decode(Claim.self, forKey: .claim))
        case .error: self = .error(text, line: try c.decodeIfPresent(Int.self, forKey: .line))
        case .recorded: self = .recorded(name: try c.decode(String.self, forKey: .name), value: try c.decode(Double.self, forKey: .value))
        case .exported: self = .exported(name: try c.decode(String.self, forKey: .name), json: try c.decode(String.self, forKey: .json))
        }
    }
}

/// A `check`/`expect` made by a notebook; the type is the wire format's (`FolioWire`), so what
/// the runtime records is exactly what the engine reads, caches and reports.
public typealias Claim = FolioWire.Claim
