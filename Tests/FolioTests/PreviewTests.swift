import Foundation
import Testing
@testable import Folio

/// `folio preview` as a process: serves on 127.0.0.1, rebuilds on save, tells pages to reload,
/// survives broken, deleted and rapidly saved notebooks.
@Suite(.serialized) struct PreviewTests {
    static func get(_ url: String, host: String? = nil) -> (status: Int, body: String) {
        let header = host.map { ["-H", "Host: \($0)"] } ?? []
        guard let r = try? Subprocess.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments: ["-s", "-m", "15", "-w", "\n%{http_code}"] + header + [url], timeout: 20) else { return (0, "") }
        let text = String(decoding: r.stdout, as: UTF8.self)
        let code = Int(text.split(separator: "\n").last ?? "") ?? 0
        return (code, text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().joined(separator: "\n"))
    }

    /// The build number the reload channel answers with once a build newer than `since` exists (or after 10 s).
    static func waitForBuild(_ base: String, since: Int) -> Int {
        let body = get("\(base)/__folio/wait?since=\(since)").body
        let state = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return state?["version"] as? Int ?? 0
    }

    /// Whether the server on `port` answers within 30 s.
    static func waitUntilUp(port: Int) -> Bool {
        for _ in 0..<120 {
            if get("http://127.0.0.1:\(port)/__folio/version").status == 200 { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
    }

    /// Starts `folio preview` in `dir` on a random loopback port; the caller terminates it.
    static func startServer(in dir: URL, environment: [String: String] = [:], arguments: [String] = []) throws -> (server: Process, port: Int) {
        let port = TestSupport.freeLoopbackPort()
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
        for (k, v) in environment { env[k] = v }
        let server = Process()
        server.executableURL = TestSupport.folio
        server.arguments = ["preview", "--port", String(port)] + arguments
        server.currentDirectoryURL = dir
        server.environment = env
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        return (server, port)
    }

    /// folio.yml's `freeze: auto` and `cache:` hold in preview as in build: on a machine without
    /// Swift, preview shows one project's frozen outputs; with an empty `.folio/`, another's
    /// outputs come from the shared cache (a random draw, so a run of its own would differ).
    @Test func previewHonoursTheProjectsFreezeAndCache() throws {
        let noSwift = ["PATH": "/usr/bin:/bin", "FOLIO_SWIFTC": "/nonexistent/swiftc"]
        func page(_ dir: URL, environment: [String: String]) throws -> String {
            let (server, port) = try Self.startServer(in: dir, environment: environment)
            defer { server.terminate(); server.waitUntilExit() }
            #expect(Self.waitUntilUp(port: port))
            return Self.get("http://127.0.0.1:\(port)/a.html").body
        }
        let notebook = "# Kept\n\n```swift\nprint(\"computed\", (1...10).reduce(0, +))\n```\n"

        let frozen = TestSupport.temporaryDirectory("preview-freeze")
        TestSupport.write("title: Kept\nfreeze: auto\n", to: frozen.appendingPathComponent("folio.yml"))
        TestSupport.write(notebook, to: frozen.appendingPathComponent("notebooks/a.md"))
        let freeze = try TestSupport.runFolio(["freeze"], in: frozen)
        #expect(freeze.status == 0, "\(freeze.output)")
        try FileManager.default.removeItem(at: frozen.appendingPathComponent(".folio"))
        let fromFreeze = try page(frozen, environment: noSwift)
        #expect(fromFreeze.contains("computed 55"), "\(fromFreeze)")

        let nginx = try SharedCacheTests.Nginx()
        defer { nginx.stop() }
        let shared = TestSupport.temporaryDirectory("preview-cache")
        TestSupport.write("title: Kept\ncache: \(nginx.url)\n", to: shared.appendingPathComponent("folio.yml"))
        TestSupport.write("# Kept\n\n```swift\nprint(\"draw\", Int.random(in: 1_000_000..<10_000_000))\n```\n",
                          to: shared.appendingPathComponent("notebooks/a.md"))
        let filled = try TestSupport.runFolio(["build"], in: shared)
        #expect(filled.status == 0, "\(filled.output)")
        let built = TestSupport.read(shared.appendingPathComponent("site/a.html"))
        let draw = try #require(built.range(of: #"draw \d{7}"#, options: .regularExpression).map { String(built[$0]) })
        try FileManager.default.removeItem(at: shared.appendingPathComponent(".folio"))
        try FileManager.default.removeItem(at: shared.appendingPathComponent("site"))
        let fromCache = try page(shared, environment: [:])
        #expect(fromCache.contains(draw), "\(draw) not in \(fromCache)")
    }

    @Test func servesRebuildsAndNotifiesPages() throws {
        let dir = TestSupport.temporaryDirectory("preview")
        let nb = dir.appendingPathComponent("notebooks/a.md")
        TestSupport.write("# Live\n\n```swift\nprint(\"first version\")\n```\n", to: nb)
        let (server, port) = try Self.startServer(in: dir)
        let base = "http://127.0.0.1:\(port)"
        defer { server.terminate(); server.waitUntilExit() }

        var version = 0
        for _ in 0..<120 where version == 0 {
            Thread.sleep(forTimeInterval: 0.25)
            version = Int(Self.get("\(base)/__folio/version").body) ?? 0
        }
        #expect(version == 1, "the server did not come up")
        let page = Self.get("\(base)/a.html")
        #expect(page.status == 200 && page.body.contains("first version") && page.body.contains("/__folio/reload.js"))
        #expect(Self.get("\(base)/").body.contains("<h1>Folio</h1>"))
        #expect(Self.get("\(base)/../../etc/passwd").status == 404)

        // Only requests naming this server's loopback address are answered (DNS rebinding).
        for host in ["attacker.example:\(port)", "127.0.0.1.attacker.example:\(port)", "localhost:\(port + 1)", "127.0.0.1"] {
            let foreign = Self.get("\(base)/a.html", host: host)
            #expect(foreign.status == 403 && !foreign.body.contains("first version") && foreign.body.contains("--allow-host"), "\(host): \(foreign)")
            #expect(Self.get("\(base)/__folio/wait?since=0", host: host).status == 403, "the reload channel answered \(host)")
        }
        #expect(Self.get("\(base)/a.html", host: "localhost:\(port)").body.contains("first version"))
        #expect(Self.get("\(base)/a.html", host: "[::1]:\(port)").status == 200)

        // A save: the reload channel answers with a newer build, and the page shows the change.
        TestSupport.write("# Live\n\n```swift\nprint(\"second version\")\n```\n", to: nb)
        let next = Self.waitForBuild(base, since: version)
        #expect(next == version + 1)
        #expect(Self.get("\(base)/a.html").body.contains("second version"))
        version = next

        // Rapid saves are debounced into (at most) two builds.
        for i in 0..<6 {
            TestSupport.write("# Live\n\n```swift\nprint(\"burst \(i)\")\n```\n", to: nb)
            Thread.sleep(forTimeInterval: 0.05)
        }
        var latest = Self.waitForBuild(base, since: version)
        Thread.sleep(forTimeInterval: 3)
        latest = Int(Self.get("\(base)/__folio/version").body) ?? 0
        #expect(latest > version && latest <= version + 2)
        #expect(Self.get("\(base)/a.html").body.contains("burst 5"))
        version = latest

        // A compile error is shown in the page; the server stays up.
        TestSupport.write("# Live\n\n```swift\nlet x: Int = \"no\"\n```\n", to: nb)
        version = Self.waitForBuild(base, since: version)
        #expect(Self.get("\(base)/a.html").body.contains("cannot convert value of type"))

        // Broken front matter: the previous site stays, the server stays up.
        TestSupport.write("---\ntitle: [unclosed\n---\n", to: nb)
        version = Self.waitForBuild(base, since: version)
        #expect(Self.get("\(base)/a.html").status == 200)

        // Deleting and renaming notebooks.
        try FileManager.default.removeItem(at: nb)
        TestSupport.write("# Renamed\n", to: dir.appendingPathComponent("notebooks/b.md"))
        version = Self.waitForBuild(base, since: version)
        Thread.sleep(forTimeInterval: 1)
        #expect(Self.get("\(base)/b.html").status == 200)
        #expect(server.isRunning)
    }

    /// `--allow-host NAME` adds a name (with this port) to the ones answered.
    @Test func anAllowedHostIsAnswered() throws {
        let dir = TestSupport.temporaryDirectory("preview-hosts")
        TestSupport.write("# Hosts\n\nProse only.\n", to: dir.appendingPathComponent("notebooks/a.md"))
        let (server, port) = try Self.startServer(in: dir, arguments: ["--allow-host", "notes.test"])
        defer { server.terminate(); server.waitUntilExit() }
        #expect(Self.waitUntilUp(port: port), "the server did not come up")
        #expect(Self.get("http://127.0.0.1:\(port)/a.html", host: "NOTES.test:\(port)").body.contains("Prose only."))
        #expect(Self.get("http://127.0.0.1:\(port)/a.html", host: "other.test:\(port)").status == 403)
        let bad = try TestSupport.runFolio(["preview", "--allow-host", "http://x.org/"], in: dir)
        #expect(bad.status == 64 && bad.output.contains("--allow-host takes a host name"), "\(bad.output)")
    }

    /// Under the Content-Security-Policy header the server sends, the page's own scripts still
    /// run in Chromium: KaTeX typesets (math in the browser) and the reload script reaches the
    /// server (it marks `<html>` once it has). An inline handler in the prose would not run.
    @Test func pagesWorkUnderTheServersContentSecurityPolicy() throws {
        let dir = TestSupport.temporaryDirectory("preview-csp")
        TestSupport.write("# Live\n\nInline $a^2+b^2$ and more.\n", to: dir.appendingPathComponent("notebooks/a.md"))
        let (server, port) = try Self.startServer(in: dir, environment: ["FOLIO_NO_NODE": "1"])
        defer { server.terminate(); server.waitUntilExit() }
        #expect(Self.waitUntilUp(port: port), "the server did not come up")
        let headers = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments: ["-s", "-m", "15", "-D", "-", "-o", "/dev/null", "http://127.0.0.1:\(port)/a.html"], timeout: 20)
        #expect(String(decoding: headers.stdout, as: UTF8.self).contains("Content-Security-Policy: \(Theme.contentSecurityPolicy)"))
        // --timeout, not a virtual time budget: the reload channel's long poll never lets virtual time run out.
        let chrome = try #require(BrowserTests.chromium)
        let r = try Subprocess.run(chrome, arguments: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                      "--disable-background-networking", "--timeout=5000",
                                                      "--dump-dom", "http://127.0.0.1:\(port)/a.html"], timeout: 90)
        let dom = String(decoding: r.stdout, as: UTF8.self)
        #expect(dom.contains("data-folio-preview=\"connected\""), "the reload script did not reach the server: \(dom.prefix(400))")
        #expect(dom.contains("class=\"katex\""), "KaTeX did not typeset under the policy")
    }
}
