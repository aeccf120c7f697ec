import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The in-band channel from a running notebook to Folio.
///
/// Records travel on stdout, interleaved with whatever the cells print, so their order is the
/// order things happened. Each record is `RS FOLIO:<nonce>:<kind> <length>\n<payload>`, where RS is
/// U+001E and the nonce comes from `FOLIO_NONCE` (a cell cannot forge a record by printing one).
/// stdout is flushed before every record, and set to line buffering at start, so output printed
/// just before a crash is not lost.
public enum Channel {
    static let nonce: String = ProcessInfo.processInfo.environment["FOLIO_NONCE"] ?? ""
    nonisolated(unsafe) static var started = false

    /// Called once by the generated program before the first cell.
    public static func start() {
        guard !started else { return }
        started = true
        setvbuf(stdout, nil, _IOLBF, 0)
    }

    /// Writes one record. Outside Folio (no nonce) records are printed as plain text instead.
    public static func send(_ kind: String, _ payload: String = "") {
        if nonce.isEmpty {
            if !payload.isEmpty && kind != "cell" { print(payload) }
            return
        }
        var bytes = Array(payload.utf8)
        let header = "\u{1E}FOLIO:\(nonce):\(kind) \(bytes.count)\n"
        fflush(stdout)
        bytes.insert(contentsOf: Array(header.utf8), at: 0)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}

/// Generated code calls these; they are public only so the notebook program can see them.
public enum _Notebook {
    /// Marks the start of cell `index` (0-based among the notebook's cells).
    public static func cell(_ index: Int) {
        Channel.start()
        Channel.send("cell", String(index))
    }

    /// Marks the end of the program: every cell ran.
    public static func end() {
        Channel.send("end")
    }

    /// Shows the value of a cell's trailing expression.
    public static func show<T>(_ value: T) {
        display(value)
    }

    /// The value of an inline `` `{swift} expr` `` in prose, as the text spliced into the sentence.
    public static func inline<T>(_ index: Int, _ value: T) {
        let text: String
        if let d = value as? NotebookDisplayable, case .text(let t) = d.notebookDisplay { text = t }
        else { text = String(describing: value) }
        Channel.send("inline", "\(index)\n\(text)")
    }

    /// A trailing expression of type `Void` (a call, an assignment) shows nothing.
    public static func show(_ value: Void) {}

    /// Reports an error that escaped every cell, then ends the program like an uncaught error would.
    public static func uncaught(_ error: Error, line: Int = #line) -> Never {
        Channel.send("error", "uncaught error: \(String(reflecting: error))")
        exit(1)
    }
}
