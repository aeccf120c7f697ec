import Foundation

/// Reads swiftc's `-diagnostic-style llvm` output: `FILE:LINE:COL: severity: message` lines.
/// Only diagnostics in the notebook's own lines are kept; those in Folio's generated glue are
/// dropped unless they are errors (which would be Folio's bug, and are reported as such).
enum CompilerDiagnostics {
    static func parse(_ output: String, notebook: Notebook) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var seen = Set<String>()
        for line in output.split(separator: "\n") {
            guard let d = parseLine(line) else { continue }
            // Scratch-work warnings (unused values) are noise in a notebook.
            if d.severity == .warning && noise.contains(where: { d.message.contains($0) }) { continue }
            if d.file == notebook.path {
                guard seen.insert("\(d.line):\(d.column):\(d.severity):\(d.message)").inserted else { continue }
                result.append(d)
            } else if d.severity == .error {
                let shown = "\(d.file):\(d.line):\(d.column): \(d.message)"
                guard seen.insert(shown).inserted else { continue }
                result.append(Diagnostic(file: notebook.path, line: 0, severity: .error, kind: .compile,
                                         message: "in code Folio generated around the cells: \(shown)"))
            }
        }
        return result
    }

    /// Diagnostics of a compilation of plain Swift files (the project's shared code), each at its
    /// own file (named by `shownAs`) and line.
    static func parse(_ output: String, shownAs: (String) -> String) -> [Diagnostic] {
        var seen = Set<String>()
        return output.split(separator: "\n").compactMap { line -> Diagnostic? in
            guard var d = parseLine(line), d.severity != .note else { return nil }
            d.file = shownAs(d.file)
            return seen.insert(d.description).inserted ? d : nil
        }
    }

    // The last: Swift 6 globals are marked `nonisolated(unsafe)` by Folio, needed or not.
    static let noise = ["was never used", "was never mutated", "is unused", "never read", "'nonisolated(unsafe)' is unnecessary"]

    /// Splits from the right, since the file name may itself contain colons.
    static func parseLine(_ line: Substring) -> Diagnostic? {
        for severity in [Diagnostic.Severity.error, .warning, .note] {
            let marker = ": \(severity.rawValue): "
            guard let r = line.range(of: marker) else { continue }
            let place = line[..<r.lowerBound]
            let parts = place.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 3, let l = Int(parts[parts.count - 2]), let c = Int(parts[parts.count - 1]) else { continue }
            let file = parts.dropLast(2).joined(separator: ":")
            return Diagnostic(file: file, line: l, column: c, severity: severity, kind: .compile, message: String(line[r.upperBound...]))
        }
        return nil
    }
}

/// Reads the JSON crash report Swift's backtracer writes (`SWIFT_BACKTRACE=…,format=json`) and
/// finds the deepest frame of the crashed thread that lies in the notebook.
enum CrashReport {
    struct Report: Decodable {
        struct Thread: Decodable { var crashed: Bool?; var frames: [Frame]? }
        struct Frame: Decodable { var sourceLocation: Location? }
        struct Location: Decodable { var file: String?; var line: Int? }
        var threads: [Thread]?
    }

    static func location(in url: URL, notebook: Notebook) -> Int? {
        let notebookPath = notebook.path
        guard let data = try? Data(contentsOf: url), let report = try? JSONDecoder().decode(Report.self, from: data) else { return nil }
        let thread = report.threads?.first { $0.crashed == true } ?? report.threads?.first
        // The backtracer makes relative `#sourceLocation` paths absolute.
        let absolute = notebook.file.path
        for frame in thread?.frames ?? [] {
            if let loc = frame.sourceLocation, let file = loc.file, file == notebookPath || file == absolute,
               let line = loc.line, line > 0 { return line }
        }
        return nil
    }
}
