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
    public var claims: [Claim] { cells.flatMap { $0.outputs.compactMap(\.claim) } }

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

/// One output of a cell, in the order the cell produced it.
public struct CellOutput: Codable, Equatable, Sendable {
    /// The renderer picks how to show each kind.
    public enum Kind: String, Codable, Sendable { case text, value, svg, html, claim, error }

    public var kind: Kind
    /// Plain text: printed text, a value's description, an error message, a claim's text.
    public var text: String
    /// Rich form for `svg` and `html` outputs.
    public var html: String?
    public var claim: Claim?
    /// The `.md` line this output is tied to, when known (errors, claims).
    public var line: Int?

    public init(kind: Kind, text: String, html: String? = nil, claim: Claim? = nil, line: Int? = nil) {
        self.kind = kind
        self.text = text
        self.html = html
        self.claim = claim
        self.line = line
    }
}

/// A `check`/`expect` made by a notebook: what was claimed, and whether it held.
public struct Claim: Codable, Equatable, Sendable {
    public var text: String
    public var passed: Bool
    /// The compared values, for failed numeric claims ("got 0.49, expected 0.5 ± 0.01").
    public var detail: String?
    public var line: Int

    public init(text: String, passed: Bool, detail: String? = nil, line: Int) {
        self.text = text
        self.passed = passed
        self.detail = detail
        self.line = line
    }
}
