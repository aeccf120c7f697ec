import Foundation

/// What a project's notebooks link against beyond Folio's own library: its SwiftPM packages (one
/// dynamic library built by SwiftPM under `.folio/packages`) and its shared Swift code (one module,
/// `Shared`, compiled by swiftc from `swift/*.swift`). The packages are built before any notebook
/// runs unless this machine built them already; the shared module is compiled when the first
/// notebook that imports it must run, so a build whose outputs all come from a cache compiles
/// nothing. Both are skipped entirely when nothing they are made from changed.
public struct ProjectModules: Sendable {
    /// The shared code's module name; notebooks import it implicitly (`@testable`, so helpers need
    /// no `public`).
    public static let sharedModuleName = "Shared"

    /// swiftc arguments a notebook (or the shared module) needs to import and link the packages.
    public var packageArguments: [String] = []
    /// Compiles the shared module once, when first needed.
    var shared: SharedLinker?
    /// The shared module's folder, when it compiled.
    public var sharedModule: URL? { shared?.result().module }
    /// What the packages are (their resolved pins); part of every notebook's cache key.
    public var packagesIdentity = ""
    /// What the shared module is made of (its files, the packages); part of its dependents' keys.
    public var sharedIdentity: String?
    /// The shared code's compile errors, each at its own file and line; its dependents do not run.
    public var sharedFailure: [Diagnostic] { shared?.result().failure ?? [] }
    /// `swift-numerics 1.1.1`, … for the page footer.
    public var versions: [String] = []

    public init() {}

    /// Whether `nb` imports the shared module (it has code, and did not say `shared: false`).
    public func dependsOnShared(_ nb: Notebook) -> Bool {
        (sharedIdentity != nil) && nb.frontMatter.shared && nb.hasCode
    }

    /// swiftc arguments for a notebook: the packages, and the shared module when it depends on it.
    public func arguments(for nb: Notebook) -> [String] {
        var args = packageArguments
        if dependsOnShared(nb), let dir = sharedModule {
            args += ["-I", dir.path, "-L", dir.path, "-l" + Self.sharedModuleName, "-Xlinker", "-rpath", "-Xlinker", dir.path]
        }
        return args
    }

    /// What goes into `nb`'s cache key from the project.
    public func cacheKey(for nb: Notebook) -> String {
        var key = packagesIdentity.isEmpty ? "" : "packages \(packagesIdentity)"
        if dependsOnShared(nb), let shared = sharedIdentity { key += " shared \(shared)" }
        return key
    }

    // MARK: - Building

    /// Builds what `project` needs: packages first (the shared code may import them), then the
    /// shared module. A package that cannot be resolved or built throws (the build cannot run);
    /// shared code that does not compile is returned as `sharedFailure` (its notebooks fail).
    /// `packagesBuilt`: use only packages a build made; never resolve or build them here.
    public static func build(_ project: Project, toolchain: Toolchain, log: BuildLog, packagesBuilt: Bool = false) throws -> ProjectModules {
        var modules = ProjectModules()
        if !project.file.packages.isEmpty {
            let packages = try PackageBuild(project: project, toolchain: toolchain).build(log: log, onlyIfBuilt: packagesBuilt)
            modules.packageArguments = packages.arguments
            modules.packagesIdentity = packages.identity
            modules.versions = packages.pins.map { "\($0.identity) \($0.version)" }
        }
        if let folder = project.sharedSources {
            let shared = SharedModuleBuild(project: project, folder: folder, toolchain: toolchain, packageArguments: modules.packageArguments,
                                           packagesIdentity: modules.packagesIdentity)
            modules.sharedIdentity = try shared.identity()
            modules.shared = SharedLinker(build: shared, log: log)
        }
        return modules
    }
}

/// The shared module, compiled at most once per build, by whichever notebook needs it first; its
/// errors are printed then, once.
final class SharedLinker: @unchecked Sendable {
    let build: SharedModuleBuild
    let log: BuildLog
    private let lock = NSLock()
    private var done: (module: URL?, failure: [Diagnostic])?

    init(build: SharedModuleBuild, log: BuildLog) {
        self.build = build
        self.log = log
    }

    func result() -> (module: URL?, failure: [Diagnostic]) {
        lock.lock()
        defer { lock.unlock() }
        if let done { return done }
        let outcome: (URL?, [Diagnostic])
        do {
            switch try build.build(log: log) {
            case .success(let dir): outcome = (dir, [])
            case .failure(let f): outcome = (nil, f.diagnostics)
            }
        } catch let e as FolioError {
            outcome = (nil, [e.diagnostic])
        } catch {
            outcome = (nil, [Diagnostic(file: build.project.shown(build.folder), line: 0, severity: .error, kind: .engine, message: "\(error)")])
        }
        for d in outcome.1 { log.message(d.description) }
        done = outcome
        return outcome
    }
}

