import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What changed between two runs of a notebook: cells whose outputs differ, claims that flipped.
public struct OutputDrift: Codable, Sendable, Equatable {
    /// `.md` lines of the cells whose outputs changed.
    public var changedCells: [Int]
    public var flippedClaims: [FlippedClaim]

    public struct FlippedClaim: Codable, Sendable, Equatable {
        public var line: Int
        public var text: String
        /// `holds` or `fails`: the claim's state now.
        public var now: String
    }

    public var isEmpty: Bool { changedCells.isEmpty && flippedClaims.isEmpty }

    /// One line for the build log: which cells changed, which claims flipped.
    public var summary: String {
        var parts: [String] = []
        if !changedCells.isEmpty {
            let plural = changedCells.count == 1 ? "" : "s"
            parts.append("outputs changed in the cell\(plural) at line\(plural) \(changedCells.map(String.init).joined(separator: ", "))")
        }
        for f in flippedClaims { parts.append("claim at line \(f.line) now \(f.now): \(f.text)") }
        return parts.joined(separator: "; ")
    }
}

/// The execution cache under `.folio/cache`: executed outputs keyed by everything execution
/// depends on, and nothing else.
///
/// In the key: each Swift cell's code and the options that change what runs (`eval`, `error`,
/// `timeout`), the notebook's path (it sets the random seed and the working directory), the
/// front-matter fields `imports`, `swift`, `optimize`, `timeout`, the contents of the files its
/// `inputs:` globs match, the swiftc version, the content hash of the notebook runtime library
/// (a rebuilt Compute/Plots/FolioRuntime with different code invalidates), and Folio's version.
/// Not in the key: prose, titles, tags, `echo`/`output`/`label`/`caption`, and cell line numbers —
/// outputs are stored with lines relative to their cell and moved to the cell's new place on a hit,
/// so a prose edit above a cell neither re-executes it nor leaves stale line numbers.
/// Entries are written atomically and validated on read; anything unreadable is a miss.
public struct ExecutionCache: Sendable {
    public var directory: URL
    // 2: programs with several bindings in one global declaration are generated differently (a swiftc
    // miscompilation worked around), so outputs cached by format 1 may be wrong.
    // 3: declarations without a value, redefinitions and opaque-typed constants compile now
    // (format 2 cached their compile errors).
    // 4: `async let`, globals isolated to a global actor, `#warning` and globals inside `#if`
    // compile now (found by `make conformance`).
    static let format = 4

    public init(state: StateDirectory) {
        directory = state.executionCache
    }

    // MARK: Key

    /// The key, or a diagnostic when an input cannot be read.
    /// `project`: what the notebook links from its project (packages' pins, the shared module's hash).
    public func key(for nb: Notebook, toolchain: ToolchainIdentity, project: String = "") -> (key: String, warnings: [Diagnostic]) {
        let (source, warnings) = Self.sourceKey(for: nb)
        var h = SHA256()
        for part in ["folio \(FolioVersion.string) cache \(Self.format)", toolchain.swiftc, toolchain.runtime, project, source] {
            h.update(part)
            h.update([0])
        }
        return (h.finalize(), warnings)
    }

    /// What of the key the notebook itself decides, with no compiler in it: its path, the
    /// front-matter fields that change what runs, its parameters, its cells' code and options,
    /// its inline values and the files its `inputs:` match. Frozen outputs are checked against it.
    static func sourceKey(for nb: Notebook) -> (key: String, warnings: [Diagnostic]) {
        var h = SHA256()
        var warnings: [Diagnostic] = []
        func add(_ s: String) { h.update(s); h.update([0]) }
        addContext(of: nb, add)
        let fm = nb.frontMatter
        for cell in nb.cells where cell.language == .swift {
            add("cell \(cell.index) \(cell.options.executionKey)")
            add(cell.code)
        }
        for expr in nb.inlineExpressions { add("inline \(expr.code)") }
        let (files, inputWarnings) = Self.inputFiles(nb)
        warnings += inputWarnings
        for file in files {
            add("input \(file.relative)")
            if let data = try? Data(contentsOf: file.url) { h.update(data) } else {
                warnings.append(Diagnostic(file: nb.path, line: fm.keyLines["inputs"] ?? 0, severity: .warning,
                                           message: "input file \(file.relative) could not be read"))
            }
        }
        return (h.finalize(), warnings)
    }

