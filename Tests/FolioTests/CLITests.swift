import Foundation
import Testing
@testable import Folio

/// The `folio` command as a user meets it: help, version, exit codes, the report, bad input.
@Suite(.serialized) struct CLITests {
    @Test func versionAndHelp() throws {
        let dir = TestSupport.temporaryDirectory("cli")
        let v = try TestSupport.runFolio(["--version"], in: dir)
        // The version and the commit this checkout is at (the BuildCommit plugin's, rebuilt with each commit).
        let head = Process()
        head.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        head.arguments = ["-C", TestSupport.packageRoot.path, "rev-parse", "--short=12", "HEAD"]
        let pipe = Pipe()
        head.standardOutput = pipe
        head.standardError = FileHandle.nullDevice
        try head.run()
        head.waitUntilExit()
        let commit = head.terminationStatus == 0
            ? String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
        #expect(v.status == 0 && v.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(FolioVersion.string) (commit \(commit))", "\(v.output)")
        #expect(FolioVersion.commit == commit)
        let h = try TestSupport.runFolio(["--help"], in: dir)
        #expect(h.status == 0)
        for word in ["build", "check", "new", "clean", "Exit status"] { #expect(h.output.contains(word)) }
        let bh = try TestSupport.runFolio(["build", "--help"], in: dir)
        for word in ["--out", "--report", "--jobs", "--no-cache"] { #expect(bh.output.contains(word)) }
        let bad = try TestSupport.runFolio(["build", "--jobs", "0"], in: dir)
        #expect(bad.status == 64)
        #expect(bad.output.contains("--jobs must be at least 1"))
    }

    @Test func missingPathIsAClearError() throws {
        let dir = TestSupport.temporaryDirectory("cli")
        let r = try TestSupport.runFolio(["build", "nowhere"], in: dir)
        #expect(r.status == ExitStatus.couldNotBuild.rawValue)
        #expect(r.output.contains("nowhere: error: discover: no such file or folder"))
        #expect(!r.output.contains("Fatal error"))
        // A folder that exists but holds no notebook fails too: a mistyped path must not pass CI.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let e = try TestSupport.runFolio(["check", "empty"], in: dir)
        #expect(e.status == ExitStatus.couldNotBuild.rawValue)
        #expect(e.output.contains("empty: error: discover: no notebooks (.md files) found in empty"))
    }

    @Test func successfulBuildWritesSiteAndReport() throws {
        let dir = TestSupport.temporaryDirectory("cli")
        TestSupport.write("---\ntitle: One\ntags: [a]\n---\n\n# One\n\n$x^2$\n\n```swift\nprint(\"hi\")\ncheck(true, \"holds\")\n```\n", to: dir.appendingPathComponent("notebooks/one.md"))
        TestSupport.write("# Two\n\nText.\n", to: dir.appendingPathComponent("notebooks/sub/two.md"))
        let r = try TestSupport.runFolio(["build", "--report", "report.json"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        let site = dir.appendingPathComponent("site")
        for f in ["index.html", "one.html", "sub/two.html", "assets/folio.css", "assets/katex/katex.min.css", "search-index.js"] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(f).path), "missing \(f)")
        }
        let two = TestSupport.read(site.appendingPathComponent("sub/two.html"))
        #expect(two.contains("href=\"../assets/folio.css\""))
        #expect(two.contains("rel=\"prev\" href=\"../one.html\""))
        let report = try TestSupport.report(dir.appendingPathComponent("report.json"))
        #expect(report.ok)
        let nbs = report.notebooks
        #expect(nbs.map(\.source) == ["notebooks/one.md", "notebooks/sub/two.md"])
        #expect(nbs[0].page == "one.html")
        #expect(nbs[0].executed)
        #expect(nbs[0].checks.passed == 1 && nbs[0].checks.failed == 0)
        let cell = try #require(nbs[0].cells.first)
        #expect(cell.line == 11 && cell.status == "ok")
        let index = TestSupport.read(site.appendingPathComponent("index.html"))
        #expect(index.contains("1 of 1 claims hold"))
    }

    @Test func badInputLeavesThePreviousSiteIntact() throws {
        let dir = TestSupport.temporaryDirectory("cli")
        TestSupport.write("# Good\n", to: dir.appendingPathComponent("notebooks/good.md"))
        #expect(try TestSupport.runFolio(["build"], in: dir).status == 0)
        let index = dir.appendingPathComponent("site/index.html")
        let before = try Data(contentsOf: index)

        try Data([0x23, 0x20, 0xC3, 0x28, 0x0A]).write(to: dir.appendingPathComponent("notebooks/bad.md"))
        let r = try TestSupport.runFolio(["build", "--report", "r.json"], in: dir)
        #expect(r.status == ExitStatus.couldNotBuild.rawValue)
        #expect(r.output.contains("notebooks/bad.md:1:3: error: the file is not valid UTF-8"))
        #expect(try Data(contentsOf: index) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/bad.html").path))
        let report = try TestSupport.report(dir.appendingPathComponent("r.json"))
        #expect(!report.ok)

        try FileManager.default.removeItem(at: dir.appendingPathComponent("notebooks/bad.md"))
        TestSupport.write("---\ntitle: [unclosed\n---\n", to: dir.appendingPathComponent("notebooks/yaml.md"))
        let y = try TestSupport.runFolio(["build"], in: dir)
        #expect(y.status == ExitStatus.couldNotBuild.rawValue)
        #expect(y.output.contains("notebooks/yaml.md:"))
        #expect(y.output.contains("front matter is not valid YAML"))
        #expect(try Data(contentsOf: index) == before)
        // No staging folders are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func newCreatesATemplateThatBuilds() throws {
        let dir = TestSupport.temporaryDirectory("cli")
        let r = try TestSupport.runFolio(["new", "my-note"], in: dir)
        #expect(r.status == 0)
        let path = dir.appendingPathComponent("notebooks/my-note.md")
        #expect(FileManager.default.fileExists(atPath: path.path))
        #expect(try TestSupport.runFolio(["new", "my-note"], in: dir).status == ExitStatus.couldNotBuild.rawValue)
        let b = try TestSupport.runFolio(["build"], in: dir)
        #expect(b.status == 0, "\(b.output)")
    }
}
