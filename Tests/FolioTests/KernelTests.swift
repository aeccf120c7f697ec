import Foundation
import Testing
@testable import Folio

/// `folio preview`'s kernel, through the server as a user meets it: an edit of a late cell runs
/// from a snapshot (the slow first cell is not run again), the page says so, and once idle a clean
/// run checks it — agreeing, or showing drift when the snapshot's state was stale.
@Suite(.serialized) struct KernelTests {
    /// A first cell that counts its runs in `counter` and takes `seconds`, then `cheap` cells.
    static func notebook(counter: URL, seconds: Int, cheap: Int, last: String) -> String {
        var cells = ["""
        import Foundation
        let runs = (try? String(contentsOfFile: "\(counter.path)", encoding: .utf8)) ?? ""
        try! (runs + "ran\\n").write(toFile: "\(counter.path)", atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: \(seconds))
        var total = 0
        """]
        for i in 1...cheap { cells.append("total += \(i)\nprint(\"cell \(i)\", total)") }
        cells.append(last)
        return "# Kernel\n\n" + cells.map { "```swift\n\($0)\n```\n\n" }.joined()
    }

    func waitForVersion(_ base: String, atLeast v: Int, seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var version = 0
        while Date() < deadline {
            version = Int(PreviewTests.get("\(base)/__folio/version").body) ?? 0
            if version >= v { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return version
    }

    /// `folio preview` in `dir`, once its first build is done (the caller stops it).
    /// A folder holding `notebooks/<name>.md`, the slow notebook, and the file its first cell counts runs in.
    func slowProject(_ name: String, seconds: Int, cheap: Int, last: String) -> (dir: URL, counter: URL, notebook: URL) {
        let dir = TestSupport.temporaryDirectory("kernel-\(name)")
        let counter = dir.appendingPathComponent("counter.txt")
        let nb = dir.appendingPathComponent("notebooks/\(name).md")
        TestSupport.write(Self.notebook(counter: counter, seconds: seconds, cheap: cheap, last: last), to: nb)
        return (dir, counter, nb)
    }

    func startPreview(in dir: URL) throws -> (server: Process, base: String, first: Int) {
        let (server, port) = try PreviewTests.startServer(in: dir)
        let base = "http://127.0.0.1:\(port)"
        return (server, base, waitForVersion(base, atLeast: 1, seconds: 120))
    }

    @Test func anEditOfTheLastCellRunsFromASnapshotAndIsVerified() throws {
        let (dir, counter, nb) = slowProject("slow", seconds: 4, cheap: 20, last: "print(\"last\", total)")
        let (server, base, first) = try startPreview(in: dir)
        defer { server.terminate(); server.waitUntilExit() }
        #expect(first == 1, "the first build did not finish")
        #expect(PreviewTests.get("\(base)/slow.html").body.contains("last 210"))
        #expect(TestSupport.read(counter) == "ran\n")

        // Save an edit of the last cell: the page has its new output within 1.5 s.
        let saved = Date()
        TestSupport.write(Self.notebook(counter: counter, seconds: 4, cheap: 20, last: "print(\"last, edited\", total * 2)"), to: nb)
        var page = ""
        while Date().timeIntervalSince(saved) < 4 {
            if waitForVersion(base, atLeast: first + 1, seconds: 0.05) > first {
                page = PreviewTests.get("\(base)/slow.html").body
                if page.contains("last, edited 420") { break }
            }
        }
        let latency = Date().timeIntervalSince(saved)
        #expect(page.contains("last, edited 420"))
        #expect(latency <= 1.5, "the edited output took \(latency) s")
        #expect(TestSupport.read(counter) == "ran\n", "the first cell ran again")
        #expect(page.contains("ran from a snapshot"))
        #expect(page.contains("cell 20 210"))   // cells before the edit keep their outputs

        // Idle: a clean run checks the snapshot run (the first cell runs once more) and agrees.
        let checked = waitForVersion(base, atLeast: first + 2, seconds: 60)
        #expect(checked >= first + 2)
        let verified = PreviewTests.get("\(base)/slow.html").body
        #expect(verified.contains("checked by a clean run: the same outputs"))
        #expect(verified.contains("last, edited 420"))
        #expect(TestSupport.read(counter) == "ran\nran\n")
    }

    /// The clean run that checks a snapshot run goes on beside the server: a save meanwhile is
    /// built at once, not after it.
    @Test func aSaveDuringVerificationIsNotKeptWaiting() throws {
        let (dir, counter, nb) = slowProject("busy", seconds: 4, cheap: 3, last: "print(\"last\", total)")
        let (server, base, first) = try startPreview(in: dir)
        defer { server.terminate(); server.waitUntilExit() }
        TestSupport.write(Self.notebook(counter: counter, seconds: 4, cheap: 3, last: "print(\"one\", total)"), to: nb)
        _ = waitForVersion(base, atLeast: first + 1, seconds: 30)
        // Idle for a second: the checking run starts, and spends 4 s in the first cell.
        let deadline = Date().addingTimeInterval(10)
        while TestSupport.read(counter) != "ran\nran\n" && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(TestSupport.read(counter) == "ran\nran\n", "the checking run did not start")
        let saved = Date()
        TestSupport.write(Self.notebook(counter: counter, seconds: 4, cheap: 3, last: "print(\"two\", total)"), to: nb)
        var page = ""
        while Date().timeIntervalSince(saved) < 5 && !page.contains("two 6") {
            Thread.sleep(forTimeInterval: 0.05)
            page = PreviewTests.get("\(base)/busy.html").body
        }
        #expect(page.contains("two 6"))
        #expect(Date().timeIntervalSince(saved) <= 1.5, "the save waited for the checking run")
    }

    /// A prose edit made while the clean run that checks a snapshot run is in its 8 s first cell
    /// is drawn at once from the latest outputs (the snapshot run's), and the page shows, in
    /// Chromium, which cell is running and for how long.
    @Test func aProseEditDuringVerificationNeedsNoRunAndThePageShowsTheRunningCell() throws {
        let (dir, counter, nb) = slowProject("prose", seconds: 8, cheap: 3, last: "print(\"last\", total)")
        let (server, base, first) = try startPreview(in: dir)
        defer { server.terminate(); server.waitUntilExit() }
        let edited = Self.notebook(counter: counter, seconds: 8, cheap: 3, last: "print(\"last, edited\", total)")
        TestSupport.write(edited, to: nb)
        _ = waitForVersion(base, atLeast: first + 1, seconds: 30)
        #expect(PreviewTests.get("\(base)/prose.html").body.contains("last, edited 6"))
        // Idle: the checking run starts and spends 8 s in the first cell.
        let deadline = Date().addingTimeInterval(10)
        while TestSupport.read(counter) != "ran\nran\n" && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(TestSupport.read(counter) == "ran\nran\n", "the checking run did not start")

        // A typo fixed in the prose, with a paragraph added above the cells (their lines move).
        let saved = Date()
        TestSupport.write(edited.replacingOccurrences(of: "# Kernel\n", with: "# Kernel, retitled\n\nA new paragraph.\n"), to: nb)
        var page = ""
        while Date().timeIntervalSince(saved) < 7 && !page.contains("Kernel, retitled") {
            Thread.sleep(forTimeInterval: 0.05)
            page = PreviewTests.get("\(base)/prose.html").body
        }
        let latency = Date().timeIntervalSince(saved)
        #expect(page.contains("Kernel, retitled") && page.contains("last, edited 6") && page.contains("ran from a snapshot"), "\(page.prefix(300))")
        #expect(latency <= 3, "the prose edit waited \(latency) s for the checking run")
        #expect(TestSupport.read(counter) == "ran\nran\n", "the prose edit ran the notebook")

        // The checking run is still in its first cell: the page says so.
        let chrome = try Chromium(binary: try #require(BrowserTests.chromium), loopback: true)
        defer { chrome.shutdown() }
        let waitForBox = """
        new Promise(done => { const t0 = Date.now(); (function look() {
          const box = document.getElementById('folio-running');
          if (box || Date.now() - t0 > 4000) { done(box ? box.textContent : ''); } else { setTimeout(look, 50); } })(); })
        """
        let box = try chrome.evaluate(URL(string: "\(base)/prose.html")!, waitForBox, timeout: 20) as? String ?? ""
        #expect(box.hasPrefix("Checking notebooks/prose.md by a clean run — cell 1 of 5 ("), "no running-cell indicator: \(box)")
        #expect(Date().timeIntervalSince(saved) < 8, "the check came too late to see the running cell")

        // The clean run's outputs replace the snapshot run's when it is done, prose edit kept.
        let shown = Int(PreviewTests.get("\(base)/__folio/version").body) ?? 0
        _ = waitForVersion(base, atLeast: shown + 1, seconds: 30)
        let verified = PreviewTests.get("\(base)/prose.html").body
        #expect(verified.contains("checked by a clean run: the same outputs") && verified.contains("Kernel, retitled"))
    }

    /// A second edit resumes from a snapshot that the first edit's run made: its interface is
    /// the program's cells plus the first edit's library.
    @Test func anEditAfterAnEditResumesFromTheEditedRunsSnapshot() throws {
        let dir = TestSupport.temporaryDirectory("kernel-layers")
        let nb = dir.appendingPathComponent("notebooks/n.md")
        func write(mid: String, last: String) {
            let cells = ["var total = 0\nlet base = 100", "total += 1\nprint(\"c1\", total)", "let mid = \(mid)\nprint(\"c2\", mid, total)",
                         "total += 10\nprint(\"c3\", total)", last]
            TestSupport.write("# N\n\n" + cells.map { "```swift\n\($0)\n```\n\n" }.joined(), to: nb)
        }
        write(mid: "base + 1", last: "print(\"c4\", total, mid)")
        let (server, base, first) = try startPreview(in: dir)
        defer { server.terminate(); server.waitUntilExit() }
        #expect(PreviewTests.get("\(base)/n.html").body.contains("c4 11 101"))

        write(mid: "base + 2", last: "print(\"c4\", total, mid)")
        _ = waitForVersion(base, atLeast: first + 1, seconds: 30)
        #expect(PreviewTests.get("\(base)/n.html").body.contains("c4 11 102"))

        write(mid: "base + 2", last: "print(\"c4, edited\", total, mid * 2)")
        var page = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !page.contains("c4, edited") {
            Thread.sleep(forTimeInterval: 0.1)
            page = PreviewTests.get("\(base)/n.html").body
        }
        #expect(page.contains("c4, edited 11 204"))
        let third = (TestSupport.read(nb).components(separatedBy: "\n").firstIndex { $0 == "total += 10" } ?? 0) + 1
        #expect(page.contains("ran from a snapshot of the state after line \(third)"), "not resumed from the edited run's snapshot")
    }

    @Test func aSnapshotWithStaleStateIsShownAsDrift() throws {
        let dir = TestSupport.temporaryDirectory("kernel-drift")
        let counter = dir.appendingPathComponent("counter.txt")
        // Outside the watched folder, so changing it starts no build: another process's file.
        let data = TestSupport.temporaryDirectory("kernel-data").appendingPathComponent("reading.txt")
        TestSupport.write("old reading", to: data)
        let read = "let reading = try! String(contentsOfFile: \"\(data.path)\", encoding: .utf8)\n"
        func notebook(_ last: String) -> String {
            Self.notebook(counter: counter, seconds: 1, cheap: 3, last: last).replacingOccurrences(of: "var total = 0", with: "var total = 0\n" + read)
        }
        let nb = dir.appendingPathComponent("notebooks/drift.md")
        TestSupport.write(notebook("print(\"reading:\", reading)"), to: nb)
        let (server, base, first) = try startPreview(in: dir)
        defer { server.terminate(); server.waitUntilExit() }
        #expect(PreviewTests.get("\(base)/drift.html").body.contains("reading: old reading"))

        TestSupport.write("new reading", to: data)
        TestSupport.write(notebook("print(\"the reading:\", reading)"), to: nb)
        _ = waitForVersion(base, atLeast: first + 1, seconds: 30)
        let snapshotPage = PreviewTests.get("\(base)/drift.html").body
        #expect(snapshotPage.contains("the reading: old reading"), "the snapshot holds the old state")
        #expect(snapshotPage.contains("ran from a snapshot"))

        _ = waitForVersion(base, atLeast: first + 2, seconds: 60)
        let verified = PreviewTests.get("\(base)/drift.html").body
        #expect(verified.contains("the reading: new reading"))
        let lastLine = TestSupport.read(nb).components(separatedBy: "\n").firstIndex { $0.contains("the reading:") }.map { $0 + 1 } ?? 0
        #expect(verified.contains("drift: a clean run gave other outputs than the snapshot run in the cell at line \(lastLine)"), "\(verified.components(separatedBy: "diagnostic").dropFirst().first ?? "")")
    }

    /// Preview killed outright, with no chance to stop what it started, leaves no notebook program
    /// running: neither a clean run nor a run from a snapshot (whose snapshot waits on it and so
    /// cannot watch preview meanwhile).
    @Test func aPreviewKilledOutrightLeavesNoProgramRunning() throws {
        func writesItsPidAndSleeps(_ file: URL) -> String {
            "try! String(getpid()).write(toFile: \"\(file.path)\", atomically: true, encoding: .utf8)\nThread.sleep(forTimeInterval: 60)"
        }
        func waitFor(_ file: URL) {
            let deadline = Date().addingTimeInterval(120)
            while TestSupport.read(file).isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        }
        // The clean run, which leaves snapshots: its last cell is asleep when preview is killed.
        let (cleanDir, cleanCounter, _) = slowProject("killed-clean", seconds: 1, cheap: 2, last: "")
        let cleanPid = cleanDir.appendingPathComponent("run.pid")
        TestSupport.write(Self.notebook(counter: cleanCounter, seconds: 1, cheap: 2, last: writesItsPidAndSleeps(cleanPid)),
                          to: cleanDir.appendingPathComponent("notebooks/killed-clean.md"))
        let (clean, _) = try PreviewTests.startServer(in: cleanDir)
        waitFor(cleanPid)
        kill(clean.processIdentifier, SIGKILL)
        #expect(TestSupport.ends(pidIn: cleanPid, within: 3), "the clean run outlived preview, or never ran")
        clean.waitUntilExit()

        // A run from a snapshot: the edited last cell is asleep when preview is killed.
        let (dir, counter, nb) = slowProject("killed", seconds: 1, cheap: 2, last: "print(\"last\", total)")
        let (server, _, first) = try startPreview(in: dir)
        #expect(first == 1, "the first build did not finish")
        let runPid = dir.appendingPathComponent("run.pid")
        TestSupport.write(Self.notebook(counter: counter, seconds: 1, cheap: 2, last: writesItsPidAndSleeps(runPid)), to: nb)
        waitFor(runPid)
        #expect(TestSupport.read(counter) == "ran\n", "the edit did not run from a snapshot")
        kill(server.processIdentifier, SIGKILL)
        #expect(TestSupport.ends(pidIn: runPid, within: 3), "the snapshot's run outlived preview, or never ran")
        server.waitUntilExit()
    }
}
