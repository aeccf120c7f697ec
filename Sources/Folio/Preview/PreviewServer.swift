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
/// `/__folio/wait?since=N&generation=G` answers (JSON: the build number, and which notebook and
/// cell are running for how long) as soon as a newer build exists or what is running changed, or
/// after 10 s; the script injected into every served page reloads it on a newer build and shows
/// the running cell meanwhile.
///
/// Only the author's own browser is answered: a request whose `Host` is not this server's
/// loopback address (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`) or a name given with
/// `--allow-host` gets 403 and nothing of the site, so a web page that points a name of its own
/// at 127.0.0.1 (DNS rebinding) cannot read unpublished notebooks.
public final class PreviewServer: @unchecked Sendable {
    /// Where it builds, what the user asked for, and the project as last read: each build
    /// resolves its options from these (`BuildOptions.resolve`), so an edit of folio.yml counts.
    public let context: BuildContext
    let flags: BuildFlags
    private var project: Project?
    public var options: BuildOptions { BuildOptions.resolve(.preview, flags: flags, project: project) }
    public let port: UInt16
    let activity: PreviewActivity
    var log: BuildLog { activity }
    let executor: NotebookExecutor?
    /// Host header values answered, lowercased (`127.0.0.1:8000`, …).
    let allowedHosts: Set<String>
    private let lock = NSLock()
    private var version = 0
    private var snapshot: [String: String] = [:]

    public init(context: BuildContext, flags: BuildFlags, project: Project?, port: UInt16, log: BuildLog = StandardErrorLog(),
                executor: NotebookExecutor?, allowHosts: [String] = []) {
        self.context = context
        self.flags = flags
        self.project = project
        self.port = port
        self.activity = PreviewActivity(inner: log)
        self.executor = executor
        self.allowedHosts = Self.allowedHosts(port: port, extra: allowHosts)
    }

    /// The Host values a request may carry: the loopback names with the port (and without it
    /// on port 80, where browsers leave it out), and each `--allow-host` name likewise.
    static func allowedHosts(port: UInt16, extra: [String]) -> Set<String> {
        var hosts: Set<String> = []
        for name in ["127.0.0.1", "localhost", "[::1]"] + extra {
            let n = name.lowercased()
            hosts.insert("\(n):\(port)")
            if port == 80 { hosts.insert(n) }
        }
        return hosts
    }

    /// Whether a request with this `Host` header is answered.
    func allows(host: String?) -> Bool {
        guard let host = host?.trimmingCharacters(in: .whitespaces).lowercased(), !host.isEmpty else { return false }
        return allowedHosts.contains(host)
    }

    public var currentVersion: Int { lock.lock(); defer { lock.unlock() }; return version }

