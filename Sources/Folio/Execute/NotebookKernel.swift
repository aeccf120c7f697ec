import Foundation
import FolioWire

/// `folio preview`'s notebook kernels: after a clean run, each notebook's program leaves
/// snapshots of its state after some cells (`FolioRuntime/Kernel.swift`). When a cell changes,
/// the nearest snapshot before it loads the changed cell and those after it, compiled as one
/// library against an interface of the cells before (same module names, so the same symbols as
/// in the running program), and only they run. What they print is marked as a snapshot run and
/// verified by a clean run once preview is idle; a difference is shown as drift.
///
/// Anything unusual runs the notebook afresh instead: a change of `folio.yml`, shared code,
/// packages, the front matter's execution keys or `inputs:` files, an edit of the first cell, a
/// compile error, a crash, a timeout, cells that expect errors.
public final class NotebookKernels: @unchecked Sendable {
    /// Snapshots kept per notebook: each is a process whose pages are shared with the run until
    /// written (copy on write), so the bound is on processes, not bytes.
    public static let maxSnapshots = 8

    let toolchain: Toolchain
    let lock = NSLock()
    private var kernels: [String: Kernel] = [:]
    /// Snapshot runs not yet compared with a clean run, by run name.
    private var unverified: [String: (notebook: Notebook, run: ExecutedNotebook, request: ExecutionRequest)] = [:]
    /// What the clean run found, by cache key: the lines of the cells whose outputs differed.
    private var drifted: [String: [Int]] = [:]
    /// The latest outputs of each notebook, by run name (a snapshot run or a clean run), so a
    /// prose-only edit is drawn from them at once, whatever a verification run is doing.
    private var latest: [String: LatestRun] = [:]

    /// A run kept as a cache entry's bytes (lines relative to their cells) under its cache key.
    struct LatestRun {
        var key: String
        var entry: Data
        /// For a snapshot run: the indices of the cell it resumed after and of the first it ran.
        var resumed: (after: Int, first: Int)?
    }

    public init(toolchain: Toolchain) {
        self.toolchain = toolchain
    }

    /// One layer of the code a snapshot holds: the compiled program, or a library loaded into it.
    struct Layer {
        enum Kind { case program(moduleCount: Int), continuation(after: Int, name: String) }
        var kind: Kind
        var notebook: Notebook
    }

    struct Snapshot {
        /// After this cell (its index in the notebook version that made the snapshot).
        var cell: Int
        var layers: [Layer]
    }

    struct Kernel {
        var directory: URL
        var nonce: String
        var context: String
        var importsShared: Bool
        /// The version whose outputs `result` holds.
        var notebook: Notebook
        var result: ExecutedNotebook
        /// By position among the executable cells.
        var snapshots: [Int: Snapshot]
        var generation = 0
    }

    // MARK: Clean runs

