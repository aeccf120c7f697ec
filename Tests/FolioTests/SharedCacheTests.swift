import Foundation
import Testing
@testable import Folio

/// Results that travel: a shared HTTP cache (a real nginx with WebDAV `PUT`, started here on a
/// loopback port), sharded builds into it, its faults, and frozen outputs built without Swift.
@Suite(.serialized) struct SharedCacheTests {
    /// A small project: four notebooks with code (one reading a data file), one of prose.
    func project(_ name: String) -> URL {
        let dir = TestSupport.temporaryDirectory(name)
        for i in 1...4 {
            TestSupport.write("# Notebook \(i)\n\n```swift\nlet n = \(i * 10)\nprint(\"sum\", (1...n).reduce(0, +))\ncheck((1...n).reduce(0, +) == n * (n + 1) / 2, \"Gauss's sum for \\(n)\")\n```\n",
                              to: dir.appendingPathComponent("notebooks/n\(i).md"))
        }
        TestSupport.write("---\ninputs: [data/*.txt]\n---\n# Data\n\n```swift\nlet v = try String(contentsOfFile: \"data/v.txt\", encoding: .utf8)\nprint(\"read\", v.trimmingCharacters(in: .whitespacesAndNewlines))\n```\n",
                          to: dir.appendingPathComponent("notebooks/data.md"))
        TestSupport.write("41\n", to: dir.appendingPathComponent("notebooks/data/v.txt"))
        TestSupport.write("# Prose\n\nNothing to run.\n", to: dir.appendingPathComponent("notebooks/prose.md"))
        return dir
    }

    func copy(_ dir: URL, _ name: String) throws -> URL {
        let to = TestSupport.temporaryDirectory(name)
        try FileManager.default.removeItem(at: to)
        try FileManager.default.copyItem(at: dir, to: to)
        return to
    }

    func build(_ dir: URL, _ args: [String], env: [String: String] = [:]) throws -> (status: Int32, output: String, report: BuildReport?) {
        let report = dir.appendingPathComponent("r-\(UUID().uuidString.prefix(6)).json")
        let r = try TestSupport.runFolio(args + ["--report", report.path], in: dir, environment: env)
        return (r.status, r.output, try? TestSupport.report(report))
    }

    func executed(_ r: BuildReport?) -> Set<String> { Set((r?.notebooks ?? []).filter(\.executed).map(\.source)) }

    func siteFiles(_ site: URL) -> [String: Data] { TestSupport.files(in: site) }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// nginx serving `store/` with WebDAV `PUT`, from a configuration written here.
    final class Nginx {
        let process = Process()
        let port = SharedCacheTests.freePort()
        let root = TestSupport.temporaryDirectory("nginx")
        var url: String { "http://127.0.0.1:\(port)/folio" }