    /// What of the source key is not the cells: path, execution options, parameters, `inputs:`
    /// files. Preview's kernel resumes from a snapshot only while this is unchanged.
    static func contextKey(for nb: Notebook) -> String {
        var h = SHA256()
        func add(_ s: String) { h.update(s); h.update([0]) }
        addContext(of: nb, add)
        for file in inputFiles(nb).0 {
            add("input \(file.relative)")
            if let data = try? Data(contentsOf: file.url) { h.update(data) }
        }
        return h.finalize()
    }

    /// The path and the front-matter fields that change what runs, as both keys hash them.
    static func addContext(of nb: Notebook, _ add: (String) -> Void) {
        add(nb.path)
        add(nb.relativePath)
        let fm = nb.frontMatter
        add("imports=\(fm.imports.joined(separator: ","));swift=\(fm.swiftVersion);optimize=\(fm.optimize);timeout=\(fm.timeout)")
        if !fm.params.isEmpty { add("params " + fm.params.map { "\($0.name):\($0.kind.rawValue)=\($0.value.literal($0.kind))" }.joined(separator: ";")) }
        // Values imported from other notebooks: a changed upstream value re-runs this notebook.
        for i in nb.imports {
            add("import \(i.notebook) \(i.name ?? "*")")
            for (name, json) in i.values.sorted(by: { $0.key < $1.key }) { add(name); add(json) }
        }
    }

    /// Files matched by the notebook's `inputs:` globs (relative to its folder), sorted.
    static func inputFiles(_ nb: Notebook) -> ([(relative: String, url: URL)], [Diagnostic]) {
        let patterns = nb.frontMatter.inputs
        guard !patterns.isEmpty else { return ([], []) }
        let base = nb.file.deletingLastPathComponent()
        var warnings: [Diagnostic] = []
        var all: [String] = []
        if let walker = FileManager.default.enumerator(atPath: base.path) {
            var count = 0
            while let item = walker.nextObject() as? String, count < 100_000 {
                count += 1
                if item.hasPrefix(StateDirectory.name) || item.hasPrefix(".build") { walker.skipDescendants(); continue }
                all.append(item)
            }
        }
        var matched = Set<String>()
        for p in patterns {
            if p.hasPrefix("/") || p.split(separator: "/").contains("..") {
                warnings.append(Diagnostic(file: nb.path, line: nb.frontMatter.keyLines["inputs"] ?? 0, severity: .warning,
                                           message: "input pattern `\(p)` leaves the notebook's folder and is ignored"))
                continue
            }
            let hits = all.filter { fnmatch(p, $0, 0) == 0 }
            if hits.isEmpty {
                warnings.append(Diagnostic(file: nb.path, line: nb.frontMatter.keyLines["inputs"] ?? 0, severity: .warning,
                                           message: "input pattern `\(p)` matches no file"))
            }
            matched.formUnion(hits)
        }
        let files = matched.sorted().compactMap { rel -> (String, URL)? in
            var isDir: ObjCBool = false
            let url = base.appendingPathComponent(rel)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { return nil }
            return (rel, url)
        }
        return (files, warnings)
    }

    // MARK: Entries

    /// A cached run with lines relative to each cell's first code line.
    struct Entry: Codable, Equatable {
        var format: Int
        var key: String
        var cells: [CellResult]
        /// Diagnostics with `line` relative to the cell `cell` (nil: absolute line).
        var diagnostics: [RelativeDiagnostic]
        var seconds: Double
        var inlineValues: [String]?
    }

    struct RelativeDiagnostic: Codable, Equatable {
        var cell: Int?
        var diagnostic: Diagnostic
    }

    func url(_ key: String) -> URL { directory.appendingPathComponent("\(key).json") }

    /// The cached run for `key`, moved to the notebook's current lines; nil on a miss or a bad entry.
    public func load(_ key: String, for nb: Notebook) -> ExecutedNotebook? {
        guard let data = try? Data(contentsOf: url(key)) else { return nil }
        return decode(data, key: key, for: nb)
    }

    /// An entry's bytes (from this cache or a shared one) as a run of `nb`; nil when they are not
    /// an entry for `key` of a notebook with these cells.
    func decode(_ data: Data, key: String, for nb: Notebook) -> ExecutedNotebook? {
        guard let entry = try? JSONDecoder().decode(Entry.self, from: data),
              entry.format == Self.format, entry.key == key, entry.cells.count == nb.cells.count else { return nil }
        let cells = zip(nb.cells, entry.cells).map { cell, result in Self.shift(result, by: cell.codeLine) }
        let diagnostics = entry.diagnostics.map { r -> Diagnostic in
            var d = r.diagnostic
            d.file = nb.path
            if let c = r.cell, c < nb.cells.count { d.line += nb.cells[c].codeLine }
            return d
        }
        return ExecutedNotebook(notebook: nb, cells: cells, diagnostics: nb.warnings + diagnostics, executed: false,
                                seconds: entry.seconds, inlineValues: entry.inlineValues ?? [])
    }

