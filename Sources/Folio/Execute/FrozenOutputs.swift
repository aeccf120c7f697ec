import Foundation

/// Frozen outputs (`folio freeze`): each notebook's executed outputs in a folder meant to be
/// committed (`_freeze/` by default), one JSON file per notebook (per set of a sweep), with what
/// they were made from written out to read in a review. A site can be built from them where Swift
/// is missing (`--frozen`), and `folio check --stale` says which no longer match their notebook.
///
/// They are checked against the notebook's *source* key: what the notebook itself decides (cells,
/// execution options, parameters, `inputs:` files) plus the project's shared code and `folio.lock`
/// — never prose, and never the compiler, which a machine that only publishes does not have.
public struct FrozenStore: Sendable {
    public var directory: URL
    let project: Project?

    public static let defaultDirectory = "_freeze"
    /// The footer's versions when the outputs were frozen.
    static let environmentFile = "environment.json"

    public init(directory: URL, project: Project?) {
        self.directory = directory
        self.project = project
    }

    /// One notebook's frozen outputs.
    struct Frozen: Codable {
        var format: Int
        var notebook: String
        var set: String?
        /// The full execution key the outputs were cached under.
        var key: String
        /// The source key they are checked against.
        var source: String
        /// What they were made from, for people: compiler, packages, shared code, cells, files.
        var inputs: [String: String]
        var entry: ExecutionCache.Entry
    }

    static let format = 1

    func file(for nb: Notebook) -> URL {
        let base = nb.relativePath.hasSuffix(".md") ? String(nb.relativePath.dropLast(3)) : nb.relativePath
        return directory.appendingPathComponent(base + ".json")
    }

    /// The source key: the notebook's own part, the project's shared code and lock file.
    func sourceKey(_ nb: Notebook) -> String {
        var h = SHA256()
        h.update(ExecutionCache.sourceKey(for: nb).key)
        if let project {
            if nb.frontMatter.shared, let shared = project.sharedSources {
                for f in SharedModuleBuild.swiftFiles(in: shared) {
                    h.update([0]); h.update(f.path.dropFirst(shared.path.count).utf8)
                    h.update((try? Data(contentsOf: f)) ?? Data())
                }
            }
            if !project.file.packages.isEmpty {
                h.update([1])
                h.update((try? Data(contentsOf: project.root.appendingPathComponent(PackageBuild.lockName))) ?? Data())
            }
        }
        return h.finalize()
    }

    /// Writes the frozen outputs of `run` (whose cache entry holds them).
    func freeze(_ run: ExecutedNotebook, cache: ExecutionCache, toolchain: ToolchainIdentity?, packages: String) throws -> Bool {
        let nb = run.notebook
        guard let key = run.cacheKey, let data = try? Data(contentsOf: cache.url(key)),
              let entry = try? JSONDecoder().decode(ExecutionCache.Entry.self, from: data) else { return false }
        var inputs: [String: String] = ["folio": FolioVersion.string]
        if let t = toolchain { inputs["swiftc"] = t.swiftVersion ?? t.swiftc; inputs["notebook library"] = String(t.runtime.prefix(16)) }
        if !packages.isEmpty { inputs["packages"] = packages }
        for cell in nb.cells where cell.language == .swift {
            inputs["cell at line \(cell.line)"] = String(SHA256.hex(cell.code).prefix(16))
        }
        for file in ExecutionCache.inputFiles(nb).0 {
            inputs["file \(file.relative)"] = String(SHA256.hex((try? Data(contentsOf: file.url)) ?? Data()).prefix(16))
        }
        for p in nb.frontMatter.params { inputs["parameter \(p.name)"] = p.value.display }
        let frozen = Frozen(format: Self.format, notebook: nb.path, set: nb.sweepSet?.label, key: key, source: sourceKey(nb),
                            inputs: inputs, entry: entry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let out = file(for: nb)
        do {
            try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(try encoder.encode(frozen), to: out)
        } catch {
            throw FolioError(file: out.path, "cannot write the frozen outputs: \(error.localizedDescription)")
        }
        return true
    }

    enum State: Equatable { case current, stale, missing }

    /// Whether `nb`'s frozen outputs still match it.
    func state(of nb: Notebook) -> State {
        guard let frozen = load(nb) else { return .missing }
        return frozen.source == sourceKey(nb) ? .current : .stale
    }

    func load(_ nb: Notebook) -> Frozen? {
        guard let data = try? Data(contentsOf: file(for: nb)), let f = try? JSONDecoder().decode(Frozen.self, from: data),
              f.format == Self.format else { return nil }
        return f
    }

    /// The run the frozen outputs stand for, when they are current.
    func run(of nb: Notebook, cache: ExecutionCache) -> ExecutedNotebook? {
        guard let frozen = load(nb), frozen.source == sourceKey(nb), let data = try? JSONEncoder().encode(frozen.entry),
              var run = cache.decode(data, key: frozen.key, for: nb) else { return nil }
        run.cacheKey = frozen.key
        return run
    }
}

/// The engine of `folio build --frozen` and of `freeze: auto`: a notebook whose frozen outputs are
/// current is shown from them; otherwise it runs (auto), or fails saying to freeze it (frozen only).
struct FrozenExecutor: NotebookExecutor {
    let store: FrozenStore
    /// The engine for notebooks that are not frozen (`freeze: auto`); nil for `--frozen`.
    let inner: NotebookExecutor?
    let cache: ExecutionCache

    var compiler: Toolchain? { inner?.compiler }

    func execute(_ notebook: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook {
        guard notebook.hasCode else { return inner?.execute(notebook, request) ?? ExecutedNotebook.unexecuted(notebook) }
        if let run = store.run(of: notebook, cache: cache) { return run }
        if let inner { return inner.execute(notebook, request) }
        var run = ExecutedNotebook.unexecuted(notebook)
        let why = store.state(of: notebook) == .missing ? "has no frozen outputs" : "has frozen outputs that no longer match it"
        run.diagnostics.append(Diagnostic(file: notebook.path, line: 0, severity: .error, kind: .source,
                                          message: "\(why) (\(store.file(for: notebook).lastPathComponent) in \(store.directory.lastPathComponent)/); run `folio freeze` where Swift is installed"))
        return run
    }
}