/// The shared Swift folder compiled into one library and module with swiftc, into a folder named
/// by the hash of everything it is made from: a warm build finds it and runs no compiler.
struct SharedModuleBuild {
    let project: Project
    let folder: URL
    let toolchain: Toolchain
    let packageArguments: [String]
    let packagesIdentity: String

    struct Failure: Error { var diagnostics: [Diagnostic] }

    /// The `.swift` files below the folder, sorted (hidden folders skipped).
    func files() -> [URL] { Self.swiftFiles(in: folder) }

    static func swiftFiles(in folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
            .map(\.standardizedFileURL).sorted { $0.path < $1.path }
    }

    func identity() throws -> String {
        var h = SHA256()
        h.update("shared \(ProjectModules.sharedModuleName) \(FolioVersion.string)\u{0}")
        h.update(packagesIdentity + "\u{0}")
        h.update(toolchain.swiftc.path + "|" + FileStamp.of(toolchain.swiftc.path) + "\u{0}")
        h.update(toolchain.runtimeDirectory.path + "|" + FileStamp.of(toolchain.runtimeDirectory.appendingPathComponent("lib\(Toolchain.runtimeLibrary).so").path) + "\u{0}")
        for file in files() {
            h.update(String(file.path.dropFirst(folder.path.count)) + "\u{0}")
            guard let data = try? Data(contentsOf: file) else {
                throw FolioError(file: project.shown(file), "cannot read the shared Swift file")
            }
            h.update(data)
            h.update([0])
        }
        return h.finalize()
    }

    /// Compiled in a folder of its own and renamed into place when done, so builds running at once
    /// in one project (a reviewer's runs, an editor's language server beside a build) never see
    /// each other's half-written objects: the first to finish wins, the others use its folder.
    func build(log: BuildLog) throws -> Result<URL, Failure> {
        let key = try identity()
        let parent = toolchain.state.url.appendingPathComponent("shared")
        let final = parent.appendingPathComponent(key)
        if FileManager.default.fileExists(atPath: final.appendingPathComponent("built").path) { return .success(final) }
        // Older versions: nothing links them any more. Folders being built (dot-named) are left to
        // their builds, unless a day old (a build that was killed).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name != key {
            let url = parent.appendingPathComponent(name)
            if name.hasPrefix("."), let modified = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate,
               Date().timeIntervalSince(modified) < 86_400 { continue }
            try? FileManager.default.removeItem(at: url)
        }
        let dir = parent.appendingPathComponent(".\(key)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw FolioError(file: dir.path, kind: .engine, "cannot create the shared module's folder: \(error.localizedDescription)")
        }
        log.note("folio: compiling the shared code in \(project.shown(folder))/")
        let name = ProjectModules.sharedModuleName
        var args = ["-emit-library", "-emit-module", "-parse-as-library", "-enable-testing", "-module-name", name,
                    "-swift-version", "5", "-Onone", "-g", "-diagnostic-style", "llvm"]
        args += toolchain.runtimeArguments() + packageArguments
        args += ["-Xlinker", "-soname", "-Xlinker", "lib\(name).so"]
        args += files().map(\.path)
        args += ["-o", dir.appendingPathComponent("lib\(name).so").path,
                 "-emit-module-path", dir.appendingPathComponent("\(name).swiftmodule").path]
        let result: Subprocess.Result
        do {
            result = try Subprocess.run(toolchain.swiftc, arguments: args, currentDirectory: project.root, timeout: 600, mergeStderr: true)
        } catch {
            throw FolioError(file: project.shown(folder), kind: .engine, "cannot run swiftc: \(error)")
        }
        let output = String(decoding: result.stdout, as: UTF8.self)
        if result.status != 0 || result.timedOut {
            var diagnostics = CompilerDiagnostics.parse(output, shownAs: { project.shown(URL(fileURLWithPath: $0)) })
                .filter { $0.severity == .error }
            if diagnostics.isEmpty {
                diagnostics = [Diagnostic(file: project.shown(folder), line: 0, severity: .error, kind: result.timedOut ? .timeout : .compile,
                                          message: result.timedOut ? "compiling the shared code took too long" : "the shared code did not compile:\n\(output.suffix(4000))")]
            }
            return .failure(Failure(diagnostics: diagnostics))
        }
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("built").path, contents: Data())
        let built = { FileManager.default.fileExists(atPath: final.appendingPathComponent("built").path) }
        if rename(dir.path, final.path) != 0 && !built() {
            // A half-built folder of an interrupted older build is in the way.
            try? FileManager.default.removeItem(at: final)
            if rename(dir.path, final.path) != 0 && !built() {
                throw FolioError(file: final.path, kind: .engine, "cannot move the compiled shared module into place: \(String(cString: strerror(errno)))")
            }
        }
        return .success(final)
    }
}
