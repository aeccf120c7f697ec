/// A message about a notebook, pinned to a place in its `.md` file.
///
/// Printed compiler-style (`notebooks/x.md:12:5: error: …`) so editors and CI annotate the line.
public struct Diagnostic: Codable, Equatable, Sendable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Codable, Sendable { case error, warning, note }

    /// What it is about. Decisions (is this a failed claim, may this run be cached) are made on
    /// the kind, never on the wording of the message.
    public enum Kind: String, Codable, Sendable {
        /// The notebook's text: front matter, cell options, images, citations, references.
        case source
        /// A formula KaTeX could not typeset.
        case math
        /// From the Swift compiler (or a notebook that did not compile).
        case compile
        /// A crash, a signal, an uncaught error, an early exit.
        case crash
        /// A cell, the notebook or its compilation ran out of time.
        case timeout
        /// A `check`/`expect` that did not hold.
        case claimFailed
        /// Preview: cells that ran from a kernel's snapshot, not a clean process (a note).
        case snapshotRun
        /// Preview: a clean run gave other outputs than the snapshot run it checked.
        case drift
        /// Not run because something it depends on failed (the project's shared code): the cause
        /// is reported once, at its own place, not under every notebook.
        case dependency
        /// A link of the built site that does not hold (`folio check --links`).
        case link
        /// Folio could not do its own part (no toolchain, a process that could not start): says
        /// nothing about the notebook, so such a run is never cached.
        case engine
    }

    /// The notebook's path as the user named it.
    public var file: String
    /// 1-based line in the `.md` file (0 when the message is about the file as a whole).
    public var line: Int
    /// 1-based column, 0 when unknown.
    public var column: Int
    public var severity: Severity
    public var kind: Kind
    public var message: String

    public init(file: String, line: Int, column: Int = 0, severity: Severity, kind: Kind = .source, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.kind = kind
        self.message = message
    }

    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if line > 0 && column > 0 { place += ":\(column)" }
        return "\(place): \(severity.rawValue): \(message)"
    }

    enum CodingKeys: String, CodingKey { case line, column, severity, kind, message }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = ""
        line = try c.decode(Int.self, forKey: .line)
        column = try c.decode(Int.self, forKey: .column)
        severity = try c.decode(Severity.self, forKey: .severity)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .source
        message = try c.decode(String.self, forKey: .message)
    }
}

/// An error that stops one notebook (or the whole build), carrying the place it is about.
public struct FolioError: Error, CustomStringConvertible, Sendable {
    public var diagnostic: Diagnostic

    public init(file: String, line: Int = 0, column: Int = 0, kind: Diagnostic.Kind = .source, _ message: String) {
        diagnostic = Diagnostic(file: file, line: line, column: column, severity: .error, kind: kind, message: message)
    }

    public init(diagnostic: Diagnostic) { self.diagnostic = diagnostic }

    public var description: String { diagnostic.description }
}