        init() throws {
            let binary = try #require(["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                      "nginx is not installed; run `make deps`")
            for d in ["store/folio/ac", "store/folio/cas", "tmp", "logs"] {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(d), withIntermediateDirectories: true)
            }
            let r = root.path
            let conf = """
                \(getuid() == 0 ? "user root;" : "")
                worker_processes 1;
                pid \(r)/nginx.pid;
                error_log \(r)/logs/error.log;
                events { worker_connections 64; }
                http {
                  access_log \(r)/logs/access.log;
                  client_body_temp_path \(r)/tmp; proxy_temp_path \(r)/tmp; fastcgi_temp_path \(r)/tmp;
                  uwsgi_temp_path \(r)/tmp; scgi_temp_path \(r)/tmp;
                  server {
                    listen 127.0.0.1:\(port);
                    root \(r)/store;
                    client_max_body_size 64m;
                    location / { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; }
                  }
                }
                """
            TestSupport.write(conf, to: root.appendingPathComponent("nginx.conf"))
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["-c", root.appendingPathComponent("nginx.conf").path, "-p", r, "-g", "daemon off;"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Up when it answers.
            for _ in 0..<50 {
                if (try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/folio/ac/")!)) != nil || Self.listening(port) { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }

        static func listening(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(port).bigEndian
            return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
        }

        var stored: [URL] {
            (FileManager.default.enumerator(at: root.appendingPathComponent("store/folio/cas"), includingPropertiesForKeys: nil)?.allObjects as? [URL]) ?? []
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func fourShardsFillTheSharedCacheAndAFifthBuildRunsNothing() throws {
        let nginx = try Nginx()
        defer { nginx.stop() }
        let base = project("shards")
        // The reference: one serial build on its own.
        let serial = try copy(base, "serial")
        let s = try build(serial, ["build"])
        #expect(s.status == 0, "\(s.output)")
        #expect(executed(s.report).count == 5)

        // Four shards at once, each in its own copy (its own empty .folio), sharing nginx.
        let copies = try (1...4).map { try copy(base, "shard\($0)") }
        var results: [Int: (Int32, String, BuildReport?)] = [:]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let r = try? build(copies[i], ["build", "--shard", "\(i + 1)/4", "--cache", nginx.url])
            lock.lock(); results[i] = r.map { ($0.status, $0.output, $0.report) }; lock.unlock()
        }
        var runs: [String] = []
        for i in 0..<4 {
            let r = try #require(results[i])
            #expect(r.0 == 0, "\(r.1)")
            #expect(!FileManager.default.fileExists(atPath: copies[i].appendingPathComponent("site").path), "a shard published a site")
            runs += executed(r.2)
        }
        // Every notebook with code executed exactly once in total.
        #expect(runs.sorted() == ["notebooks/data.md", "notebooks/n1.md", "notebooks/n2.md", "notebooks/n3.md", "notebooks/n4.md"], "\(runs)")

        // A fifth build with an empty local cache: nothing executes, and the site is the serial one.
        let fifth = try copy(base, "assemble")
        let a = try build(fifth, ["build", "--cache", nginx.url])
        #expect(a.status == 0, "\(a.output)")
        #expect(executed(a.report).isEmpty, "\(a.output)")
        #expect(siteFiles(fifth.appendingPathComponent("site")) == siteFiles(serial.appendingPathComponent("site")))
        // Every request of the builds names Folio and its commit (nginx's combined log ends with the User-Agent).
        let log = try String(contentsOf: nginx.root.appendingPathComponent("logs/access.log"), encoding: .utf8)
        let requests = log.split(separator: "\n").filter { $0.contains("/folio/ac/") && !$0.contains("/folio/ac/ ") || $0.contains("/folio/cas/") }
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0.hasSuffix("\"folio/\(FolioVersion.string) (commit \(FolioVersion.commit))\"") }, "\(requests.prefix(3))")

        // An entry whose content no longer matches its hash is ignored, executed and written again.
        for f in nginx.stored { try Data("garbage".utf8).write(to: f) }
        let damaged = try copy(base, "damaged")
        let d = try build(damaged, ["build", "--cache", nginx.url])
        #expect(d.status == 0)
        #expect(executed(d.report).count == 5)
        #expect(d.output.components(separatedBy: "damaged entry").count == 2, "one warning: \(d.output)")
        let repaired = try copy(base, "repaired")
        #expect(executed(try build(repaired, ["build", "--cache", nginx.url]).report).isEmpty)
    }

    /// A stand-in server (Python's http.server) that fails in one chosen way.
    func faultyServer(_ mode: String) throws -> (Process, String) {
        let port = Self.freePort()
        let script = """
            import http.server, sys, time
            mode = sys.argv[1]
            class H(http.server.BaseHTTPRequestHandler):
                def log_message(self, *a): pass
                def answer(self):
                    if mode == "500":
                        self.send_response(500); self.send_header("Content-Length", "0"); self.end_headers()
                    elif mode == "truncated":
                        self.send_response(200); self.send_header("Content-Length", "1000"); self.end_headers()
                        self.wfile.write(b"{\\"format\\": 1"); self.wfile.flush(); self.connection.close()
                    elif mode == "slow":
                        time.sleep(30)
                def do_GET(self): self.answer()
                def do_PUT(self):
                    self.rfile.read(int(self.headers.get("Content-Length", 0))); self.answer()
            http.server.ThreadingHTTPServer(("127.0.0.1", \(port)), H).serve_forever()
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, mode]
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<50 where !Nginx.listening(port) { Thread.sleep(forTimeInterval: 0.1) }
        return (p, "http://127.0.0.1:\(port)/folio")
    }

    @Test func aFailingCacheServerNeverFailsTheBuild() throws {
        let base = project("faults")
        // Down: nothing listens.
        let down = try build(try copy(base, "down"), ["build", "--cache", "http://127.0.0.1:\(Self.freePort())/folio"])
        #expect(down.status == 0, "\(down.output)")
        #expect(down.output.components(separatedBy: "warning: the shared cache").count == 2, "one warning: \(down.output)")
        for mode in ["500", "truncated", "slow"] {
            let (server, url) = try faultyServer(mode)
            // SIGKILL: the test runner's ignored SIGTERM is inherited across exec.
            defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
            let started = Date()
            let r = try build(try copy(base, mode), ["build", "--cache", url], env: ["FOLIO_CACHE_TIMEOUT": "1"])
            #expect(r.status == 0, "\(mode): \(r.output)")
            #expect(executed(r.report).count == 5, "\(mode)")
            #expect(r.output.components(separatedBy: "warning: the shared cache").count == 2, "\(mode): one warning: \(r.output)")
            #expect(Date().timeIntervalSince(started) < 60, "\(mode): the time-out did not bound the build")
        }
        // Credentials never come from the address.
        let creds = try TestSupport.runFolio(["build", "--cache", "http://user:secret@127.0.0.1:1/folio"], in: base)
        #expect(creds.status == ExitStatus.usage.rawValue)
        #expect(!creds.output.contains("secret"))
    }

    @Test func frozenOutputsBuildTheSiteWithoutSwiftAndSayWhenTheyAreStale() throws {
        let dir = project("freeze")
        let f = try build(dir, ["freeze"])
        #expect(f.status == 0, "\(f.output)")
        let frozen = TestSupport.read(dir.appendingPathComponent("_freeze/data.json"))
        #expect(frozen.contains("\"file data/v.txt\"") && frozen.contains("\"cell at line 7\""), "\(frozen)")
        #expect(try build(dir, ["build"]).status == 0)
        let reference = siteFiles(dir.appendingPathComponent("site"))

        // On a copy where no swiftc can be found, the frozen outputs build the same site.
        let publish = try copy(dir, "publish")
        try FileManager.default.removeItem(at: publish.appendingPathComponent(".folio"))
        try FileManager.default.removeItem(at: publish.appendingPathComponent("site"))
        let noSwift = ["PATH": "/usr/bin:/bin", "FOLIO_SWIFTC": "/nonexistent/swiftc"]
        let withoutSwift = try build(publish, ["build"], env: noSwift)
        #expect(withoutSwift.status != 0)  // without --frozen it needs a compiler
        let fb = try build(publish, ["build", "--frozen"], env: noSwift)
        #expect(fb.status == 0, "\(fb.output)")
        #expect(executed(fb.report).isEmpty)
        #expect(siteFiles(publish.appendingPathComponent("site")) == reference)

        // --stale: a prose edit is fine; a changed data file and a changed cell are not.
        #expect(try build(dir, ["check", "--stale"]).status == 0)
        let prose = dir.appendingPathComponent("notebooks/n1.md")
        TestSupport.write(TestSupport.read(prose) + "\nA new sentence.\n", to: prose)
        #expect(try build(dir, ["check", "--stale"]).status == 0)
        TestSupport.write("42\n", to: dir.appendingPathComponent("notebooks/data/v.txt"))
        let data = try build(dir, ["check", "--stale"])
        #expect(data.status == ExitStatus.notebookFailed.rawValue)
        #expect(data.output.contains("notebooks/data.md: error: frozen outputs are stale"), "\(data.output)")
        TestSupport.write("41\n", to: dir.appendingPathComponent("notebooks/data/v.txt"))
        TestSupport.write(TestSupport.read(prose).replacingOccurrences(of: "let n = 10", with: "let n = 11"), to: prose)
        let cell = try build(dir, ["check", "--stale"])
        #expect(cell.status == ExitStatus.notebookFailed.rawValue)
        #expect(cell.output.contains("notebooks/n1.md: error: frozen outputs are stale") && !cell.output.contains("notebooks/data.md: error"), "\(cell.output)")
        // and --frozen refuses the stale one rather than showing old outputs.
        let refused = try build(dir, ["build", "--frozen"])
        #expect(refused.status == ExitStatus.notebookFailed.rawValue)
        #expect(refused.output.contains("notebooks/n1.md: error: has frozen outputs that no longer match it"))
    }
}