    /// The session a clean run of `nb` is given, so its program leaves snapshots; nil when the
    /// notebook cannot have a kernel (cells that expect errors are run again without themselves).
    func session(for nb: Notebook, request: ExecutionRequest) -> KernelSession? {
        let executable = nb.cells.filter(\.isExecutable)
        guard executable.count >= 2, !executable.contains(where: \.options.error) else { return nil }
        lock.lock()
        let old = kernels.removeValue(forKey: nb.runName)
        unverified[nb.runName] = nil
        lock.unlock()
        if let old { Self.stop(old) }
        let directory = toolchain.state.kernelFolder(for: nb.runName)
        try? FileManager.default.removeItem(at: directory)
        guard (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)) != nil else { return nil }
        let cells = Self.snapshotCells(executable.map(\.index), seconds: old.map { Self.seconds($0.result) } ?? [:])
        return KernelSession(directory: directory.path, nonce: UUID().uuidString.replacingOccurrences(of: "-", with: ""),
                             snapshotCells: cells, owner: getpid())
    }

    /// Which cells to snapshot after: the one before the last (editing the last cell is the common
    /// case), the slowest of the previous run, then evenly spaced ones; never after the last.
    static func snapshotCells(_ cells: [Int], seconds: [Int: Double]) -> [Int] {
        let candidates = Array(cells.dropLast())
        guard candidates.count > maxSnapshots else { return candidates }
        var chosen: [Int] = [candidates[candidates.count - 1], candidates[0]]
        for c in candidates.sorted(by: { (seconds[$0] ?? 0) > (seconds[$1] ?? 0) }) where (seconds[c] ?? 0) > 0.05 && chosen.count < maxSnapshots / 2 + 1 {
            if !chosen.contains(c) { chosen.append(c) }
        }
        var k = 1
        while chosen.count < maxSnapshots {
            let c = candidates[k * candidates.count / (maxSnapshots - 1) % candidates.count]
            if !chosen.contains(c) { chosen.append(c) }
            k += 1
            if k > 4 * maxSnapshots { break }
        }
        return chosen.sorted()
    }

    static func seconds(_ run: ExecutedNotebook) -> [Int: Double] {
        var s: [Int: Double] = [:]
        for (cell, result) in zip(run.notebook.cells, run.cells) { s[cell.index] = result.seconds ?? 0 }
        return s
    }

    /// Remembers a clean run that was given `session`.
    func record(_ run: ExecutedNotebook, session: KernelSession, request: ExecutionRequest) {
        let nb = run.notebook
        let executable = nb.cells.filter(\.isExecutable)
        guard run.executed, !run.diagnostics.contains(where: { $0.severity == .error && $0.kind != .claimFailed }) else { return }
        var generator = ProgramGenerator(notebook: nb)
        generator.importsShared = request.modules.dependsOnShared(nb)
        let layer = Layer(kind: .program(moduleCount: generator.moduleGroupCount()), notebook: nb)
        var snapshots: [Int: Snapshot] = [:]
        for (position, cell) in executable.enumerated() where session.snapshotCells.contains(cell.index) {
            snapshots[position] = Snapshot(cell: cell.index, layers: [layer])
        }
        let kernel = Kernel(directory: URL(fileURLWithPath: session.directory), nonce: session.nonce, context: Self.context(nb, request),
                            importsShared: generator.importsShared, notebook: nb, result: run, snapshots: snapshots)
        lock.lock()
        kernels[nb.runName] = kernel
        lock.unlock()
    }

    /// What must not have changed for a snapshot to be used: everything that goes into the
    /// cache key except the cells' code.
    static func context(_ nb: Notebook, _ request: ExecutionRequest) -> String {
        ExecutionCache.contextKey(for: nb) + "|" + request.modules.cacheKey(for: nb)
    }

    // MARK: Resuming

    /// Runs `nb` from a snapshot when one holds the state before its first changed cell; nil
    /// when it cannot (then the caller runs it afresh).
    func resume(_ nb: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook? {
        lock.lock()
        guard var kernel = kernels[nb.runName] else { lock.unlock(); return nil }
        lock.unlock()
        let started = Date()
        guard kernel.context == Self.context(nb, request) else { return nil }
        let old = kernel.notebook.cells.filter(\.isExecutable), new = nb.cells.filter(\.isExecutable)
        guard !new.contains(where: \.options.error) else { return nil }
        var p = 0
        while p < min(old.count, new.count) && old[p].code == new[p].code && old[p].options == new[p].options && old[p].index == new[p].index { p += 1 }
        guard p < new.count else { return nil }
        guard let (position, snapshot) = kernel.snapshots.filter({ $0.key < p && Self.alive(kernel.directory, $0.value.cell) })
                .max(by: { $0.key < $1.key }) else { return nil }
        // Snapshots from the first changed cell on hold state the edit replaced.
        for (q, s) in kernel.snapshots where q >= p { Self.stop(kernel.directory, s.cell) }
        kernel.snapshots = kernel.snapshots.filter { $0.key < p }
        kernel.generation += 1
        let work = kernel.directory.appendingPathComponent("run-\(kernel.generation)")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        // The interface of what the snapshot holds, then the cells after it as a library.
        request.progress?(.compiling)
        guard let base = interface(of: snapshot, kernel: kernel, request: request, in: work) else { return nil }
        let name = "NotebookEdit\(kernel.generation)"
        var generator = ProgramGenerator(notebook: nb)
        generator.importsShared = kernel.importsShared
        guard let module = generator.continuation(after: new[position].index, base: base, moduleName: name),
              let library = compileLibrary(module, notebook: nb, request: request, in: work) else { return nil }

        let snapshotCells = Set(new.suffix(from: position + 1).dropLast().map(\.index))
        guard let collector = run(library: library, from: snapshot.cell, kernel: kernel, notebook: nb, in: work, progress: request.progress) else { return nil }

        // Cells up to the snapshot keep their outputs (moved with the prose around them).
        var attempt = Attempt(notebook: nb)
        let previous = Dictionary(uniqueKeysWithValues: zip(kernel.notebook.cells, kernel.result.cells).map { ($0.0.index, ($0.0, $0.1)) })
        for cell in new.prefix(position + 1) {
            guard let (oldCell, result) = previous[cell.index] else { return nil }
            let moved = ExecutionCache.shift(result, by: cell.codeLine - oldCell.codeLine)
            attempt.status[cell.index] = moved.status
            attempt.outputs[cell.index] = moved.outputs
            attempt.seconds[cell.index] = moved.seconds
        }
        for cell in new.suffix(from: position + 1) {
            attempt.outputs[cell.index] = collector.outputs[cell.index] ?? []
            attempt.seconds[cell.index] = collector.cellSeconds[cell.index]
            attempt.status[cell.index] = collector.cellSeconds[cell.index] != nil ? .ok : .notRun
        }
        for (i, v) in collector.inlineValues { attempt.inlineValues[i] = v }
        var result = attempt.result(seconds: Date().timeIntervalSince(started))
        Self.markSnapshotRun(&result, after: new[position], first: new[position + 1])

        var layers = snapshot.layers
        layers.append(Layer(kind: .continuation(after: new[position].index, name: name), notebook: nb))
        for (q, cell) in new.enumerated() where q > position && snapshotCells.contains(cell.index) {
            kernel.snapshots[q] = Snapshot(cell: cell.index, layers: layers)
        }
        kernel.notebook = nb
        kernel.result = result
        lock.lock()
        kernels[nb.runName] = kernel
        unverified[nb.runName] = (nb, result, request)
        lock.unlock()
        return result
    }

    /// Says on the page which cells ran from a snapshot.
    static func markSnapshotRun(_ run: inout ExecutedNotebook, after: Cell, first: Cell) {
        run.snapshotRun = SnapshotRun(resumedAfterLine: after.line, firstLine: first.line)
        run.diagnostics.append(Diagnostic(file: run.notebook.path, line: first.line, severity: .note, kind: .snapshotRun,
                                          message: "the cells from here on ran from a snapshot of the state after line \(after.line); a clean run checks them when preview is idle"))
    }

    // MARK: The latest outputs

    /// Keeps `run` as the latest outputs of its notebook (under its cache key).
    func remember(_ run: ExecutedNotebook, key: String) {
        var kept = run
        kept.diagnostics.removeAll { $0.kind == .snapshotRun || $0.kind == .drift }
        guard let entry = ExecutionCache.entry(kept, key: key) else { return }
        let cells = run.notebook.cells
        let resumed = run.snapshotRun.flatMap { s -> (Int, Int)? in
            guard let a = cells.first(where: { $0.line == s.resumedAfterLine }), let f = cells.first(where: { $0.line == s.firstLine }) else { return nil }
            return (a.index, f.index)
        }
        lock.lock()
        latest[run.notebook.runName] = LatestRun(key: key, entry: entry, resumed: resumed)
        lock.unlock()
    }

    /// The latest outputs of `nb` when they were made from the same code (`key`), moved to its
    /// current lines: a prose-only edit needs no run at all.
    func latestRun(of nb: Notebook, key: String, cache: ExecutionCache) -> ExecutedNotebook? {
        lock.lock()
        let kept = latest[nb.runName]
        lock.unlock()
        guard let kept, kept.key == key, var run = cache.decode(kept.entry, key: key, for: nb) else { return nil }
        if let (after, first) = kept.resumed, after < nb.cells.count, first < nb.cells.count {
            Self.markSnapshotRun(&run, after: nb.cells[after], first: nb.cells[first])
        }
        if let drift = drift(for: key, notebook: nb) { run.diagnostics.append(drift) }
        run.cacheKey = key
        return run
    }

    /// Emits the modules describing the cells a snapshot holds, layer by layer; returns the
    /// module the continuation imports.
    func interface(of snapshot: Snapshot, kernel: Kernel, request: ExecutionRequest, in work: URL) -> String? {
        var base = ""
        for layer in snapshot.layers {
            var generator = ProgramGenerator(notebook: layer.notebook)
            generator.importsShared = kernel.importsShared
            generator.excluded = Set(layer.notebook.cells.map(\.index).filter { $0 > snapshot.cell })
            let modules: [ProgramGenerator.CellModule]
            switch layer.kind {
            case .program(let count):
                generator.moduleCount = count
                generator.declarationsOnly = true
                modules = generator.generate().modules
            case .continuation(let after, let name):
                guard let module = generator.continuation(after: after, base: base, moduleName: name) else { return nil }
                modules = [module]
            }
            for module in modules {
                guard let sources = write(module, in: work) else { return nil }
                let args = compileArguments(layer.notebook, module: module.name, request: request)
                    + ["-parse-as-library", "-emit-module", "-emit-module-path", work.appendingPathComponent(module.name + ".swiftmodule").path, "-I", work.path] + sources
                guard let r = try? Subprocess.run(toolchain.swiftc, arguments: args, currentDirectory: toolchain.workingDirectory, timeout: 120, mergeStderr: true), r.status == 0 else { return nil }
                base = module.name
            }
        }
        return base
    }

    func compileLibrary(_ module: ProgramGenerator.CellModule, notebook: Notebook, request: ExecutionRequest, in work: URL) -> URL? {
        guard let sources = write(module, in: work) else { return nil }
        let library = work.appendingPathComponent("lib\(module.name).so")
        let args = compileArguments(notebook, module: module.name, request: request)
            + ["-parse-as-library", "-emit-library", "-I", work.path] + sources + ["-o", library.path]
        guard let r = try? Subprocess.run(toolchain.swiftc, arguments: args, currentDirectory: toolchain.workingDirectory, timeout: 120, mergeStderr: true), r.status == 0 else { return nil }
        return library
    }

    func compileArguments(_ nb: Notebook, module: String, request: ExecutionRequest) -> [String] {
        toolchain.compileArguments(swiftVersion: nb.frontMatter.swiftVersion, optimize: nb.frontMatter.optimize,
                                   moduleName: module, extra: request.modules.arguments(for: nb))
    }

    func write(_ module: ProgramGenerator.CellModule, in work: URL) -> [String]? {
        let dir = work.appendingPathComponent(module.name)
        guard (try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)) != nil else { return nil }
        var paths: [String] = []
        for file in module.files {
            let url = dir.appendingPathComponent(file.name)
            guard (try? file.text.write(to: url, atomically: true, encoding: .utf8)) != nil else { return nil }
            paths.append(url.path)
        }
        return paths
    }

    /// Tells the snapshot after `cell` to run `library`, and reads what it prints until it ends.
    /// Nil unless the run ended normally (a crash or timeout is left to a clean run to report).
    func run(library: URL, from cell: Int, kernel: Kernel, notebook nb: Notebook, in work: URL,
             progress: (@Sendable (ExecutionPhase) -> Void)?) -> OutputCollector? {
        let output = work.appendingPathComponent("output.fifo").path
        let status = work.appendingPathComponent("status").path
        guard mkfifo(output, 0o600) == 0 else { return nil }
        let reader = open(output, O_RDONLY | O_NONBLOCK)
        guard reader >= 0 else { return nil }
        defer { close(reader) }
        let command = open(kernel.directory.appendingPathComponent("snapshot-\(cell).fifo").path, O_WRONLY | O_NONBLOCK)
        guard command >= 0 else { return nil }
        let line = Array("run \(library.path) \(output) \(status)\n".utf8)
        let written = Glibc.write(command, line, line.count)
        close(command)
        guard written == line.count else { return nil }

        let timeouts = Dictionary(uniqueKeysWithValues: nb.cells.compactMap { c in c.options.timeout.map { (c.index, $0) } })
        let collector = OutputCollector(nonce: kernel.nonce, notebookTimeout: nb.frontMatter.timeout, cellTimeouts: timeouts, firstCell: nil)
        if let progress {
            let order = nb.cells.filter(\.isExecutable).map(\.index)
            collector.onCell = { index in progress(.running(cell: (order.firstIndex(of: index) ?? 0) + 1, of: order.count)) }
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            var p = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 20)
            let n = read(reader, &buffer, buffer.count)
            if n > 0 {
                collector.received(Data(buffer[0..<n]))
            } else if FileManager.default.fileExists(atPath: status) {
                break
            } else if n == 0 {
                usleep(5_000)
            }
            if Date() >= collector.deadline {
                if let pid = (try? String(contentsOfFile: status + ".pid", encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                    kill(-pid, SIGKILL)
                    kill(pid, SIGKILL)
                }
                return nil
            }
        }
        collector.finish()
        let outcome = (try? String(contentsOfFile: status, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome == "exit 0", collector.ended else { return nil }
        return collector
    }

    // MARK: Verification

    /// Runs, from a clean process, each notebook whose page shows a snapshot run; remembers which
    /// cells' outputs differ, and keeps the clean outputs as the latest. Returns whether it ran any
    /// (then the site should be rebuilt). `log` hears where the runs are, as a build's would.
    public func verify(with executor: NotebookExecutor, log: BuildLog? = nil) -> Bool {
        lock.lock()
        let pending = unverified
        unverified = [:]
        lock.unlock()
        var ran = false
        for (n, (_, entry)) in pending.enumerated() {
            var request = entry.request
            request.kernel = nil
            let path = entry.notebook.runName
            request.progress = log.map { log in { @Sendable phase in log.progress(.phase(notebook: path, phase)) } }
            log?.progress(.started(notebook: path, index: n + 1, total: pending.count))
            let clean = executor.execute(entry.notebook, request)
            log?.progress(.finished(notebook: path, seconds: clean.seconds, executed: clean.executed, failed: clean.failed))
            ran = true
            var lines: [Int] = []
            for (i, cell) in entry.notebook.cells.enumerated() where cell.isExecutable && i < clean.cells.count && i < entry.run.cells.count {
                if clean.cells[i].outputs != entry.run.cells[i].outputs || clean.cells[i].status != entry.run.cells[i].status { lines.append(cell.line) }
            }
            if let key = clean.cacheKey {
                lock.lock()
                drifted[key] = lines
                lock.unlock()
                remember(clean, key: key)
            }
        }
        return ran
    }

    public var hasUnverified: Bool {
        lock.lock(); defer { lock.unlock() }
        return !unverified.isEmpty
    }

    /// The drift a clean run found for the outputs under `key`, as a diagnostic on the page.
    func drift(for key: String, notebook nb: Notebook) -> Diagnostic? {
        lock.lock()
        let lines = drifted[key]
        lock.unlock()
        guard let lines else { return nil }
        if lines.isEmpty {
            return Diagnostic(file: nb.path, line: 0, severity: .note, kind: .snapshotRun,
                              message: "the snapshot run was checked by a clean run: the same outputs")
        }
        return Diagnostic(file: nb.path, line: lines[0], severity: .warning, kind: .drift,
                          message: "drift: a clean run gave other outputs than the snapshot run in \(lines.count == 1 ? "the cell at line" : "the cells at lines") \(lines.map(String.init).joined(separator: ", ")); the page shows the clean run's")
    }

    // MARK: Processes

    static func alive(_ directory: URL, _ cell: Int) -> Bool {
        guard let pid = pid(directory, cell) else { return false }
        return kill(pid, 0) == 0
    }

    static func pid(_ directory: URL, _ cell: Int) -> pid_t? {
        (try? String(contentsOf: directory.appendingPathComponent("snapshot-\(cell).pid"), encoding: .utf8))
            .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    static func stop(_ directory: URL, _ cell: Int) {
        if let pid = pid(directory, cell) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("snapshot-\(cell).pid"))
    }

    static func stop(_ kernel: Kernel) {
        for (_, s) in kernel.snapshots { stop(kernel.directory, s.cell) }
        // Snapshots of cells not kept (a run that ended early) are found by their files.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: kernel.directory.path)) ?? [] where name.hasSuffix(".pid") && name.hasPrefix("snapshot-") {
            if let pid = (try? String(contentsOf: kernel.directory.appendingPathComponent(name), encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                kill(pid, SIGKILL)
            }
        }
    }

    /// Ends every snapshot (preview stopping).
    public func shutdown() {
        lock.lock()
        let all = kernels.values
        kernels = [:]
        lock.unlock()
        for k in all { Self.stop(k) }
    }
}

/// A clean run that leaves snapshots: where, after which cells, and the channel's nonce they keep.
public struct KernelSession: Sendable {
    public var directory: String
    public var nonce: String
    public var snapshotCells: [Int]
    public var owner: pid_t

    /// The notebook program's environment for it. BLAS runs on one thread: a forked snapshot
    /// has only the thread that forked, and OpenBLAS would wait for workers it no longer has.
    var environment: [String: String] {
        [NotebookEnvironment.kernelDirectory.rawValue: directory,
         NotebookEnvironment.kernelSnapshots.rawValue: snapshotCells.map(String.init).joined(separator: ","),
         NotebookEnvironment.kernelOwner.rawValue: String(owner), "OPENBLAS_NUM_THREADS": "1"]
    }
}

/// Which cells of a page ran from a snapshot.
public struct SnapshotRun: Codable, Sendable, Equatable {
    public var resumedAfterLine: Int
    public var firstLine: Int
}

/// The engine as `folio preview` uses it: the cache, then the latest outputs of the same code
/// (a prose-only edit after a snapshot run), then a kernel's snapshot, then a clean run that
/// leaves snapshots.
public struct KernelExecutor: NotebookExecutor {
    public var caching: CachingExecutor
    public let kernels: NotebookKernels

    public init(caching: CachingExecutor) {
        self.caching = caching
        kernels = NotebookKernels(toolchain: caching.inner.toolchain)
    }

    public func execute(_ notebook: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook {
        guard notebook.hasCode else { return caching.execute(notebook, request) }
        let (key, _) = caching.cache.key(for: notebook, toolchain: caching.identity, project: request.modules.cacheKey(for: notebook))
        if request.useCache, var hit = caching.cache.load(key, for: notebook) {
            hit.cacheKey = key
            if let drift = kernels.drift(for: key, notebook: notebook) { hit.diagnostics.append(drift) }
            return hit
        }
        if request.useCache, let kept = kernels.latestRun(of: notebook, key: key, cache: caching.cache) { return kept }
        if let resumed = kernels.resume(notebook, request) {
            kernels.remember(resumed, key: key)
            return resumed
        }
        var clean = request
        clean.kernel = kernels.session(for: notebook, request: request)
        let run = caching.execute(notebook, clean)
        if let session = clean.kernel { kernels.record(run, session: session, request: request) }
        kernels.remember(run, key: key)
        return run
    }

    public var compiler: Toolchain? { caching.inner.toolchain }
}