    /// Keeps an entry that came from a shared cache, so the next build finds it here.
    func adopt(_ data: Data, key: String) {
        try? AtomicFile.write(data, to: url(key))
    }

    /// Stores a run (its parse warnings are left out: they come from the notebook each time) and
    /// returns the entry's bytes.
    @discardableResult
    public func save(_ run: ExecutedNotebook, key: String) -> Data? {
        guard let data = Self.entry(run, key: key) else { return nil }
        try? AtomicFile.write(data, to: url(key))
        return data
    }

    /// A run as an entry's bytes, lines relative to their cells, so `decode` can move it to
    /// another version of the notebook with the same code.
    static func entry(_ run: ExecutedNotebook, key: String) -> Data? {
        let nb = run.notebook
        let cells = zip(nb.cells, run.cells).map { cell, result in Self.shift(result, by: -cell.codeLine) }
        let own = run.diagnostics.filter { d in !nb.warnings.contains(d) }
        let diagnostics = own.map { d -> RelativeDiagnostic in
            if let cell = Attempt(notebook: nb).cell(at: d.line) {
                var r = d
                r.line -= cell.codeLine
                return RelativeDiagnostic(cell: cell.index, diagnostic: r)
            }
            return RelativeDiagnostic(cell: nil, diagnostic: d)
        }
        let entry = Entry(format: Self.format, key: key, cells: cells, diagnostics: diagnostics, seconds: run.seconds, inlineValues: run.inlineValues)
        return try? JSONEncoder().encode(entry)
    }

    static func shift(_ result: CellResult, by delta: Int) -> CellResult {
        var r = result
        r.outputs = r.outputs.map { $0.shifted(by: delta) }
        return r
    }

    // MARK: Drift

    func lastURL(_ nb: Notebook) -> URL {
        // A swept notebook's sets are runs of their own (their relative paths differ).
        directory.deletingLastPathComponent().appendingPathComponent("last/\(SHA256.hex(nb.sweepSet == nil ? nb.path : nb.path + "|" + nb.relativePath)).json")
    }

    struct LastRun: Codable {
        var path: String
        var cells: [CellResult]
        var codes: [String]
    }

    /// Compares a fresh run with the previous run of the same notebook, then remembers this one.
    public func drift(_ run: ExecutedNotebook) -> OutputDrift? {
        let nb = run.notebook
        let current = LastRun(path: nb.path, cells: zip(nb.cells, run.cells).map { Self.shift($1, by: -$0.codeLine) }, codes: nb.cells.map(\.code))
        defer { if let data = try? JSONEncoder().encode(current) { try? AtomicFile.write(data, to: lastURL(nb)) } }
        guard let data = try? Data(contentsOf: lastURL(nb)), let previous = try? JSONDecoder().decode(LastRun.self, from: data),
              previous.path == nb.path else { return nil }
        var changed: [Int] = []
        var flipped: [OutputDrift.FlippedClaim] = []
        for (i, cell) in nb.cells.enumerated() where cell.language == .swift {
            // Cells are matched by position; a cell that is new or moved counts as changed.
            guard i < previous.cells.count else { changed.append(cell.line); continue }
            let old = previous.cells[i], new = current.cells[i]
            if old.outputs != new.outputs || old.status != new.status { changed.append(cell.line) }
            let oldClaims = Dictionary(old.outputs.compactMap(\.claim).map { ($0.text, $0.passed) }, uniquingKeysWith: { a, _ in a })
            for claim in run.cells[i].outputs.compactMap(\.claim) {
                if let was = oldClaims[claim.text], was != claim.passed {
                    flipped.append(.init(line: claim.line, text: claim.text, now: claim.passed ? "holds" : "fails"))
                }
            }
        }
        return OutputDrift(changedCells: changed, flippedClaims: flipped)
    }
}

/// What identifies the compiler and the runtime library for the cache key, memoised per
/// (path, size, modification time) in `.folio/identity.json` so a warm build does not rehash them.
public struct ToolchainIdentity: Sendable {
    public var swiftc: String
    public var runtime: String

    /// `Swift 6.3.1`, from `swiftc --version` (`Swift version 6.3.1 (swift-6.3.1-RELEASE)`).
    public var swiftVersion: String? {
        guard let r = swiftc.range(of: "Swift version ") else { return nil }
        let version = swiftc[r.upperBound...].prefix { !$0.isWhitespace }
        return version.isEmpty ? nil : "Swift \(version)"
    }

