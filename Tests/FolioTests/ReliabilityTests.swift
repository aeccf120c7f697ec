import Foundation
import Testing
@testable import Folio

/// Floods, runaway processes, killed builds, concurrent builds.
@Suite(.serialized) struct ReliabilityTests {
    func project(_ fixtures: [String]) throws -> URL {
        let dir = TestSupport.temporaryDirectory("rel")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("notebooks"), withIntermediateDirectories: true)
        for f in fixtures {
            try FileManager.default.copyItem(at: TestSupport.fixtures.appendingPathComponent("reliability/\(f).md"),
                                             to: dir.appendingPathComponent("notebooks/\(f).md"))
        }
        return dir
    }

    @Test func floodsAreTruncatedAndMemoryStaysBounded() throws {
        let dir = try project(["flood"])
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
        let r = try Subprocess.run(TestSupport.folio, arguments: ["build", "--report", "r.json"], environment: env,
                                   currentDirectory: dir, timeout: 300, mergeStderr: true)
        #expect(r.status == 0, "\(String(decoding: r.stdout, as: UTF8.self))")
        let page = TestSupport.read(dir.appendingPathComponent("site/flood.html"))
        #expect(page.contains("[output truncated:"))
        #expect(page.contains("claims after a flood still arrive"))
        let reportSize = (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("r.json").path)[.size] as! NSNumber).intValue
        #expect(reportSize < 2_000_000, "the report kept \(reportSize) bytes")
        // ~25 MB were printed; Folio keeps at most 4 MB of text per notebook.
        #expect(r.maxResidentKilobytes < 400_000, "folio peaked at \(r.maxResidentKilobytes) KB")
    }

    @Test func processesThatIgnoreSIGTERMAndForkAreKilledAtTheTimeout() throws {
        let dir = try project(["stubborn"])
        let start = Date()
        let r = try TestSupport.runFolio(["build"], in: dir, timeout: 60)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(r.status == 1)
        #expect(r.output.contains("the notebook timed out after 3 s"))
        // Neither the program nor its forked child survives: the page shows "parent P forked C".
        Thread.sleep(forTimeInterval: 0.5)
        let page = TestSupport.read(dir.appendingPathComponent("site/stubborn.html"))
        let line = page.components(separatedBy: "<pre class=\"output text\">parent ").dropFirst().first?.split(separator: "\n").first ?? ""
        let words = line.split(separator: " ")
        let pids = [words.first, words.dropFirst(2).first].compactMap { $0.flatMap { Int32($0) } }
        #expect(pids.count == 2, "could not read the process ids from \(line)")
        for pid in pids where pid > 1 {
            // A killed child whose parent died may linger as a zombie until init reaps it: dead.
            #expect(!TestSupport.isRunning(pid), "process \(pid) is still alive")
        }
    }

    @Test func aKilledBuildLeavesThePreviousSiteByteForByte() throws {
        let dir = try project(["slow"])
        #expect(try TestSupport.runFolio(["build"], in: dir).status == 0)
        func snapshot() throws -> [String: Data] { TestSupport.files(in: dir.appendingPathComponent("site")) }
        let before = try snapshot()
        // Change the notebook so the next build has to run it, then kill that build mid-way. The
        // changed cell sleeps well past the last kill: with its program already compiled, a build
        // of the 3 s original could finish and publish before a kill at 3.2 s, which is a build
        // that was not killed at all.
        let nb = dir.appendingPathComponent("notebooks/slow.md")
        // It also leaves its process id, so the test can see that the program ends with its build.
        let original = TestSupport.read(nb)
        let pidFile = dir.appendingPathComponent("program.pid")
        TestSupport.write(original.replacingOccurrences(of: "done", with: "done again")
            .replacingOccurrences(of: "usleep(3_000_000)", with: """
                try! String(getpid()).write(toFile: "\(pidFile.path)", atomically: true, encoding: .utf8)
                usleep(8_000_000)
                """), to: nb)
        #expect(TestSupport.read(nb).contains("usleep(8_000_000)"))
        var programsSeen = 0
        for delay in [0.3, 1.5, 3.2] {
            try? FileManager.default.removeItem(at: pidFile)
            var env = ProcessInfo.processInfo.environment
            env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
            let p = Process()
            p.executableURL = TestSupport.folio
            p.arguments = ["build", "--no-cache"]
            p.currentDirectoryURL = dir
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            // Dead (a zombie until reaped) is enough: Foundation's wait below also lasts as long as
            // anything Folio started holds the descriptors it inherited, a compile say.
            while TestSupport.isRunning(p.processIdentifier) { Thread.sleep(forTimeInterval: 0.01) }
            #expect(try snapshot() == before, "the site changed after a SIGKILL at \(delay) s")
            // A program that had started, asleep in its cell, ends itself once its build is gone.
            if !TestSupport.read(pidFile).isEmpty {
                programsSeen += 1
                #expect(TestSupport.ends(pidIn: pidFile, within: 3), "the program outlived its build killed at \(delay) s")
            }
            p.waitUntilExit()
        }
        #expect(programsSeen > 0, "no killed build got as far as running its program")
        // The next build cleans up what the killed ones left and publishes.
        TestSupport.write(original.replacingOccurrences(of: "done", with: "done again"), to: nb)
        #expect(try TestSupport.runFolio(["build"], in: dir).status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".site.staging") || $0.contains(".site.old") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(TestSupport.read(dir.appendingPathComponent("site/slow.html")).contains("done again"))
    }

    @Test func concurrentBuildsAreSerialised() throws {
        let dir = try project(["slow"])
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
        func start() throws -> (Process, Pipe) {
            let p = Process(), pipe = Pipe()
            p.executableURL = TestSupport.folio
            p.arguments = ["build", "--no-cache"]
            p.currentDirectoryURL = dir
            p.environment = env
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            return (p, pipe)
        }
        let (a, pa) = try start()
        Thread.sleep(forTimeInterval: 0.2)
        let (b, pb) = try start()
        a.waitUntilExit(); b.waitUntilExit()
        let out = String(decoding: pa.fileHandleForReading.readDataToEndOfFile() + pb.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0, "\(out)")
        #expect(out.contains("another build is writing"))
        #expect(TestSupport.read(dir.appendingPathComponent("site/slow.html")).contains("done"))
    }

    /// Whatever stops the site lock from being taken (its folder blocked by a file, the lock file
    /// a folder), the build stops with exit 2 and writes nothing, rather than building unlocked.
    @Test(arguments: ["folder blocked", "lock is a folder"]) func aLockFailureOfAnyKindStopsTheBuild(_ kind: String) throws {
        let dir = try project(["slow"])
        let out: String
        if kind == "folder blocked" {
            TestSupport.write("not a folder", to: dir.appendingPathComponent("blocker"))
            out = "blocker/site"
        } else {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(".site.lock"), withIntermediateDirectories: true)
            out = "site"
        }
        let run = try TestSupport.runFolio(["build", "--out", out], in: dir)
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("lock"), "\(run.output)")
        #expect(!run.output.contains("ran in"), "the notebook ran without the lock: \(run.output)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/index.html").path))
    }
}
