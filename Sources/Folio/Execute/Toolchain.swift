import Foundation

/// Where the compiler and Folio's notebook modules are.
///
/// Notebooks link against `libFolioNotebookSupport.so` (Compute, Plots, FolioRuntime) and the
/// `.swiftmodule`s of the very build the running `folio` came from: in a build tree they sit in
/// the same folder as the executable (`.build/release`, `.build/debug`); installed (`make
/// install`), in `../lib/folio` beside `bin/folio`, with the C module maps under its `include/`.
/// Both are found from where the executable is, so an installed tree can move. `FOLIO_RUNTIME_DIR`
/// overrides it.
public struct Toolchain: Sendable {
    public var swiftc: URL
    public var runtimeDirectory: URL
    /// The build's `.folio/`: build folders, execution cache.
    public var state: StateDirectory
    /// swiftc's module cache (`moduleCache(for:)`).
    public var moduleCache: URL
    /// The build's folder, where the compiler runs: notebooks' `#sourceLocation` paths are relative to it.
    public var workingDirectory: URL
    /// What notebook programs start with (`NotebookEnvironment` is added per run).
    public var environment: [String: String]
    /// The module maps of Compute's C dependencies, which clients of its module must see.
    public var clapackModuleMap: String
    public var kernelsModuleMap: String

    public static let runtimeLibrary = "FolioNotebookSupport"

    /// The toolchain `context`'s environment names (`FOLIO_SWIFTC`, `PATH`, `FOLIO_RUNTIME_DIR`).
    public static func find(_ context: BuildContext) throws -> Toolchain {
        let env = context.environment
        var swiftc: URL?
        if let s = env["FOLIO_SWIFTC"] { swiftc = URL(fileURLWithPath: s) }
        if swiftc == nil {
            swiftc = Executable.onPath("swiftc", path: env["PATH"])
        }
        guard let swiftc else {
            throw FolioError(file: "folio", kind: .engine, "swiftc was not found on PATH; install Swift or set FOLIO_SWIFTC")
        }
        let runtime: URL
        if let r = env["FOLIO_RUNTIME_DIR"] {
            runtime = URL(fileURLWithPath: r)
        } else {
            let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            let folders = [Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent(), exe.deletingLastPathComponent()].compactMap { $0 }
            let candidates = folders.flatMap { [$0, $0.appendingPathComponent(installedRuntime).standardizedFileURL] }
            runtime = candidates.first { Self.hasRuntime($0) } ?? exe.deletingLastPathComponent()
        }
        guard hasRuntime(runtime) else {
            throw FolioError(file: "folio", kind: .engine, "Folio's notebook runtime (lib\(runtimeLibrary).so and its modules) is not in \(runtime.path); build everything with `swift build` (or `make build`)")
        }
        // Installed, the module maps travel with the library; in a build tree they are the sources'.
        let installedMaps = runtime.appendingPathComponent("include")
        let maps = FileManager.default.fileExists(atPath: installedMaps.appendingPathComponent("CLAPACK/module.modulemap").path)
            ? (installedMaps.appendingPathComponent("CLAPACK"), installedMaps.appendingPathComponent("ComputeKernels"))
            : (sourcesDirectory.appendingPathComponent("CLAPACK"), sourcesDirectory.appendingPathComponent("ComputeKernels/include"))
        return Toolchain(swiftc: swiftc, runtimeDirectory: runtime, state: context.state, moduleCache: moduleCache(for: context),
                         workingDirectory: context.folder, environment: env,
                         clapackModuleMap: env["FOLIO_CLAPACK_DIR"] ?? maps.0.path,
                         kernelsModuleMap: env["FOLIO_KERNELS_DIR"] ?? maps.1.path)
    }

    /// swiftc's module cache: `FOLIO_MODULE_CACHE`, else the user's cache folder
    /// (`$XDG_CACHE_HOME/folio/module-cache`, `~/.cache/folio/module-cache`), else the project's
    /// `.folio/`. Shared between projects because building the system and C modules (Foundation,
    /// Glibc, LAPACK's map) is most of a small notebook's first compile (≈ 2 s of 2.4); entries are
    /// keyed by the compiler and its options, and swiftc takes turns on them with lock files.
    static func moduleCache(for context: BuildContext) -> URL {
        let env = context.environment
        if let dir = env["FOLIO_MODULE_CACHE"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        let home = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? env["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0).appendingPathComponent(".cache") }
        if let cache = home?.appendingPathComponent("folio/module-cache"),
           (try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)) != nil,
           FileManager.default.isWritableFile(atPath: cache.path) {
            return cache
        }
        return context.state.moduleCache
    }

    /// Where `make install` puts the notebook library and modules, relative to `bin/folio`.
    static let installedRuntime = "../lib/folio"

    /// The `Sources/` of the tree this Folio was built from: `CLAPACK`, `ComputeKernels/include`.
    static var sourcesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func hasRuntime(_ dir: URL) -> Bool {
        FileManager.default.fileExists(atPath: dir.appendingPathComponent("lib\(runtimeLibrary).so").path)
            && FileManager.default.fileExists(atPath: dir.appendingPathComponent("Modules/FolioRuntime.swiftmodule").path)
    }

    /// swiftc arguments for one module of a notebook program; `extra` adds a project's modules.
    /// Line tables are enough for the crash backtrace to name the `.md` line, and cost a fraction
    /// of full debug information. Access control is off because each module of cells must see
    /// the internal declarations of the ones before it (see `ProgramGenerator`).
    func compileArguments(swiftVersion: Int, optimize: Bool, moduleName: String, extra: [String] = []) -> [String] {
        [
            "-swift-version", String(swiftVersion),
            optimize ? "-O" : "-Onone", "-gline-tables-only",
            "-module-name", moduleName,
            "-enable-testing", "-Xfrontend", "-disable-access-control",
            "-diagnostic-style", "llvm",
        ] + runtimeArguments() + extra
    }

    /// What any code that imports Folio's notebook modules needs: their module folder, the module
    /// maps of Compute's C dependencies, the runtime library, the module cache.
    func runtimeArguments() -> [String] {
        let bin = runtimeDirectory.path
        return [
            "-I", bin + "/Modules",
            // Compute's C dependencies: clients of its module must see their module maps too.
            "-I", clapackModuleMap,
            "-I", kernelsModuleMap,
            "-L", bin, "-l" + Self.runtimeLibrary,
            "-Xlinker", "-rpath", "-Xlinker", bin,
            "-module-cache-path", moduleCache.path,
        ]
    }

    /// SwiftPM, beside swiftc.
    var swiftPM: URL { swiftc.deletingLastPathComponent().appendingPathComponent("swift") }
}
