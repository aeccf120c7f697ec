/// A message about a notebook, pinned to a place in its `.md` file.
///
/// Printed compiler-style (`notebooks/x.md:12:5: error: …`) so editors and CI annotate the line.
public struct Diagnostic: Codable, Equatable, Sendable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Codable, Sendable { case error, warning, note }

    /// The notebook's path as the user named it.
    public var file: String
    /// 1-based line in the `.md` file (0 when the message is about the file as a whole).
    public var line: Int
    /// 1-based column, 0 when unknown.
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int, column: Int = 0, severity: Severity, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if line > 0 && column > 0 { place += ":\(column)" }
        return "\(place): \(severity.rawValue): \(message)"
    }

    enum CodingKeys: String, CodingKey { case line, column, severity, message }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = ""
        line = try c.decode(Int.self, forKey: .line)
        column = try c.decode(Int.self, forKey: .column)
        severity = try c.decode(Severity.self, forKey: .severity)
        message = try c.decode(String.self, forKey: .message)
    }
}

/// An error that stops one notebook (or the whole build), carrying the place it is about.
public struct FolioError: Error, CustomStringConvertible, Sendable {
    public var diagnostic: Diagnostic

    public init(file: String, line: Int = 0, column: Int = 0, _ message: String) {
        diagnostic = Diagnostic(file: file, line: line, column: column, severity: .error, message: message)
    }

    public var description: String { diagnostic.description }
}
