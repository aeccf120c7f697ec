import Foundation
@testable import Folio

/// Shared helpers: the package root, fixture files, temporary folders, running the `folio`
/// binary as a process, and golden files that `RECORD_GOLDEN=1 swift test` rewrites.
enum TestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// The debug build's `folio` (built by `swift build` before `swift test`).
    static var folio: URL {
        let bin = Bundle.main.executableURL?.deletingLastPathComponent()
        for candidate in [bin?.appendingPathComponent("folio"), packageRoot.appendingPathComponent(".build/debug/folio")] {
            if let c = candidate, FileManager.default.isExecutableFile(atPath: c.path) { return c }
        }
        return packageRoot.appendingPathComponent(".build/debug/folio")
    }

    static func temporaryDirectory(_ name: String = "t") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("folio-tests-\(name)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) {
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func read(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    /// Every file below `folder`, by relative path: what "left byte-identical" compares.
    static func files(in folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let p = walker?.nextObject() as? String {
            if let d = FileManager.default.contents(atPath: folder.appendingPathComponent(p).path) { files[p] = d }
        }
        return files
    }

    /// A loopback port no one holds now, for a server the test starts. Below the kernel's
    /// ephemeral range (32768 on): a port in it may be the local end of any outgoing connection,
    /// and a server that cannot bind it never answers (a preview test once waited 120 s for one).
    static func freeLoopbackPort() -> Int {
        while true {
            let port = Int.random(in: 20_000...32_000)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return port }
            defer { close(fd) }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { return port }
        }
    }

    /// Alive and not a zombie: a killed process whose parent died may linger as one until
    /// whoever adopted it reaps it.
    static func isRunning(_ pid: Int32) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first ?? "X"
        return !(stat.isEmpty || state == "Z" || state == "X")
    }

    /// Every live (not zombie) process on the machine, from /proc: its id, parent and group.
    static func processes() -> [(pid: Int32, parent: Int32, group: Int32)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> (pid: Int32, parent: Int32, group: Int32)? in
            guard let pid = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8) else { return nil }
            // "pid (name) state parent group …": the name may hold spaces, so split after ")".
            let fields = (stat.split(separator: ")").last ?? "").split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", fields[0] != "X",
                  let parent = Int32(fields[1]), let group = Int32(fields[2]) else { return nil }
            return (pid, parent, group)
        }
    }

    /// Whether process `pid` (read from `file`, where a notebook cell wrote it) is gone within
    /// `seconds`. False too when the file holds no process id: the cell never ran.
    static func ends(pidIn file: URL, within seconds: Double) -> Bool {
        guard let pid = Int32(read(file).trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return false }
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning(pid) && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        return !isRunning(pid)
    }

    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs `folio` with `arguments` in `directory`, stdout and stderr together.
    static func runFolio(_ arguments: [String], in directory: URL, environment: [String: String] = [:], timeout: Double = 300) throws -> Run {
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_RUNTIME_DIR"] = folio.deletingLastPathComponent().path
        for (k, v) in environment { env[k] = v }
        let r = try Subprocess.run(folio, arguments: arguments, environment: env, currentDirectory: directory, timeout: timeout, mergeStderr: true)
        return Run(status: r.status, output: String(decoding: r.stdout, as: UTF8.self))
    }

    /// Compares `actual` with the golden file, or records it when `RECORD_GOLDEN` is set.
    static func matchesGolden(_ actual: String, _ golden: URL) -> Bool {
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
            write(actual, to: golden)
            return true
        }
        return read(golden) == actual
    }

    /// A fresh copy of the fixture folder `Tests/Fixtures/<name>`, for a test to build and edit.
    static func copyOfFixture(_ name: String) throws -> URL {
        let dir = temporaryDirectory(name)
        try FileManager.default.removeItem(at: dir)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: dir)
        return dir
    }

    /// `folio build --report` in `directory` (plus `extra`), with the report it wrote.
    static func buildWithReport(_ dir: URL, _ extra: [String] = [], in directory: URL? = nil, timeout: Double = 900) throws -> (status: Int32, output: String, report: BuildReport?) {
        let file = dir.appendingPathComponent("r.json")
        try? FileManager.default.removeItem(at: file)
        let r = try runFolio(["build", "--report", file.path] + extra, in: directory ?? dir, timeout: timeout)
        return (r.status, r.output, try? report(file))
    }

    /// Whether each notebook of a report ran (false: from the cache), by source path.
    static func executed(_ report: BuildReport?) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: (report?.notebooks ?? []).map { ($0.source, $0.executed) })
    }

    /// The `--report` file, decoded as the public type it documents (a field that fails to decode fails the test).
    static func report(_ url: URL) throws -> BuildReport {
        try JSONDecoder().decode(BuildReport.self, from: Data(contentsOf: url))
    }
}

/// Collects a build's messages instead of printing them.
final class CollectingLog: BuildLog, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func message(_ text: String) { lock.lock(); lines.append(text); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}
