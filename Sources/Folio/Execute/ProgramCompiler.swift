import Foundation

/// Compiles a generated program (`ProgramGenerator.Program`) in a folder that outlives the build,
/// one per notebook, with swiftc's own incremental build: a file whose text did not change is not
/// rewritten, so the compiler reuses its object and recompiles only the files that changed and
/// those that use a declaration whose interface changed (its fine-grained dependency graph).
///
/// swiftc notices a changed input by its modification time, to the second; a file rewritten
/// within the second of the last build would be taken for unchanged, so a rewritten file's object
/// is removed (a missing output is always rebuilt). What swiftc does not see at all (the
/// runtime library, the project's modules, the flags) is a stamp: when it changes, every object goes.
///
/// Each module but the last is compiled to objects and a `.swiftmodule` (`-c -emit-module`); the
/// last, which holds `main.swift`, is compiled and linked with the others' objects.
struct ProgramCompiler {
    let toolchain: Toolchain
    let folder: URL
    var swiftVersion: Int
    var optimize: Bool
    /// The project's modules (packages, shared code).
    var extra: [String]
    var timeout: Double
    /// What else the objects depend on (the project's modules' identity).
    var identity: String = ""
    /// The most compiler processes this compilation may run at once (the build's share of `--jobs`).
    var processes = 1
    /// Only type-check the last module (the language server): no code is generated for it and
    /// nothing is linked, so there is no program to run.
    var typecheckOnly = false

    struct Outcome {
        var status: Int32
        var output: Data
        var timedOut: Bool
        var binary: URL
    }

    /// Where `notebook` compiles across builds; locked while in use. When another build holds
    /// it, a scratch folder (removed on `release`) keeps the two apart.
    struct Workspace {
        var folder: URL
        var scratch: Bool
        fileprivate var lock: Int32

        static func open(for notebook: Notebook, state: StateDirectory) throws -> Workspace {
            let folder = state.buildFolder(for: notebook.runName)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let fd = Glibc.open(folder.appendingPathComponent(".lock").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            if fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 {
                return Workspace(folder: folder, scratch: false, lock: fd)
            }
            if fd >= 0 { close(fd) }
            let scratch = state.buildFolder()
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            return Workspace(folder: scratch, scratch: true, lock: -1)
        }

        func release() {
            if lock >= 0 { close(lock) }
            if scratch { try? FileManager.default.removeItem(at: folder) }
        }
    }

