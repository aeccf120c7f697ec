import Foundation
import Testing
@testable import Folio

/// `folio preview` as a process: serves on 127.0.0.1, rebuilds on save, tells pages to reload,
/// survives broken, deleted and rapidly saved notebooks.
@Suite(.serialized) struct PreviewTests {
    static func get(_ url: String) -> (status: Int, body: String) {
        guard let r = try? Subprocess.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments: ["-s", "-m", "15", "-w", "\n%{http_code}", url], timeout: 20) else { return (0, "") }
        let text = String(decoding: r.stdout, as: UTF8.self)
        let code = Int(text.split(separator: "\n").last ?? "") ?? 0
        return (code, text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().joined(separator: "\n"))
    }

    @Test func servesRebuildsAndNotifiesPages() throws {
        let dir = TestSupport.temporaryDirectory("preview")
        let nb = dir.appendingPathComponent("notebooks/a.md")
        TestSupport.write("# Live\n\n```swift\nprint(\"first version\")\n```\n", to: nb)
        let port = Int.random(in: 20_000...40_000)
        let base = "http://127.0.0.1:\(port)"
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
        let server = Process()
        server.executableURL = TestSupport.folio
        server.arguments = ["preview", "--port", String(port)]
        server.currentDirectoryURL = dir
        server.environment = env
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
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

        // A save: the reload channel answers with a newer build, and the page shows the change.
        TestSupport.write("# Live\n\n```swift\nprint(\"second version\")\n```\n", to: nb)
        let next = Int(Self.get("\(base)/__folio/wait?since=\(version)").body) ?? 0
        #expect(next == version + 1)
        #expect(Self.get("\(base)/a.html").body.contains("second version"))
        version = next

        // Rapid saves are debounced into (at most) two builds.
        for i in 0..<6 {
            TestSupport.write("# Live\n\n```swift\nprint(\"burst \(i)\")\n```\n", to: nb)
            Thread.sleep(forTimeInterval: 0.05)
        }
        var latest = Int(Self.get("\(base)/__folio/wait?since=\(version)").body) ?? 0
        Thread.sleep(forTimeInterval: 3)
        latest = Int(Self.get("\(base)/__folio/version").body) ?? 0
        #expect(latest > version && latest <= version + 2)
        #expect(Self.get("\(base)/a.html").body.contains("burst 5"))
        version = latest

        // A compile error is shown in the page; the server stays up.
        TestSupport.write("# Live\n\n```swift\nlet x: Int = \"no\"\n```\n", to: nb)
        version = Int(Self.get("\(base)/__folio/wait?since=\(version)").body) ?? 0
        #expect(Self.get("\(base)/a.html").body.contains("cannot convert value of type"))

        // Broken front matter: the previous site stays, the server stays up.
        TestSupport.write("---\ntitle: [unclosed\n---\n", to: nb)
        version = Int(Self.get("\(base)/__folio/wait?since=\(version)").body) ?? 0
        #expect(Self.get("\(base)/a.html").status == 200)

        // Deleting and renaming notebooks.
        try FileManager.default.removeItem(at: nb)
        TestSupport.write("# Renamed\n", to: dir.appendingPathComponent("notebooks/b.md"))
        version = Int(Self.get("\(base)/__folio/wait?since=\(version)").body) ?? 0
        Thread.sleep(forTimeInterval: 1)
        #expect(Self.get("\(base)/b.html").status == 200)
        #expect(server.isRunning)
    }
}
