import Foundation
import Testing
@testable import Folio

/// Projects end to end: a copy of `Tests/Fixtures/project` (defaults, a profile, a theme override,
/// shared code, one package) built by the `folio` binary, then edited and broken on purpose.
@Suite(.serialized) struct ProjectTests {
    func fixture() throws -> URL { try TestSupport.copyOfFixture("project") }

    func build(_ dir: URL, _ extra: [String] = [], in folder: String? = nil) throws -> (status: Int32, output: String, report: BuildReport?) {
        try TestSupport.buildWithReport(dir, extra, in: folder.map { dir.appendingPathComponent($0) })
    }

    func executed(_ report: BuildReport?) -> [String: Bool] { TestSupport.executed(report) }

    func snapshot(_ site: URL) -> [String: Data] { TestSupport.files(in: site) }

    func read(_ dir: URL, _ path: String) -> String { TestSupport.read(dir.appendingPathComponent(path)) }

    @Test func aProjectBuildsInOrderWithItsDefaultsThemeSharedCodeAndPackage() throws {
        let dir = try fixture()
        let cold = try build(dir)
        #expect(cold.status == 0, "\(cold.output)")
        #expect(executed(cold.report) == ["notebooks/intro.md": true, "notebooks/results/second.md": true,
                                          "notebooks/results/first.md": true, "notebooks/prose.md": false])
        // The package is real: Complex arithmetic from swift-numerics ran, and its version is pinned.
        let second = read(dir, "site/results/second.html")
        #expect(second.contains("after four turns 2.0 1.0"))
        #expect(read(dir, "folio.lock").contains("\"identity\" : \"swift-numerics\""))
        #expect(second.contains("<footer class=\"site-footer\"><span>Swift 6."))
        #expect(second.contains("<span>swift-numerics 1.1.1</span></footer>"))
        // Metadata, defaults (a notebook's own tags win), the theme's page frame and claim fragment.
        let intro = read(dir, "site/intro.html")
        #expect(intro.contains("<title>Introduction · Fixture Project</title>"))
        #expect(intro.contains("<meta name=\"author\" content=\"Ada Tester\">"))
        #expect(intro.contains("<meta name=\"description\" content=\"A project that uses every key of folio.yml.\">"))
        #expect(intro.contains("<span class=\"tag\">fixture</span>"))
        #expect(second.contains("<span class=\"tag\">own</span>") && !second.contains("<span class=\"tag\">fixture</span>"))
        #expect(intro.contains("<p class=\"fixture-banner\">Fixture Project: Introduction</p>"))
        #expect(intro.contains("<div class=\"claim holds\" data-theme=\"fixture\""))
        #expect(intro.contains("Content-Security-Policy"))
        // Navigation follows the list, with its section.
        let index = read(dir, "site/index.html")
        let order = ["intro.html", "results/second.html", "results/first.html", "prose.html"].map { index.range(of: "href=\"\($0)\"")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && zip(order, order.dropFirst()).allSatisfy { $0! < $1! }, "\(index)")
        #expect(index.contains("<li class=\"group\">Results</li>"))
        #expect(index.contains("<h1>Fixture Project</h1>"))
        let sitemap = read(dir, "site/sitemap.xml")
        #expect(sitemap.contains("<loc>https://example.org/fixture/results/second.html</loc>"))

        // Warm: nothing runs, and SwiftPM is not asked.
        let warm = try build(dir)
        #expect(warm.status == 0)
        #expect(executed(warm.report).values.allSatisfy { !$0 })
        #expect(!warm.output.contains("resolving packages"))

        // Editing the shared code, even only a comment, runs again exactly its dependents.
        let helper = dir.appendingPathComponent("swift/Geometry.swift")
        TestSupport.write(read(dir, "swift/Geometry.swift") + "// an edited comment\n", to: helper)
        let edited = try build(dir)
        #expect(edited.status == 0, "\(edited.output)")
        #expect(executed(edited.report) == ["notebooks/intro.md": true, "notebooks/results/second.md": true,
                                            "notebooks/results/first.md": false, "notebooks/prose.md": false])

        // A profile overlays the file; run from a folder inside the project, it still builds the project.
        let quick = try build(dir, ["--profile", "quick"], in: "notebooks/results")
        #expect(quick.status == 0, "\(quick.output)")
        #expect(read(dir, "site/intro.html").contains("<title>Introduction · Fixture Project (quick)</title>"))
        #expect(read(dir, "site/intro.html").contains("<span class=\"tag\">quick</span>"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("notebooks/results/site").path))

        // Shared code that does not compile: one error at its own line, the dependents not run.
        let site = snapshot(dir.appendingPathComponent("site"))
        TestSupport.write("func broken() -> Int {\n    return \"no\"\n}\n", to: dir.appendingPathComponent("swift/Broken.swift"))
        let broken = try build(dir)
        #expect(broken.status == ExitStatus.notebookFailed.rawValue)
        #expect(broken.output.components(separatedBy: "swift/Broken.swift:2:12: error:").count == 2, "\(broken.output)")
        #expect(broken.output.contains("2 notebooks not run: the shared code in swift/ does not compile"))
        #expect(executed(broken.report)["notebooks/results/first.md"] == false)  // unaffected: from the cache
        #expect(broken.report?.notebooks.first { $0.source == "notebooks/results/first.md" }?.status == "ok")
        #expect(read(dir, "site/intro.html").contains("swift/Broken.swift:2:12: error:"))
        #expect(snapshot(dir.appendingPathComponent("site")) != site)  // rendered, with the error
        try FileManager.default.removeItem(at: dir.appendingPathComponent("swift/Broken.swift"))
        #expect(try build(dir).status == 0)

        // A second package: its pin joins every notebook's key (all code re-runs) and the footer.
        TestSupport.write(read(dir, "folio.yml") + "  - url: https://github.com/apple/swift-collections\n    from: 1.6.0\n    products: [DequeModule]\n",
                          to: dir.appendingPathComponent("folio.yml"))
        TestSupport.write(read(dir, "notebooks/results/first.md") + "\n```swift\nimport DequeModule\nvar queue: Deque = [2, 3]\nqueue.prepend(1)\nexpect(Array(queue), equals: [1, 2, 3], \"a deque prepends\")\n```\n",
                          to: dir.appendingPathComponent("notebooks/results/first.md"))
        let two = try build(dir)
        #expect(two.status == 0, "\(two.output)")
        #expect(executed(two.report) == ["notebooks/intro.md": true, "notebooks/results/second.md": true,
                                         "notebooks/results/first.md": true, "notebooks/prose.md": false])
        #expect(read(dir, "site/intro.html").contains("<span>swift-collections 1.6.0</span> · <span>swift-numerics 1.1.1</span></footer>"))
        #expect(read(dir, "folio.lock").contains("\"identity\" : \"swift-collections\""))
    }

    @Test func badProjectFilesAreErrorsAtTheirLineAndLeaveTheSite() throws {
        let dir = try fixture()
        let config = dir.appendingPathComponent("folio.yml")
        let original = read(dir, "folio.yml")
        #expect(try build(dir).status == 0)
        let site = snapshot(dir.appendingPathComponent("site"))

        func expectError(_ yaml: String, _ message: String, _ extra: [String] = []) throws {
            TestSupport.write(yaml, to: config)
            let r = try build(dir, extra)
            #expect(r.status == ExitStatus.couldNotBuild.rawValue, "\(r.output)")
            #expect(r.output.contains(message), "\(r.output)")
            #expect(snapshot(dir.appendingPathComponent("site")) == site)
        }
        try expectError(original.replacingOccurrences(of: "  timeout: 120", with: "  timeout: soon"),
                        "folio.yml:14:12: error: `defaults.timeout` must be a positive number of seconds")
        try expectError(original.replacingOccurrences(of: "base-url: https://", with: "base-url: ftp://"),
                        "folio.yml:5:11: error: `base-url` must be an http:// or https:// address")
        try expectError(original.replacingOccurrences(of: "notebooks/prose.md", with: "notebooks/gone.md"),
                        "folio.yml:12:5: error: discover: notebook `notebooks/gone.md` does not exist")
        try expectError(original, "folio.yml:17:3: error: unknown profile `slow`; the profiles here are: quick", ["--profile", "slow"])
        try expectError(original.replacingOccurrences(of: "apple/swift-numerics", with: "apple/swift-no-such-package"),
                        "folio.yml:24:5: error: prepare: package https://github.com/apple/swift-no-such-package could not be resolved")
        try expectError(original.replacingOccurrences(of: "    products: [Numerics]\n", with: ""),
                        "folio.yml:24:5: error: package https://github.com/apple/swift-numerics needs `products:`")
        try expectError(original.replacingOccurrences(of: "[Numerics]", with: "[NoSuchProduct]"),
                        "folio.yml:24:5: error: prepare: package https://github.com/apple/swift-numerics")

        // An unknown key is a warning at its line; the build goes on.
        TestSupport.write(original + "colour: blue\n", to: config)
        let warned = try build(dir)
        #expect(warned.status == 0, "\(warned.output)")
        #expect(warned.output.contains("folio.yml:27:1: warning: unknown key `colour` is ignored"))
    }

    /// The progress display: a status line redrawn in place on a terminal, plain lines and a
    /// heartbeat elsewhere, nothing but problems with `--quiet`.
    @Test func progressIsAStatusLineOnATerminalAndPlainLinesElsewhere() throws {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var text = ""
            func add(_ s: String) { lock.lock(); text += s; lock.unlock() }
        }
        func drive(_ log: ProgressLog) {
            log.progress(.started(notebook: "notebooks/a.md", index: 1, total: 2))
            log.progress(.phase(notebook: "notebooks/a.md", .compiling))
            log.progress(.phase(notebook: "notebooks/a.md", .running(cell: 2, of: 5)))
            Thread.sleep(forTimeInterval: 2.5)
            log.message("notebooks/a.md:3: error: boom")
            log.progress(.finished(notebook: "notebooks/a.md", seconds: 2.5, executed: true, failed: true))
            log.note("folio: compiling the shared code")
            log.finish()
        }
        let tty = Sink()
        drive(ProgressLog(verbosity: .normal, terminal: true, write: { tty.add($0) }))
        #expect(tty.text.contains("\r\u{1B}[K[1/2] notebooks/a.md — cell 2/5 (2 s)"), "\(tty.text.debugDescription)")
        #expect(tty.text.contains("\r\u{1B}[Knotebooks/a.md:3: error: boom\n"))
        #expect(tty.text.hasSuffix("\r\u{1B}[K") || tty.text.hasSuffix("\n"))

        let plain = Sink()
        drive(ProgressLog(verbosity: .normal, terminal: false, heartbeat: 1, write: { plain.add($0) }))
        #expect(!plain.text.contains("\u{1B}"))
        #expect(plain.text.contains("folio: still running notebooks/a.md — cell 2/5 (1 s)\n"), "\(plain.text)")
        #expect(plain.text.contains("folio: [1/2] notebooks/a.md failed after 2.5 s\n"))
        #expect(plain.text.contains("folio: compiling the shared code\n"))

        let quiet = Sink()
        drive(ProgressLog(verbosity: .quiet, terminal: false, heartbeat: 1, write: { quiet.add($0) }))
        #expect(quiet.text == "notebooks/a.md:3: error: boom\n")

        let verbose = Sink()
        drive(ProgressLog(verbosity: .verbose, terminal: false, heartbeat: 60, write: { verbose.add($0) }))
        #expect(verbose.text.contains("folio: notebooks/a.md — compiling\nfolio: notebooks/a.md — cell 2/5\n"))
    }

    @Test func initMakesAProjectThatBuildsAtOnce() throws {
        let dir = TestSupport.temporaryDirectory("init")
        let r = try TestSupport.runFolio(["init", "notes"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        let project = dir.appendingPathComponent("notes")
        for f in ["folio.yml", "notebooks/first-notebook.md", "swift/Sums.swift", ".gitignore"] {
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(f).path), "missing \(f)")
        }
        // Every key of folio.yml is in the file, set or commented.
        let yml = read(project, "folio.yml")
        for key in ProjectFile.knownKeys { #expect(yml.contains("\(key):"), "folio.yml lacks \(key)") }
        let b = try TestSupport.runFolio(["build"], in: project)
        #expect(b.status == 0, "\(b.output)")
        #expect(b.output.contains("3 of 3 claims hold"))
        #expect(read(project, "site/index.html").contains("<h1>Notes</h1>"))
        // `folio new` puts a notebook in the project's notebooks folder, from a folder inside it.
        let n = try TestSupport.runFolio(["new", "second"], in: project.appendingPathComponent("swift"))
        #expect(n.status == 0, "\(n.output)")
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("notebooks/second.md").path))
        #expect(try TestSupport.runFolio(["init", "notes"], in: dir).status == ExitStatus.couldNotBuild.rawValue)
    }

    /// Reviewers start several runs of one project at once (`ReviewerTests` does), and a language
    /// server builds beside the user's builds: the shared code each needs is compiled by one of
    /// them, or by several into folders of their own, and none sees another's half-written files.
    @Test func buildsStartedAtOnceShareTheSharedCode() throws {
        let dir = TestSupport.temporaryDirectory("at-once")
        #expect(try TestSupport.runFolio(["init", "notes"], in: dir).status == 0)
        let project = dir.appendingPathComponent("notes")
        for round in 0..<2 {
            // A new version of the shared code each round: nothing of it is compiled yet.
            TestSupport.write(read(project, "swift/Sums.swift") + "// round \(round)\n", to: project.appendingPathComponent("swift/Sums.swift"))
            var runs = [TestSupport.Run?](repeating: nil, count: 3)
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: 3) { k in
                usleep(useconds_t(k * 150_000))
                let r = try? TestSupport.runFolio(["check", "--no-cache", "--jobs", "1"], in: project)
                lock.withLock { runs[k] = r }
            }
            for r in runs {
                #expect(r?.status == 0 && r?.output.contains("3 of 3 claims hold") == true, "round \(round): \(r?.output ?? "did not run")")
            }
            let shared = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent(".folio/shared").path)
            #expect(shared.count == 1 && !shared[0].hasPrefix("."), "left behind: \(shared)")
        }
    }
}
