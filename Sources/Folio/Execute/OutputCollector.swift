import Foundation
import FolioWire

/// Reads a running notebook's stdout (stderr merged in) as it arrives: splits it at the runtime's
/// records (`FolioWire.Record`), files text and rich outputs under the cell that made them,
/// knows which cell is running (for per-cell timeouts), and bounds what it keeps.
final class OutputCollector: Subprocess.Monitor {
    /// Text kept per cell and per notebook; the rest is counted and dropped, with a note.
    static let cellTextLimit = 256 << 10
    static let notebookTextLimit = 4 << 20
    /// One rich output (an SVG, an HTML table) and all of them together.
    static let recordLimit = 16 << 20
    static let notebookRecordLimit = 64 << 20

    let prefix: [UInt8]
    let started = Date()
    let notebookTimeout: Double
    let cellTimeouts: [Int: Double]
    let firstCell: Int?

    private(set) var outputs: [Int: [CellOutput]] = [:]
    private(set) var currentCell: Int?
    private(set) var cellStarted = Date()
    private(set) var cellSeconds: [Int: Double] = [:]
    private(set) var ended = false
    private(set) var uncaughtError: String?
    private(set) var droppedText: [Int: Int] = [:]
    /// Inline `{swift}` values by index.
    private(set) var inlineValues: [Int: String] = [:]
    private var textKept: [Int: Int] = [:]
    private var totalText = 0
    private var totalRecords = 0

    private var pending: [UInt8] = []
    private var textRun: [UInt8] = []
    /// A record header was read; waiting for this many payload bytes.
    private var awaiting: (kind: Record.Kind, length: Int, skip: Bool)?

    /// Told the index of each cell as it starts (progress on the terminal).
    var onCell: ((Int) -> Void)?

    init(nonce: String, notebookTimeout: Double, cellTimeouts: [Int: Double], firstCell: Int?) {
        prefix = Array(Record.headerPrefix(nonce: nonce).utf8)
        self.notebookTimeout = notebookTimeout
        self.cellTimeouts = cellTimeouts
        self.firstCell = firstCell
    }

    var deadline: Date {
        var d = started.addingTimeInterval(notebookTimeout)
        if let c = currentCell, let t = cellTimeouts[c] { d = min(d, cellStarted.addingTimeInterval(t)) }
        return d
    }

    /// Which limit a kill at `deadline` enforced, for the message.
    var timeoutDescription: String {
        if let c = currentCell, let t = cellTimeouts[c], cellStarted.addingTimeInterval(t) <= started.addingTimeInterval(notebookTimeout) {
            return "the cell timed out after \(Self.seconds(t)) s (cell option `timeout`)"
        }
        return "the notebook timed out after \(Self.seconds(notebookTimeout)) s (front matter `timeout`)"
    }

    static func seconds(_ t: Double) -> String { t == t.rounded() ? String(Int(t)) : String(t) }

    func received(_ chunk: Data) {
        pending.append(contentsOf: chunk)
        var pos = 0
        defer {
            if pos > 0 { pending.removeFirst(pos) }
        }
        while pos < pending.count {
            if let a = awaiting {
                let available = pending.count - pos
                if a.skip {
                    let n = min(available, a.length)
                    pos += n
                    awaiting = n == a.length ? nil : (a.kind, a.length - n, true)
                    if n < a.length { return }
                    continue
                }
                guard available >= a.length else { return }
                let payload = Array(pending[pos..<pos + a.length])
                pos += a.length
                awaiting = nil
                handle(kind: a.kind, payload: payload)
                continue
            }
            guard let rs = pending[pos...].firstIndex(of: 0x1E) else {
                appendText(pending[pos...])
                pos = pending.count
                return
            }
            if rs > pos { appendText(pending[pos..<rs]) }
            pos = rs
            // A header is short; wait for its newline, or decide the RS byte was just text.
            let window = pending[rs..<min(pending.count, rs + 256)]
            guard let nl = window.firstIndex(of: 10) else {
                if pending.count - rs >= 256 { appendText(pending[rs..<rs + 1]); pos = rs + 1; continue }
                return
            }
            let header = pending[rs..<nl]
            guard header.starts(with: prefix),
                  let parsed = Record.parseHeader(Substring(decoding: header.dropFirst(prefix.count), as: UTF8.self)) else {
                appendText(pending[rs..<rs + 1])
                pos = rs + 1
                continue
            }
            pos = nl + 1
            let tooBig = parsed.length > Self.recordLimit || totalRecords + parsed.length > Self.notebookRecordLimit
            if tooBig {
                flushText()
                add(.error("an output of \(parsed.length) bytes was too large to keep (limit \(Self.recordLimit >> 20) MB per output, \(Self.notebookRecordLimit >> 20) MB per notebook)", line: nil))
            } else {
                totalRecords += parsed.length
            }
            if parsed.length == 0 {
                handle(kind: parsed.kind, payload: [])
            } else {
                awaiting = (parsed.kind, parsed.length, tooBig)
            }
        }
    }

