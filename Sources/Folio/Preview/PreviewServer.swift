import FlyingFox
import FlyingSocks
import Foundation

/// `folio preview`: build, serve the site on 127.0.0.1, rebuild on save, reload open pages.
///
/// The watcher polls modification times every 100 ms (notebooks, their `inputs:` files and
/// bibliographies) and rebuilds once nothing has changed for 100 ms, so a burst of saves is one
/// build. Notebooks run through a kernel (`NotebookKernels`): an edit runs from a snapshot of the
/// state before the changed cell, and once preview is idle a clean run checks such pages. Builds publish even when notebooks fail, so compile errors and failed claims show in the
/// page; input that cannot be parsed keeps the previous site and is printed. Nothing a notebook
/// does can stop the server: builds never throw.
///
/// Pages reload through a long-poll channel: `/__folio/version` gives the build number and
/// `/__folio/wait?since=N` answers as soon as a newer build exists (or after 10 s), and the
/// script injected into every served page reloads it then.
public final class PreviewServer: @unchecked Sendable {
    public private(set) var options: BuildOptions
    public let port: UInt16
    let log: BuildLog
    let executor: NotebookExecutor?
    private let lock = NSLock()
    private var version = 0
    private var snapshot: [String: String] = [:]

    public init(options: BuildOptions, port: UInt16, log: BuildLog = StandardErrorLog(), executor: NotebookExecutor?) {
        var o = options
        o.publishFailures = true
        self.options = o
        self.port = port
        self.log = log
        self.executor = executor
    }

    public var currentVersion: Int { lock.lock(); defer { lock.unlock() }; return version }

    /// Builds once, then serves and watches until the process is stopped.
    public func run() async throws {
        rebuild()
        snapshot = Self.watchedFiles(watchedInputs)
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
        let server = HTTPServer(address: address, timeout: 30, logger: .disabled)
        await server.appendRoute("GET /__folio/version") { [self] (_: HTTPRequest) async throws -> HTTPResponse in
            Self.text(String(currentVersion))
        }
        await server.appendRoute("GET /__folio/wait") { [self] (request: HTTPRequest) async throws -> HTTPResponse in
            try await waitForBuild(after: request)
        }
        await server.appendRoute("GET /__folio/reload.js") { (_: HTTPRequest) async throws -> HTTPResponse in
            Self.text(Self.reloadScript, type: "text/javascript")
        }
        await server.appendRoute("GET *") { [self] (request: HTTPRequest) async throws -> HTTPResponse in
            serve(request.path)
        }
        log.message("folio preview: serving \(options.output ?? "site")/ at http://127.0.0.1:\(port)/ — watching \(watchedInputs.joined(separator: ", ")); Ctrl-C stops")
        let watcher = Task.detached { [self] in await watch() }
        defer {
            watcher.cancel()
            (executor as? KernelExecutor)?.kernels.shutdown()
        }
        try await server.run()
    }