    /// Builds once, then serves and watches until the process is stopped.
    public func run() async throws {
        rebuild()
        snapshot = Self.watchedFiles(watchedInputs, in: context.folder)
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
        let server = HTTPServer(address: address, timeout: 30, logger: .disabled)
        // One route, so that no path escapes the Host check.
        await server.appendRoute("*") { [self] (request: HTTPRequest) async throws -> HTTPResponse in
            try await respond(to: request)
        }
        log.message("folio preview: serving \(options.output ?? "site")/ at http://127.0.0.1:\(port)/ — watching \(watchedInputs.joined(separator: ", ")); Ctrl-C stops")
        let watcher = Task.detached { [self] in await watch() }
        defer {
            watcher.cancel()
            (executor as? KernelExecutor)?.kernels.shutdown()
        }
        try await server.run()
    }

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        guard allows(host: request.headers[.host]) else {
            return Self.text("folio preview answers only http://127.0.0.1:\(port)/, http://localhost:\(port)/ and http://[::1]:\(port)/ "
                             + "(this request named the host `\(request.headers[.host] ?? "")`). To reach it under another name, "
                             + "start it with --allow-host NAME.\n", status: .forbidden)
        }
        guard request.method == .GET || request.method == .HEAD else {
            return Self.text("folio preview serves GET and HEAD only\n", status: .methodNotAllowed)
        }
        switch request.path {
        case "/__folio/version": return Self.text(String(currentVersion))
        case "/__folio/wait": return try await waitForChange(after: request)
        case "/__folio/reload.js": return Self.text(Self.reloadScript, type: "text/javascript")
        default: return serve(request.path)
        }
    }

    static func text(_ body: String, type: String = "text/plain", status: HTTPStatusCode = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("Content-Security-Policy")] = Theme.contentSecurityPolicy
        return HTTPResponse(statusCode: status, headers: headers, body: Data(body.utf8))
    }

    /// What the reload channel says: the newest build, and what is running (for how long).
    struct ChannelState: Codable {
        var version: Int
        var generation: Int
        var running: [PreviewActivity.Entry]
    }

    /// Long poll: answers when a build newer than `since` exists or what is running is no longer
    /// `generation`, or after 10 s.
    func waitForChange(after request: HTTPRequest) async throws -> HTTPResponse {
        func query(_ name: String) -> Int? { request.query.first(where: { $0.name == name }).flatMap { Int($0.value) } }
        let since = query("since") ?? 0, generation = query("generation")
        let deadline = Date().addingTimeInterval(10)
        while currentVersion <= since && (generation == nil || activity.current().generation == generation) && Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let (g, running) = activity.current()
        let state = ChannelState(version: currentVersion, generation: g, running: running)
        let data = (try? JSONEncoder().encode(state)) ?? Data()
        return Self.text(String(decoding: data, as: UTF8.self), type: "application/json")
    }

    /// What is watched: the inputs (the project's notebook folders when none were given) and the
    /// project's own files: `folio.yml`, `folio.lock`, the shared code, the theme.
    var watchedInputs: [String] {
        guard let project else { return flags.inputs.isEmpty ? ["notebooks"] : flags.inputs }
        var folders = flags.inputs
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
        if let current = project {
            do {
                project = try Project.load(root: current.root, filePath: current.filePath, profile: current.file.profile)
            } catch {
                log.message("\(error)")
            }
        }
        let summary = Builder(context: context, options: options, log: log, executor: executor).run()
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
            let now = Self.watchedFiles(watchedInputs, in: context.folder)
            if now != snapshot {
                snapshot = now
                pendingSince = Date()
                continue
            }
            if let since = pendingSince, Date().timeIntervalSince(since) >= Self.quietPeriod {
                pendingSince = nil
                rebuild()
                snapshot = Self.watchedFiles(watchedInputs, in: context.folder)
                idleSince = Date()
            } else if pendingSince == nil && takeVerified() {
                // A clean run finished checking a snapshot run: show its outputs (and any drift).
                rebuild()
                snapshot = Self.watchedFiles(watchedInputs, in: context.folder)
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
            let ran = kernel.kernels.verify(with: kernel.caching, log: activity.verification)
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
    static func watchedFiles(_ inputs: [String], in folder: URL) -> [String: String] {
        var out: [String: String] = [:]
        for given in inputs {
            let input = given.hasPrefix("/") ? given : folder.appendingPathComponent(given).path
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
        let root = context.url(options.output ?? "site")
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

    /// Reloads the page on a newer build; meanwhile shows what is running in a status box (its
    /// clock ticks here between the server's answers). Styles are set through the CSSOM, which
    /// the page's policy allows (it forbids style attributes in markup).
    static let reloadScript = """
    (function () {
      var me = document.currentScript, seen = parseInt(me.getAttribute('data-version') || '0', 10);
      var generation = -1, running = [], received = Date.now(), box = null;
      // Marks the page once the server answered, so a test can see the script ran under the policy.
      fetch('/__folio/version', {cache: 'no-store'}).then(function () {
        document.documentElement.setAttribute('data-folio-preview', 'connected');
      });
      function describe(r) {
        var s = Math.floor(r.seconds + (Date.now() - received) / 1000);
        var what = r.origin === 'verification' ? 'Checking ' + r.notebook + ' by a clean run' : r.notebook;
        if (r.phase === 'running') { return (r.origin === 'verification' ? '' : 'Running ') + what + ' — cell ' + r.cell + ' of ' + r.of + ' (' + s + ' s)'; }
        if (r.phase === 'compiling') { return (r.origin === 'verification' ? '' : 'Compiling ') + what + ' — compiling (' + s + ' s)'; }
        return (r.origin === 'verification' ? '' : 'Starting ') + what;
      }
      function show() {
        if (!running.length) { if (box) { box.remove(); box = null; } return; }
        if (!box) {
          box = document.createElement('div');
          box.id = 'folio-running';
          box.setAttribute('role', 'status');
          box.setAttribute('aria-live', 'polite');
          var st = box.style;
          st.position = 'fixed'; st.right = '1rem'; st.bottom = '1rem'; st.zIndex = '1000';
          st.padding = '0.4rem 0.8rem'; st.borderRadius = '0.4rem'; st.font = '0.85rem system-ui, sans-serif';
          st.whiteSpace = 'pre-line'; st.background = '#1f2937'; st.color = '#f9fafb'; st.boxShadow = '0 2px 8px rgba(0,0,0,0.25)';
          document.body.appendChild(box);
        }
        box.textContent = running.map(describe).join('\\n');
      }
      setInterval(show, 1000);
      function poll() {
        fetch('/__folio/wait?since=' + seen + '&generation=' + generation, {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (state) {
          if (state.version > seen) { location.reload(); return; }
          generation = state.generation; running = state.running; received = Date.now();
          show();
          poll();
        }).catch(function () { setTimeout(poll, 1000); });
      }
      poll();
    })();
    """
}
