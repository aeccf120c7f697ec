import Foundation
import Testing
@testable import Folio

/// The engine as a library: builds get their folder, `.folio/` and environment from a
/// `BuildContext`, never from the process, so one process can build several projects at once
/// (what a language server does) and the tests' process, started in the repository, leaves the
/// repository's own `.folio/` alone.
@Suite struct BuildContextTests {
    /// A project whose one notebook prints `word` and claims something about it.
    func project(_ word: String) -> (root: URL, notebook: String) {
        let root = TestSupport.temporaryDirectory("context-\(word)")
        let name = "ctx-\(word)-\(UUID().uuidString.prefix(6)).md"
        TestSupport.write("title: \(word)\nnotebooks: notebooks\n", to: root.appendingPathComponent("folio.yml"))
        TestSupport.write("""
            # \(word)

            ```swift
            let word = "\(word)"
            print("the word is \\(word)")
            check(word.count == \(word.count), "the word has \(word.count) letters")
            ```
            """, to: root.appendingPathComponent("notebooks/\(name)"))
        return (root, "notebooks/" + name)
    }

    /// The environment of a build from these tests: the runtime the tests were built with.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
        return env
    }

    @Test func twoProjectsBuildAtOnceInOneProcessEachWithItsOwnState() async throws {
        let repositoryState = StateDirectory(in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let projects = [project("alpha"), project("omega")]
        let summaries = await withTaskGroup(of: (Int, BuildSummary).self) { group in
            for (i, p) in projects.enumerated() {
                group.addTask {
                    let loaded = try! Project.load(root: p.root)
                    let context = BuildContext(project: loaded, environment: Self.environment)
                    var flags = BuildFlags()
                    flags.jobs = 1
                    let options = BuildOptions.resolve(.build, flags: flags, project: loaded)
                    let log = CollectingLog()
                    let builder = Builder(context: context, options: options, log: log,
                                          executor: EngineFactory.executor(for: options, context: context, log: log))
                    return (i, builder.run())
                }
            }
            var out: [Int: BuildSummary] = [:]
            for await (i, s) in group { out[i] = s }
            return out
        }
        for (i, p) in projects.enumerated() {
            let word = i == 0 ? "alpha" : "omega", other = i == 0 ? "omega" : "alpha"
            let summary = try #require(summaries[i])
            #expect(summary.exitCode == 0, "\(word): \(summary.errors)")
            #expect(summary.runs.first?.claims.allSatisfy(\.passed) == true)
            // Messages name the notebook as the project does, wherever the process runs.
            #expect(summary.runs.first?.notebook.path == p.notebook)
            let page = TestSupport.read(p.root.appendingPathComponent("site/" + String(p.notebook.dropFirst("notebooks/".count).dropLast(3)) + ".html"))
            #expect(page.contains("the word is \(word)") && !page.contains("the word is \(other)"))
            // Each project's state is its own: the page ledger, the run times, the build folder.
            let state = StateDirectory(in: p.root)
            #expect(Self.keys(state.pageLedger).contains { $0.hasPrefix(p.root.appendingPathComponent("site").path + "|") })
            #expect(Self.keys(state.runTimes) == [p.notebook])
            #expect(FileManager.default.fileExists(atPath: state.buildFolder(for: p.notebook).path))
            #expect(!((try? FileManager.default.contentsOfDirectory(atPath: state.executionCache.path)) ?? []).isEmpty)
            // Nothing of it went into the repository's `.folio/`, where the tests run.
            #expect(!Self.keys(repositoryState.pageLedger).contains { $0.hasPrefix(p.root.path) })
            #expect(!Self.keys(repositoryState.runTimes).contains(p.notebook))
            #expect(!FileManager.default.fileExists(atPath: repositoryState.buildFolder(for: p.notebook).path))
        }
    }

    /// The keys of a JSON object file of `.folio/`; none when it is not there.
    static func keys(_ file: URL) -> [String] {
        guard let data = try? Data(contentsOf: file), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        return object.keys.sorted()
    }

    /// The folder relative paths start from is the context's: a notebook given relative to it is
    /// found, and its images and data files are looked for beside it, not in the process's folder.
    @Test func relativeInputsAreTheContextsNotTheProcesss() throws {
        let folder = TestSupport.temporaryDirectory("context-relative")
        TestSupport.write("a,b\n1,2\n", to: folder.appendingPathComponent("notes/data.csv"))
        TestSupport.write("""
            ---
            inputs: [data.csv]
            ---
            # Relative

            ```swift
            import Foundation
            let text = try! String(contentsOfFile: "data.csv", encoding: .utf8)
            check(text.hasPrefix("a,b"), "the data file is read beside the notebook")
            ```
            """, to: folder.appendingPathComponent("notes/relative.md"))
        var flags = BuildFlags()
        flags.inputs = ["notes"]
        flags.output = "out"
        let options = BuildOptions.resolve(.build, flags: flags, project: nil)
        let context = BuildContext(folder: folder, environment: Self.environment)
        let log = CollectingLog()
        let summary = Builder(context: context, options: options, log: log,
                              executor: EngineFactory.executor(for: options, context: context, log: log)).run()
        #expect(summary.exitCode == 0, "\(log.text)")
        #expect(summary.runs.first?.notebook.path == "notes/relative.md")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/relative.html").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".folio/pages.json").path))
    }

    /// swiftc's module cache is the one thing shared between projects: where the context's
    /// environment says, else the user's cache folder, else the project's `.folio/`.
    @Test func theModuleCacheIsTheUsersNotTheProjects() throws {
        let folder = TestSupport.temporaryDirectory("context-module-cache")
        func cache(_ env: [String: String]) -> String {
            Toolchain.moduleCache(for: BuildContext(folder: folder, environment: env)).path
        }
        #expect(cache(["FOLIO_MODULE_CACHE": "/somewhere/mc", "HOME": folder.path]) == "/somewhere/mc")
        #expect(cache(["XDG_CACHE_HOME": folder.appendingPathComponent("xdg").path, "HOME": "/nonexistent"])
                == folder.appendingPathComponent("xdg/folio/module-cache").path)
        #expect(cache(["HOME": folder.appendingPathComponent("home").path]) == folder.appendingPathComponent("home/.cache/folio/module-cache").path)
        #expect(cache([:]) == folder.appendingPathComponent(".folio/module-cache").path)

        // A build compiles with it: the shared folder fills, the project's `.folio/` gets none.
        let (root, notebook) = project("cached")
        let shared = root.appendingPathComponent("shared-cache")
        var env = Self.environment
        env["FOLIO_MODULE_CACHE"] = shared.path
        let context = BuildContext(folder: root, environment: env)
        var flags = BuildFlags()
        flags.inputs = [notebook]
        let options = BuildOptions.resolve(.build, flags: flags, project: nil)
        let log = CollectingLog()
        let summary = Builder(context: context, options: options, log: log,
                              executor: EngineFactory.executor(for: options, context: context, log: log)).run()
        #expect(summary.exitCode == 0, "\(log.text)")
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: shared.path)) ?? []).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".folio/module-cache").path))
    }
}