    static func text(_ body: String, type: String = "text/plain") -> HTTPResponse {
        var headers = HTTPHeaders()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("Content-Security-Policy")] = Theme.contentSecurityPolicy
        return HTTPResponse(statusCode: .ok, headers: headers, body: Data(body.utf8))
    }

    /// Long poll: answers when a build newer than `since` exists, or after 10 s.
    func waitForBuild(after request: HTTPRequest) async throws -> HTTPResponse {
        let since = request.query.first(where: { $0.name == "since" }).flatMap { Int($0.value) } ?? 0
        let deadline = Date().addingTimeInterval(10)
        while currentVersion <= since && Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return Self.text(String(currentVersion))
    }

    /// What is watched: the inputs (the project's notebook folders when none were given) and the
    /// project's own files: `folio.yml`, `folio.lock`, the shared code, the theme.
    var watchedInputs: [String] {
        guard let project = options.project else { return options.inputs.isEmpty ? ["notebooks"] : options.inputs }
        var folders = options.inputs
        if folders.isEmpty {
            let sources = (try? project.notebooks()) ?? []
            folders = Array(Set(sources.map { project.shown($0.url.deletingLastPathComponent()) })).sorted()
        }
        folders += [project.shown(project.root.appendingPathComponent(ProjectFile.name)),
                    project.shown(project.root.appendingPathComponent(PackageBuild.lockName))]
        folders += [project.sharedSources, project.themeFolder].compactMap { $0.map(project.shown) }
        return folders
    }

    /// One build; the version goes up so open pages reload. A changed `folio.yml` is read again
    /// first; one that no longer reads is reported and the previous one kept.
    func rebuild() {
        if let project = options.project {
            do {
                options.project = try Project.load(root: project.root, filePath: project.filePath, profile: project.file.profile)
            } catch {
                log.message("\(error)")
            }
        }
        let summary = Builder(options: options, log: log, executor: executor).run()
        lock.lock()
        version += 1
        let v = version
        lock.unlock()
        log.message("folio preview: build \(v) \(summary.exitCode == 0 ? "ok" : "has errors (shown in the pages)")")
    }

    func watch() async {
        var pendingSince: Date?
        var idleSince = Date()
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(Self.pollInterval * 1e9))
            let now = Self.watchedFiles(watchedInputs)
            if now != snapshot {
                snapshot = now
                pendingSince = Date()
                continue
            }
            if let since = pendingSince, Date().timeIntervalSince(since) >= Self.quietPeriod {
                pendingSince = nil
                rebuild()
                snapshot = Self.watchedFiles(watchedInputs)
                idleSince = Date()
            } else if pendingSince == nil && takeVerified() {
                // A clean run finished checking a snapshot run: show its outputs (and any drift).
                rebuild()
                snapshot = Self.watchedFiles(watchedInputs)
            } else if pendingSince == nil, Date().timeIntervalSince(idleSince) >= 1 {
                startVerifying()
            }
        }
    }

    private var verifying = false
    private var verified = false

    func takeVerified() -> Bool {
        lock.lock(); defer { lock.unlock() }
        let v = verified
        verified = false
        return v
    }

    /// How often the files are looked at, and how long they must stay unchanged before a build.
    static let pollInterval = 0.1
    static let quietPeriod = 0.1

    /// Idle: pages that show snapshot runs are checked by clean runs (`NotebookKernels.verify`),
    /// on a thread of their own, so a save meanwhile is built at once.
    func startVerifying() {
        guard let kernel = executor as? KernelExecutor, kernel.kernels.hasUnverified else { return }
        lock.lock()
        guard !verifying else { lock.unlock(); return }
        verifying = true
        lock.unlock()
        let thread = Thread { [self] in
            let ran = kernel.kernels.verify(with: kernel.caching)
            lock.lock()
            verifying = false
            if ran { verified = true }
            lock.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Path → "size|mtime" for every notebook and every file beside them (inputs, images,
    /// bibliographies), skipping hidden folders.
    static func watchedFiles(_ inputs: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for input in inputs {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else { continue }
            let paths: [String]
            if isDir.boolValue {
                let e = FileManager.default.enumerator(atPath: input)
                var list: [String] = []
                while let p = e?.nextObject() as? String, list.count < 50_000 {
                    if p.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                    list.append(input + "/" + p)
                }
                paths = list
            } else {
                paths = [input]
            }
            for p in paths {
                guard let a = try? FileManager.default.attributesOfItem(atPath: p), (a[.type] as? FileAttributeType) == .typeRegular else { continue }
                out[p] = FileStamp.of(p)
            }
        }
        return out
    }

    /// A file of the site; HTML pages get the reload script. Paths cannot leave the site folder.
    func serve(_ rawPath: String) -> HTTPResponse {
        let root = URL(fileURLWithPath: options.output ?? "site").standardizedFileURL
        var path = (rawPath.removingPercentEncoding ?? rawPath)
        if path.hasSuffix("/") { path += "index.html" }
        let url = root.appendingPathComponent(path).standardizedFileURL
        guard url.path.hasPrefix(root.path + "/"), !path.split(separator: "/").contains(".."),
              let data = try? Data(contentsOf: url) else {
            var headers = HTTPHeaders()
            headers[.contentType] = "text/plain"
            return HTTPResponse(statusCode: .notFound, headers: headers, body: Data("not found\n".utf8))
        }
        let type = Self.contentTypes[url.pathExtension.lowercased()] ?? "application/octet-stream"
        var headers = HTTPHeaders()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("Content-Security-Policy")] = Theme.contentSecurityPolicy
        if url.pathExtension == "html", let html = String(data: data, encoding: .utf8) {
            let tag = "<script src=\"/__folio/reload.js\" data-version=\"\(currentVersion)\"></script>\n</body>"
            return HTTPResponse(statusCode: .ok, headers: headers, body: Data(html.replacingOccurrences(of: "</body>", with: tag).utf8))
        }
        return HTTPResponse(statusCode: .ok, headers: headers, body: data)
    }

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "css": "text/css", "js": "text/javascript", "json": "application/json",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf",
    ]

    static let reloadScript = """
    (function () {
      var me = document.currentScript, seen = parseInt(me.getAttribute('data-version') || '0', 10);
      // Marks the page once the server answered, so a test can see the script ran under the policy.
      fetch('/__folio/version', {cache: 'no-store'}).then(function () {
        document.documentElement.setAttribute('data-folio-preview', 'connected');
      });
      function poll() {
        fetch('/__folio/wait?since=' + seen, {cache: 'no-store'}).then(function (r) { return r.text(); }).then(function (t) {
          var v = parseInt(t, 10);
          if (v > seen) { location.reload(); } else { poll(); }
        }).catch(function () { setTimeout(poll, 1000); });
      }
      poll();
    })();
    """
}
