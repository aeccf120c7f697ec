import Foundation

/// What preview is running right now, for the pages it serves: the progress events of builds
/// and of idle-time verification runs (`verification`), kept apart since a build may draw a
/// notebook from its latest outputs while a clean run of it goes on, as a list of running
/// notebooks, each with its phase and since when. Every change bumps `generation`, so the reload
/// channel can answer as soon as something changed and an 8 s cell never looks like a frozen page.
final class PreviewActivity: BuildLog, @unchecked Sendable {
    let inner: BuildLog
    private let lock = NSLock()
    private var running: [Key: Running] = [:]
    private(set) var generation = 0

    /// Who runs a notebook: a build, or the clean run that checks a snapshot run.
    enum Origin: String, Codable { case build, verification }

    struct Key: Hashable {
        var origin: Origin
        var notebook: String
    }

    /// The log verification runs report to.
    var verification: BuildLog { OriginLog(activity: self, origin: .verification) }

    struct OriginLog: BuildLog {
        let activity: PreviewActivity
        let origin: Origin
        func message(_ text: String) { activity.message(text) }
        func note(_ text: String) { activity.note(text) }
        func progress(_ event: BuildProgress) { activity.record(event, origin: origin) }
    }

    struct Running {
        var phase: ExecutionPhase?
        /// When the current phase (or cell) began.
        var since: Date
    }

    /// One running notebook as the page's script reads it.
    struct Entry: Codable, Equatable {
        var notebook: String
        var origin: Origin
        /// `compiling` or `running`; `starting` before either.
        var phase: String
        var cell: Int?
        var of: Int?
        /// Seconds in this phase (or cell) so far.
        var seconds: Double
    }

    init(inner: BuildLog) {
        self.inner = inner
    }

    func message(_ text: String) { inner.message(text) }
    func note(_ text: String) { inner.note(text) }

    func progress(_ event: BuildProgress) {
        inner.progress(event)
        record(event, origin: .build)
    }

    func record(_ event: BuildProgress, origin: Origin) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .started(let nb, _, _):
            running[Key(origin: origin, notebook: nb)] = Running(phase: nil, since: Date())
        case .phase(let nb, let phase):
            let key = Key(origin: origin, notebook: nb)
            guard running[key]?.phase != phase else { return }
            running[key] = Running(phase: phase, since: Date())
        case .finished(let nb, _, _, _):
            guard running.removeValue(forKey: Key(origin: origin, notebook: nb)) != nil else { return }
        }
        generation += 1
    }

    /// The running notebooks, by path, and the generation they belong to.
    func current(now: Date = Date()) -> (generation: Int, entries: [Entry]) {
        lock.lock()
        defer { lock.unlock() }
        let entries = running.sorted { ($0.key.notebook, $0.key.origin.rawValue) < ($1.key.notebook, $1.key.origin.rawValue) }.map { key, r -> Entry in
            let seconds = (now.timeIntervalSince(r.since) * 10).rounded() / 10
            let (path, origin) = (key.notebook, key.origin)
            switch r.phase {
            case nil: return Entry(notebook: path, origin: origin, phase: "starting", seconds: seconds)
            case .compiling: return Entry(notebook: path, origin: origin, phase: "compiling", seconds: seconds)
            case .running(let cell, let of): return Entry(notebook: path, origin: origin, phase: "running", cell: cell, of: of, seconds: seconds)
            }
        }
        return (generation, entries)
    }
}