    func compile(_ program: ProgramGenerator.Program) throws -> Outcome {
        let binary = folder.appendingPathComponent("notebook")
        let probe = toolchain.compileArguments(swiftVersion: swiftVersion, optimize: optimize, moduleName: "", extra: extra)
        let stamp = ([identity, FileStamp.of(toolchain.swiftc.path),
                      FileStamp.of(toolchain.runtimeDirectory.appendingPathComponent("lib\(Toolchain.runtimeLibrary).so").path)] + probe).joined(separator: "\n")
        let stampFile = folder.appendingPathComponent("stamp")
        if (try? String(contentsOf: stampFile, encoding: .utf8)) != stamp {
            removeObjects(in: folder)
            try stamp.write(to: stampFile, atomically: true, encoding: .utf8)
        }
        // An earlier module whose interface changed: later modules compile afresh.
        var earlierChanged = false
        var written = Set<String>()
        var objects: [String] = []
        var output = Data()
        for (m, module) in program.modules.enumerated() {
            let last = m == program.modules.count - 1
            let dir = folder.appendingPathComponent(module.name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var sources: [String] = []
            var map: [String: [String: String]] = ["": ["swift-dependencies": dir.appendingPathComponent("module.swiftdeps").path]]
            if earlierChanged { removeObjects(in: dir) }
            var changed = false
            for file in module.files {
                let url = dir.appendingPathComponent(file.name)
                if try Self.writeIfChanged(file.text, to: url) {
                    changed = true
                    try? FileManager.default.removeItem(at: url.deletingPathExtension().appendingPathExtension("o"))
                }
                sources.append(url.path)
                written.insert(url.path)
                let stem = url.deletingPathExtension().path
                map[url.path] = ["object": stem + ".o", "swift-dependencies": stem + ".swiftdeps"]
            }
            // Files of an earlier shape of the notebook must not linger as inputs or objects.
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasSuffix(".swift") {
                if !written.contains(dir.appendingPathComponent(name).path) {
                    changed = true
                    let stem = dir.appendingPathComponent(String(name.dropLast(6))).path
                    for ext in [".swift", ".o", ".swiftdeps"] { try? FileManager.default.removeItem(atPath: stem + ext) }
                }
            }

            var args = toolchain.compileArguments(swiftVersion: swiftVersion, optimize: optimize, moduleName: module.name, extra: extra)
            args += ["-I", folder.path]
            if last && typecheckOnly {
                let result = try Subprocess.run(toolchain.swiftc, arguments: args + ["-typecheck"] + sources, currentDirectory: toolchain.workingDirectory,
                                                timeout: timeout, mergeStderr: true)
                output += result.stdout
                let status: Int32 = result.status == 0 && !result.timedOut ? 0 : max(1, result.status)
                return Outcome(status: status, output: output, timedOut: result.timedOut, binary: binary)
            }
            let whole = module.files.reduce(0) { $0 + $1.text.utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 } } < Self.wholeModuleLines
            if whole {
                // Small: one frontend over the whole module is faster than any incremental plan.
                let object = dir.appendingPathComponent("module.o")
                if last {
                    try? FileManager.default.removeItem(at: binary)
                    args += ["-wmo"] + sources + objects + ["-o", binary.path] + Self.exportSymbols
                } else {
                    objects.append(object.path)
                    if !changed && !earlierChanged && FileManager.default.fileExists(atPath: object.path) { continue }
                    try? FileManager.default.removeItem(at: object)
                    args += ["-wmo", "-parse-as-library", "-c", "-emit-module",
                             "-emit-module-path", folder.appendingPathComponent(module.name + ".swiftmodule").path] + sources + ["-o", object.path]
                }
            } else {
                let mapFile = dir.appendingPathComponent("output-file-map.json")
                try Self.writeIfChanged(String(decoding: try JSONSerialization.data(withJSONObject: map, options: [.sortedKeys]), as: UTF8.self), to: mapFile)
                args += ["-incremental", "-enable-batch-mode", "-enable-incremental-file-hashing", "-output-file-map", mapFile.path,
                         "-j", String(jobs(files: module.files.count))]
                if last {
                    // The link always runs: an earlier module's objects may have changed.
                    try? FileManager.default.removeItem(at: binary)
                    args += sources + objects + ["-o", binary.path] + Self.exportSymbols
                } else {
                    args += ["-parse-as-library", "-c", "-emit-module",
                             "-emit-module-path", folder.appendingPathComponent(module.name + ".swiftmodule").path] + sources
                    objects += module.files.map { dir.appendingPathComponent($0.name).deletingPathExtension().path + ".o" }
                }
            }
            let interface = folder.appendingPathComponent(module.name + ".swiftmodule")
            let before = try? Data(contentsOf: interface)
            let result = try Subprocess.run(toolchain.swiftc, arguments: args, currentDirectory: toolchain.workingDirectory, timeout: timeout, mergeStderr: true)
            output += result.stdout
            if result.status != 0 || result.timedOut {
                return Outcome(status: result.status == 0 ? 1 : result.status, output: output, timedOut: result.timedOut, binary: binary)
            }
            if !last && before != (try? Data(contentsOf: interface)) { earlierChanged = true }
        }
        return Outcome(status: 0, output: output, timedOut: false, binary: binary)
    }

    /// The program's own symbols stay visible to libraries it loads: preview's kernel loads the
    /// edited cells into a running program, and they bind to the earlier cells' globals.
    static let exportSymbols = ["-Xlinker", "--export-dynamic"]

    /// Below this many generated lines a module is compiled whole (`-wmo`): measured here, a
    /// notebook of a few hundred lines compiles in 0.3 s whole against 0.6 s file by file.
    static let wholeModuleLines = 1000

    /// Frontend processes for a module (batch mode gives each a share of the files; each loads
    /// the imported modules again, so no more processes than files, nor than the build allows).
    func jobs(files: Int) -> Int {
        max(1, min(processes, files))
    }

    /// Writes only when the text differs, so an unchanged file keeps its object; true if it wrote.
    @discardableResult
    static func writeIfChanged(_ text: String, to url: URL) throws -> Bool {
        let data = Data(text.utf8)
        if let old = try? Data(contentsOf: url), old == data { return false }
        try data.write(to: url, options: .atomic)
        return true
    }

    func removeObjects(in dir: URL) {
        guard let walk = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return }
        for case let url as URL in walk where url.pathExtension == "o" { try? FileManager.default.removeItem(at: url) }
    }
}
