import Foundation

/// The build log people watch. On a terminal, one status line redrawn in place
/// (`[3/13] notebooks/x.md — cell 4/12 (12 s)`), with messages printed above it; elsewhere (CI
/// logs) plain lines: one per executed notebook, and every 30 s a line for each notebook still
/// running, so a long build never looks hung. `quiet` keeps problems and the summary only;
/// `verbose` adds each notebook's compile and cell steps as plain lines.
public final class ProgressLog: BuildLog, @unchecked Sendable {
    public enum Verbosity: Sendable { case quiet, normal, verbose }

    let verbosity: Verbosity
    let terminal: Bool
    let write: @Sendable (String) -> Void
    /// How often a plain log says what is still running.
    let heartbeat: TimeInterval

    private let lock = NSLock()
    private struct Running { var index: Int; var started: Date; var phase: ExecutionPhase?; var lastHeartbeat: Date }
    private var running: [String: Running] = [:]
    private var order: [String] = []
    private var done = 0
    private var total = 0
    private var statusWidth = 0
    private var timer: DispatchSourceTimer?

    public init(verbosity: Verbosity = .normal, terminal: Bool = isatty(2) != 0, heartbeat: TimeInterval = 30,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.verbosity = verbosity
        self.terminal = terminal
        self.heartbeat = heartbeat
        self.write = write
    }

    public func message(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        clearStatus()
        write(text + "\n")
        drawStatus()
    }

    public func note(_ text: String) {
        if verbosity != .quiet { message(text) }
    }

    public func progress(_ event: BuildProgress) {
        lock.lock(); defer { lock.unlock() }
        var line: String?
        switch event {
        case .started(let nb, let index, let total):
            self.total = total
            running[nb] = Running(index: index, started: Date(), phase: nil, lastHeartbeat: Date())
            order.append(nb)
            startTimer()
        case .phase(let nb, let phase):
            running[nb]?.phase = phase
            if verbosity == .verbose && !terminal { line = "folio: \(nb) — \(Self.describe(phase))" }
        case .finished(let nb, let seconds, let executed, let failed):
            running[nb] = nil
            order.removeAll { $0 == nb }
            done += 1
            if !terminal && verbosity != .quiet && (executed || verbosity == .verbose) {
                let how = executed ? (failed ? "failed after" : "ran in") : "from the cache,"
                line = "folio: [\(done)/\(total)] \(nb) \(how) \(String(format: "%.1f", seconds)) s"
            }
        }
        clearStatus()
        if let line { write(line + "\n") }
        drawStatus()
    }

    /// Clears the status line and stops the clock; call when the build is over.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        running = [:]
        order = []
        clearStatus()
    }

    static func describe(_ phase: ExecutionPhase?) -> String {
        switch phase {
        case nil: return "starting"
        case .compiling?: return "compiling"
        case .running(let cell, let of)?: return "cell \(cell)/\(of)"
        }
    }

    // MARK: - The status line (terminal) and the heartbeat (plain)

    private func startTimer() {
        guard timer == nil, verbosity != .quiet else { return }
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + 1, repeating: 1)
        t.setEventHandler { [weak self] in self?.tick() }
        t.resume()
        timer = t
    }

    private func tick() {
        lock.lock(); defer { lock.unlock() }
        if terminal {
            clearStatus()
            drawStatus()
            return
        }
        let now = Date()
        for nb in order {
            guard let r = running[nb], now.timeIntervalSince(r.lastHeartbeat) >= heartbeat else { continue }
            running[nb]?.lastHeartbeat = now
            write("folio: still running \(nb) — \(Self.describe(r.phase)) (\(Int(now.timeIntervalSince(r.started))) s)\n")
        }
    }

    private func drawStatus() {
        guard terminal, verbosity != .quiet, !order.isEmpty else { return }
        let now = Date()
        let parts = order.compactMap { nb -> String? in
            guard let r = running[nb] else { return nil }
            return "\(nb) — \(Self.describe(r.phase)) (\(Int(now.timeIntervalSince(r.started))) s)"
        }
        var text = "[\(done + 1)/\(total)] " + parts.joined(separator: " · ")
        let width = Self.terminalColumns() - 1
        if text.count > width { text = String(text.prefix(max(0, width - 1))) + "…" }
        write("\r\u{1B}[K" + text)
        statusWidth = text.count
    }

    private func clearStatus() {
        guard statusWidth > 0 else { return }
        write("\r\u{1B}[K")
        statusWidth = 0
    }

    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 80
    }
}