    public static func of(_ toolchain: Toolchain) -> ToolchainIdentity {
        let memo = toolchain.state.toolchainIdentity
        var table = (try? JSONDecoder().decode([String: String].self, from: Data(contentsOf: memo))) ?? [:]
        func stamp(_ url: URL) -> String { url.path + "|" + FileStamp.of(url.path) }
        let swiftcStamp = "swiftc " + stamp(toolchain.swiftc)
        let lib = toolchain.runtimeDirectory.appendingPathComponent("lib\(Toolchain.runtimeLibrary).so")
        let libStamp = "runtime " + stamp(lib)
        var changed = false
        if table[swiftcStamp] == nil {
            let r = try? Subprocess.run(toolchain.swiftc, arguments: ["--version"], timeout: 30, mergeStderr: true)
            table[swiftcStamp] = String(decoding: r?.stdout ?? Data(), as: UTF8.self)
            changed = true
        }
        if table[libStamp] == nil {
            var h = SHA256()
            if let data = try? Data(contentsOf: lib) { h.update(data) }
            table[libStamp] = h.finalize()
            changed = true
        }
        if changed, let data = try? JSONEncoder().encode(table) { try? AtomicFile.write(data, to: memo) }
        return ToolchainIdentity(swiftc: table[swiftcStamp]!, runtime: table[libStamp]!)
    }
}

/// The engine as `folio build` uses it: the cache in front of `SwiftExecutor`.
public struct CachingExecutor: NotebookExecutor {
    public var inner: SwiftExecutor
    public var cache: ExecutionCache
    public var identity: ToolchainIdentity
    /// The shared second level (`--cache URL`), if any.
    var remote: RemoteCache?

    public init(inner: SwiftExecutor) {
        self.inner = inner
        cache = ExecutionCache(state: inner.toolchain.state)
        identity = ToolchainIdentity.of(inner.toolchain)
    }

    /// What a shared entry must have been made with to be used here.
    func remoteInputs(_ request: ExecutionRequest) -> RemoteCache.Inputs {
        .init(folio: FolioVersion.string, swiftc: identity.swiftc, runtime: identity.runtime, project: request.modules.packagesIdentity)
    }

    public func execute(_ notebook: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook {
        guard notebook.hasCode else { return inner.execute(notebook, request) }
        let (key, warnings) = cache.key(for: notebook, toolchain: identity, project: request.modules.cacheKey(for: notebook))
        var nb = notebook
        nb.warnings += warnings
        if request.useCache, var hit = cache.load(key, for: nb) {
            hit.cacheKey = key
            return hit
        }
        if request.useCache, let remote, let data = remote.load(key: key, inputs: remoteInputs(request)),
           var hit = cache.decode(data, key: key, for: nb) {
            cache.adopt(data, key: key)
            hit.cacheKey = key
            return hit
        }
        // It must run: the shared module it imports is compiled now if no notebook needed it yet.
        if request.modules.dependsOnShared(nb), case let failure = request.modules.sharedFailure, !failure.isEmpty {
            return Self.notRun(nb, sharedFailure: failure)
        }
        var run = inner.execute(nb, request)
        run.cacheKey = key
        run.drift = cache.drift(run)
        // Runs that Folio could not complete (its own errors, no toolchain) are not cached.
        // nor are timeouts, which depend on how busy the machine was.
        let incomplete = run.diagnostics.contains { $0.kind == .engine || $0.kind == .timeout }
        if !incomplete, let data = cache.save(run, key: key) {
            remote?.store(key: key, content: data, inputs: remoteInputs(request))
        }
        return run
    }

    public var compiler: Toolchain? { inner.toolchain }

    /// A notebook that imports shared code that does not compile: nothing of it runs, and its page
    /// says why, pointing at the shared code's own errors (reported once for the build).
    static func notRun(_ notebook: Notebook, sharedFailure: [Diagnostic]) -> ExecutedNotebook {
        var run = ExecutedNotebook.unexecuted(notebook)
        for i in run.cells.indices where notebook.cells[i].isExecutable { run.cells[i].status = .notRun }
        let errors = sharedFailure.map(\.description).joined(separator: "\n")
        run.diagnostics.append(Diagnostic(file: notebook.path, line: 0, severity: .error, kind: .dependency,
                                          message: "not run: the project's shared code does not compile:\n\(errors)"))
        return run
    }
}
