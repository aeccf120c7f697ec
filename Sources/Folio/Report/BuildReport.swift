import Foundation

/// The JSON written by `--report FILE`: a public interface (documented in the guide, docs/guide/the-report.md), so fields
/// are only ever added, never renamed.
public struct BuildReport: Codable, Sendable {
    public var version = 1
    /// True when every notebook built, ran and kept its claims.
    public var ok: Bool
    public var seconds: Double
    public var notebooks: [NotebookReport]

    public struct NotebookReport: Codable, Sendable {
        /// The `.md` path as given on the command line.
        public var source: String
        /// The page, relative to the site root (empty when no page was made).
        public var page: String
        /// `ok`, `failed` (ran, but an error or failed claim) or `error` (could not be built).
        public var status: String
        public var executed: Bool
        public var seconds: Double
        public var checks: Checks
        public var cells: [CellReport]
        public var diagnostics: [ReportedDiagnostic]
        /// Present after a re-execution: what changed against the previous run.
        public var drift: OutputDrift?
        /// Whether this build rendered the page (false: the previous page was still current).
        public var rendered: Bool?
        /// The parameter values the run used (absent for a notebook without `params:`).
        public var params: [String: ParameterValue]?
        /// A swept notebook's set (`d=16,seed=1`): one entry per set, with its own page.
        public var set: String?
    }

    /// A diagnostic as the report documents it: the place, the severity, what it is about (so a
    /// reader of the report decides on the kind, never on the message's wording) and the message.
    public struct ReportedDiagnostic: Codable, Sendable {
        public var line: Int
        public var column: Int
        public var severity: Diagnostic.Severity
        public var kind: Diagnostic.Kind
        public var message: String

        init(_ d: Diagnostic) {
            line = d.line
            column = d.column
            severity = d.severity
            kind = d.kind
            message = d.message
        }
    }

    public struct Checks: Codable, Sendable {
        public var passed: Int
        public var failed: Int
    }

    public struct CellReport: Codable, Sendable {
        public var line: Int
        public var language: String
        public var status: String
        public var outputs: [CellOutput]
    }

    public static func notebook(_ run: ExecutedNotebook) -> NotebookReport {
        let nb = run.notebook
        let cells = zip(nb.cells, run.cells).map { cell, result in
            CellReport(line: cell.line, language: cell.language.name, status: result.status.rawValue, outputs: result.outputs)
        }
        return NotebookReport(source: nb.path, page: nb.pagePath, status: run.failed ? "failed" : "ok",
                              executed: run.executed, seconds: (run.seconds * 1000).rounded() / 1000,
                              checks: Checks(passed: run.claimsPassed, failed: run.claimsFailed),
                              cells: cells, diagnostics: run.diagnostics.map(ReportedDiagnostic.init),
                              drift: run.drift, rendered: run.rendered,
                              params: nb.frontMatter.params.isEmpty ? nil : Dictionary(uniqueKeysWithValues: nb.frontMatter.params.map { ($0.name, $0.value) }),
                              set: nb.sweepSet?.label)
    }

    /// A page no notebook made (the index, a theme's template) with a broken link.
    static func sitePage(_ d: Diagnostic) -> NotebookReport {
        NotebookReport(source: d.file, page: "", status: d.severity == .error ? "failed" : "ok", executed: false, seconds: 0,
                       checks: Checks(passed: 0, failed: 0), cells: [], diagnostics: [ReportedDiagnostic(d)], drift: nil, rendered: false,
                       params: nil, set: nil)
    }

    public static func failedNotebook(source: String, error: FolioError) -> NotebookReport {
        NotebookReport(source: source, page: "", status: "error", executed: false, seconds: 0,
                       checks: Checks(passed: 0, failed: 0), cells: [], diagnostics: [ReportedDiagnostic(error.diagnostic)], drift: nil, rendered: false,
                       params: nil, set: nil)
    }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }
}