    private func handle(kind: Record.Kind, payload: [UInt8]) {
        flushText()
        guard let record = Record(kind: kind, payload: payload) else { return }
        switch record {
        case .cell(let index):
            if let c = currentCell { cellSeconds[c] = Date().timeIntervalSince(cellStarted) }
            currentCell = index
            cellStarted = Date()
            onCell?(index)
        case .end:
            if let c = currentCell { cellSeconds[c] = Date().timeIntervalSince(cellStarted) }
            ended = true
        case .value(let text): add(.value(text))
        case .html(let html): add(.html(html))
        case .svg(let svg): add(.svg(svg))
        case .claim(let c): add(.claim(c))
        case .recorded(let name, let value): add(.recorded(name: String(name.prefix(200)), value: value))
        case .exported(let name, let json): add(.exported(name: name, json: json))
        case .inline(let index, let text): inlineValues[index] = String(text.prefix(10_000))
        case .error(let message):
            uncaughtError = message
            add(.error(message, line: nil))
        case .text(let text): add(.text(text))
        }
    }

    private var cellKey: Int { currentCell ?? firstCell ?? -1 }

    private func appendText(_ bytes: ArraySlice<UInt8>) {
        let key = cellKey
        let kept = textKept[key, default: 0]
        let room = max(0, min(Self.cellTextLimit - kept, Self.notebookTextLimit - totalText))
        let take = min(room, bytes.count)
        if take > 0 {
            textRun.append(contentsOf: bytes.prefix(take))
            textKept[key] = kept + take
            totalText += take
        }
        if bytes.count > take { droppedText[key, default: 0] += bytes.count - take }
    }

    private func flushText() {
        guard !textRun.isEmpty else { return }
        let text = String(decoding: textRun, as: UTF8.self)
        textRun.removeAll(keepingCapacity: true)
        let key = cellKey
        if var list = outputs[key], case .text(let earlier)? = list.last {
            list[list.count - 1] = .text(earlier + text)
            outputs[key] = list
        } else {
            outputs[key, default: []].append(.text(text))
        }
    }

    private func add(_ output: CellOutput) {
        outputs[cellKey, default: []].append(output)
    }

    /// Call after the process ended: flushes text and appends truncation notes.
    func finish() {
        if !pending.isEmpty && awaiting == nil { appendText(pending[...]); pending.removeAll() }
        flushText()
        if let c = currentCell, cellSeconds[c] == nil { cellSeconds[c] = Date().timeIntervalSince(cellStarted) }
        for (cell, dropped) in droppedText where dropped > 0 {
            let note = "[output truncated: \(dropped) more bytes were printed; Folio keeps \(Self.cellTextLimit >> 10) KB per cell and \(Self.notebookTextLimit >> 20) MB per notebook]"
            outputs[cell, default: []].append(.text(note))
        }
    }

    /// Moves the runtime's crash lines (Fatal error…, the backtracer's banner) out of a cell's
    /// printed text and returns them as one message.
    func takeCrashMessage(cell: Int) -> String {
        guard var list = outputs[cell], let i = list.lastIndex(where: { $0.kind == .text }) else { return "" }
        var keep: [Substring] = []
        var crash: [String] = []
        for line in list[i].text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.contains("Fatal error") || line.contains("Precondition failed") || line.contains("Assertion failed")
                || line.contains("Program crashed") {
                crash.append(String(line).replacingOccurrences(of: "💣 ", with: ""))
            } else if line.hasPrefix("*** Signal") || line.hasPrefix("Backtracing") || line.hasPrefix("swift-runtime:") {
                continue
            } else {
                keep.append(line)
            }
        }
        while keep.last == "" { keep.removeLast() }
        if keep.isEmpty { list.remove(at: i) } else { list[i] = .text(keep.joined(separator: "\n") + "\n") }
        outputs[cell] = list
        return crash.joined(separator: "\n")
    }
}
