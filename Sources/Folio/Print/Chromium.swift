import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One headless Chromium for a whole build, driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: the browser reads commands on fd 3 and writes replies on fd 4,
/// each a JSON message ended by a NUL byte). No port is opened and no network is used: host
/// names resolve to nothing, pages are `file://` URLs. Each page prints in a target (tab) of its
/// own, so `--jobs` pages print at once through the one process.
final class Chromium: @unchecked Sendable {
    /// Where Debian (and others) put the browser; `FOLIO_CHROMIUM` overrides.
    static func find(_ environment: [String: String]) -> URL? {
        if let path = environment["FOLIO_CHROMIUM"] {
            return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) {
            return URL(fileURLWithPath: p)
        }
        return Executable.onPath("chromium", "chromium-browser", "google-chrome", path: environment["PATH"])
    }

    static let missing = "Chromium was not found (looked for /usr/bin/chromium); install Debian's `chromium` package (`make deps`) or set FOLIO_CHROMIUM"

    struct ProtocolError: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: URL
    private let lock = NSCondition()
    private var nextID = 0
    private var replies: [Int: [String: Any]] = [:]
    private var events: [(method: String, session: String?, params: [String: Any])] = []
    private var closed = false

    /// Starts the browser. Throws when it cannot be started. `loopback`: 127.0.0.1 is reachable
    /// (a test driving a server of its own); otherwise there is no network at all.
    init(binary: URL, loopback: Bool = false) throws {
        Self.removeProfilesOfGoneProcesses()
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("folio-chromium-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var commands: [Int32] = [0, 0], answers: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&answers) == 0 else { throw ProtocolError(description: "pipe() failed") }
        // Close-on-exec, so the browser holds only its own ends (dup2'ed to 3 and 4): when Folio
        // goes, even killed outright, the browser reads the end of its commands and quits.
        for fd in commands + answers { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let args = [binary.path, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                    "--disable-sync", "--mute-audio", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
                    // No network: every host name fails to resolve; file:// pages are all there is.
                    "--host-resolver-rules=MAP * ~NOTFOUND" + (loopback ? " , EXCLUDE 127.0.0.1" : ""), "about:blank"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, commands[0], 3)
        posix_spawn_file_actions_adddup2(&actions, answers[1], 4)
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        posix_spawn_file_actions_adddup2(&actions, devNull, 0)
        posix_spawn_file_actions_adddup2(&actions, devNull, 1)
        posix_spawn_file_actions_adddup2(&actions, devNull, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let cArgs = args.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        let status = posix_spawn(&pid, binary.path, &actions, &attributes, cArgs, environ)
        close(commands[0]); close(answers[1]); close(devNull)
        guard status == 0 else {
            close(commands[1]); close(answers[0])
            throw ProtocolError(description: "cannot start \(binary.path): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        toBrowser = commands[1]
        fromBrowser = answers[0]
        let reader = Thread { [unowned self] in self.readLoop() }
        reader.stackSize = 1 << 20
        reader.start()
    }

    deinit { shutdown() }

    /// A Folio killed outright could not remove its browser's profile (a few megabytes). Each
    /// profile's name carries the process that made it; those whose process is gone are removed.
    static func removeProfilesOfGoneProcesses() {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix("folio-chromium-") {
            guard let owner = pid_t(name.dropFirst("folio-chromium-".count).prefix { $0 != "-" }),
                  kill(owner, 0) != 0 && errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }

    /// Ends the browser and its helpers (one process group), and removes its profile.
    func shutdown() {
        lock.lock()
        let already = closed
        closed = true
        lock.broadcast()
        lock.unlock()
        guard !already else { return }
        close(toBrowser)
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: profile)
    }

    private func readLoop() {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(fromBrowser, &chunk, chunk.count)
            if n <= 0 { break }
            buffer.append(contentsOf: chunk[0..<n])
            while let end = buffer.firstIndex(of: 0) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let json = (try? JSONSerialization.jsonObject(with: message)) as? [String: Any] else { continue }
                lock.lock()
                if let id = json["id"] as? Int {
                    replies[id] = json
                } else if let method = json["method"] as? String {
                    events.append((method, json["sessionId"] as? String, json["params"] as? [String: Any] ?? [:]))
                }
                lock.broadcast()
                lock.unlock()
            }
        }
        close(fromBrowser)
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }

    /// Sends a command and waits for its reply's `result`.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: Double = 60) throws -> [String: Any] {
        lock.lock()
        nextID += 1
        let id = nextID
        lock.unlock()
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        let written = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(toBrowser, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard written else { throw ProtocolError(description: "Chromium closed its DevTools pipe") }
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while replies[id] == nil {
            if closed { throw ProtocolError(description: "Chromium exited while \(method) was pending") }
            if !lock.wait(until: deadline) { throw ProtocolError(description: "\(method) got no answer in \(Int(timeout)) s") }
        }
        let reply = replies.removeValue(forKey: id)!
        if let error = reply["error"] as? [String: Any] {
            throw ProtocolError(description: "\(method): \(error["message"] as? String ?? "error")")
        }
        return reply["result"] as? [String: Any] ?? [:]
    }

    /// Waits for an event of `session`, removing it from the queue.
    func wait(for method: String, session: String, timeout: Double) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let i = events.firstIndex(where: { $0.method == method && $0.session == session }) {
                return events.remove(at: i).params
            }
            if closed { throw ProtocolError(description: "Chromium exited while waiting for \(method)") }
            if !lock.wait(until: deadline) { throw ProtocolError(description: "\(method) did not come in \(Int(timeout)) s") }
        }
    }

    /// Drops the queued events of a session that is finished.
    func forget(session: String) {
        lock.lock()
        events.removeAll { $0.session == session }
        lock.unlock()
    }

    // MARK: - Printing

    /// Opens `url` in a new tab, waits for it to load and for its fonts, prints it with `options`
    /// (DevTools `Page.printToPDF` parameters) and closes the tab.
    func printPDF(_ url: URL, options: [String: Any], timeout: Double) throws -> Data {
        try withPage(url, timeout: timeout) { session, left in
            // Fonts (KaTeX's) must be in before the layout is printed.
            try send("Runtime.evaluate", ["expression": "document.fonts.ready.then(() => true)", "awaitPromise": true],
                     session: session, timeout: left())
            let printed = try send("Page.printToPDF", options, session: session, timeout: left())
            guard let base64 = printed["data"] as? String, let data = Data(base64Encoded: base64) else {
                throw ProtocolError(description: "Page.printToPDF returned no data")
            }
            return data
        }
    }

    /// The value of `expression` (awaited when it is a promise) in the page at `url` once loaded.
    func evaluate(_ url: URL, _ expression: String, timeout: Double) throws -> Any? {
        try withPage(url, timeout: timeout) { session, left in
            let r = try send("Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true],
                             session: session, timeout: left())
            return (r["result"] as? [String: Any])?["value"]
        }
    }

    /// Opens `url` in a tab of its own, runs `body` once the page has loaded, and closes the tab.
    func withPage<T>(_ url: URL, timeout: Double, _ body: (_ session: String, _ left: () -> Double) throws -> T) throws -> T {
        let started = Date()
        func left() -> Double { max(1, timeout - Date().timeIntervalSince(started)) }
        let target = try send("Target.createTarget", ["url": "about:blank"], timeout: left())
        guard let targetID = target["targetId"] as? String else { throw ProtocolError(description: "no target id") }
        defer { _ = try? send("Target.closeTarget", ["targetId": targetID], timeout: 10) }
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true], timeout: left())
        guard let session = attached["sessionId"] as? String else { throw ProtocolError(description: "no session id") }
        defer { forget(session: session) }
        try send("Page.enable", session: session, timeout: left())
        try send("Page.navigate", ["url": url.absoluteString], session: session, timeout: left())
        _ = try wait(for: "Page.loadEventFired", session: session, timeout: left())
        return try body(session, left)
    }
}
