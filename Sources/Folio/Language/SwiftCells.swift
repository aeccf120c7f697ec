import Foundation

/// Swift inside cells: the toolchain's `sourcekit-lsp`, one per project, started on the first
/// request, over the program Folio generates for a notebook. Each module of the program is
/// written under `.folio/lsp/` with the compiler arguments a build uses in a
/// `compile_commands.json` there; a request made in a cell is moved to the generated file
/// (`SourceMap`) and its answer moved back, so a definition in an earlier cell lands on its `.md`
/// line. Without sourcekit-lsp (missing, or crashed twice) the notebook features go on and the
/// Swift ones say why, once.
final class SwiftCells: @unchecked Sendable {
    let folder: URL
    let context: BuildContext
    private let lock = NSLock()
    private var process: Process?
    private var writer: JSONRPC.Writer?
    private var nextID = 0
    private var answers: [Int: JSONRPC.Message] = [:]
    private var waiting: [Int: DispatchSemaphore] = [:]
    /// What sourcekit-lsp has open: virtual file → (version, text).
    private var opened: [URL: (version: Int, text: String)] = [:]
    private var compileCommands = Data()
    private var starts = 0
    /// Why Swift features are off; nil while they work.
    private(set) var problem: String?
    /// sourcekit-lsp's semantic token legend, from its `initialize` answer.
    private var legend: (types: [String], modifiers: [String]) = ([], [])

    /// The legend `folio lsp` announces: LSP 3.17's standard token types and modifiers.
    static let tokenTypes = ["namespace", "type", "class", "enum", "interface", "struct", "typeParameter", "parameter", "variable", "property",
                             "enumMember", "event", "function", "method", "macro", "keyword", "modifier", "comment", "string", "number",
                             "regexp", "operator", "decorator"]
    static let tokenModifiers = ["declaration", "definition", "readonly", "static", "deprecated", "abstract", "async", "modification",
                                 "documentation", "defaultLibrary"]

    init(context: BuildContext) {
        self.context = context
        folder = context.state.url.appendingPathComponent("lsp")
    }

    /// A notebook's program as sourcekit-lsp sees it: its files and how their lines map back.
    struct Program {
        struct File {
            var url: URL
            var text: String
            var map: SourceMap
        }
        var notebook: URL
        var files: [File]

        func file(_ url: URL) -> File? { files.first { $0.url.standardizedFileURL == url.standardizedFileURL } }
    }

    // MARK: - The program

    /// Writes `nb`'s generated program (only the files that changed) and its compile commands.
    func program(for nb: Notebook, toolchain: Toolchain, modules: ProjectModules) throws -> Program {
        var generator = ProgramGenerator(notebook: nb)
        generator.importsShared = modules.dependsOnShared(nb)
        let generated = generator.generate()
        let base = folder.appendingPathComponent(String(SHA256.hex(nb.runName).prefix(16)))
        let built = context.state.buildFolder(for: nb.runName)
        var program = Program(notebook: nb.file, files: [])
        var commands: [[String: Any]] = []
        for (m, module) in generated.modules.enumerated() {
            let dir = base.appendingPathComponent(module.name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let urls = module.files.map { dir.appendingPathComponent($0.name) }
            var args = [toolchain.swiftc.path] + toolchain.compileArguments(swiftVersion: nb.frontMatter.swiftVersion, optimize: false,
                                                                          moduleName: module.name, extra: modules.arguments(for: nb))
            // Earlier modules of cells, as the last type-check emitted them.
            args += ["-I", built.path] + (m == generated.modules.count - 1 ? [] : ["-parse-as-library"]) + urls.map(\.path)
            for (file, url) in zip(module.files, urls) {
                if (try? String(contentsOf: url, encoding: .utf8)) != file.text { try AtomicFile.write(file.text, to: url) }
                program.files.append(Program.File(url: url, text: file.text, map: SourceMap(generated: file.text)))
                commands.append(["directory": context.folder.path, "file": url.path, "arguments": args])
            }
        }
        try updateCompileCommands(commands, replacing: base)
        return program
    }

    /// One `compile_commands.json` for every notebook's program; sourcekit-lsp is told when it changes.
    private func updateCompileCommands(_ commands: [[String: Any]], replacing base: URL) throws {
        let file = folder.appendingPathComponent("compile_commands.json")
        var all = ((try? JSONSerialization.jsonObject(with: Data(contentsOf: file))) as? [[String: Any]]) ?? []
        all = all.filter { !(($0["file"] as? String)?.hasPrefix(base.path + "/") ?? false) } + commands
        let data = try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys])
        let changed: Bool = lock.withLock {
            defer { compileCommands = data }
            return compileCommands != data
        }
        guard changed else { return }
        try AtomicFile.write(data, to: file)
        if lock.withLock({ process != nil }) {
            struct Change: Encodable { var uri: String; var type = 2 }
            struct Params: Encodable { var changes: [Change] }
            lock.withLock { writer }?.send(JSONRPC.Notification(method: "workspace/didChangeWatchedFiles",
                                                               params: Params(changes: [Change(uri: DocumentURI.of(file))])))
        }
    }

    // MARK: - sourcekit-lsp

    /// Starts sourcekit-lsp (beside swiftc, else on PATH) unless it runs; false with `problem` set
    /// when it cannot. A server that stopped is started again once.
    private func ensureRunning(_ toolchain: Toolchain) -> Bool {
        lock.lock()
        if let p = process, p.isRunning { lock.unlock(); return true }
        if starts >= 2 {
            if problem == nil { problem = "sourcekit-lsp stopped and stopped again after a restart; Swift completion, hover and definition in cells are off" }
            lock.unlock()
            return false
        }
        starts += 1
        lock.unlock()
        let beside = toolchain.swiftc.deletingLastPathComponent().appendingPathComponent("sourcekit-lsp")
        guard let binary = FileManager.default.isExecutableFile(atPath: beside.path) ? beside
                : Executable.onPath("sourcekit-lsp", path: context.environment["PATH"]) else {
            lock.withLock { problem = "sourcekit-lsp was not found beside swiftc or on PATH; Swift completion, hover and definition in cells are off" }
            return false
        }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = binary
        p.arguments = ["--default-workspace-type", "compilationDatabase"]
        p.currentDirectoryURL = folder
        p.environment = context.environment
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            lock.withLock { problem = "sourcekit-lsp could not start (\(error)); Swift completion, hover and definition in cells are off" }
            return false
        }
        let writer = JSONRPC.Writer(fd: input.fileHandleForWriting.fileDescriptor)
        lock.withLock {
            process = p
            self.writer = writer
            opened = [:]
            problem = nil
        }
        let reader = JSONRPC.Reader(fd: output.fileHandleForReading.fileDescriptor)
        let thread = Thread { [self] in read(reader, writer) }
        thread.start()
        struct Initialize: Encodable {
            var processId = Int(getpid())
            var rootUri: String
            var capabilities: JSON
        }
        let capabilities: JSON = .object([
            "textDocument": .object(["completion": .object(["completionItem": .object(["snippetSupport": .bool(false)])]),
                                     "hover": .object(["contentFormat": .array([.string("markdown"), .string("plaintext")])]),
                                     "semanticTokens": .object(["requests": .object(["full": .bool(true)]), "formats": .array([.string("relative")]),
                                                                "tokenTypes": .array(Self.tokenTypes.map(JSON.string)),
                                                                "tokenModifiers": .array(Self.tokenModifiers.map(JSON.string))])]),
            "workspace": .object(["didChangeWatchedFiles": .object(["dynamicRegistration": .bool(false)])]),
        ])
        guard let answer = send("initialize", Initialize(rootUri: DocumentURI.of(folder), capabilities: capabilities), timeout: 60) else {
            lock.withLock { problem = "sourcekit-lsp did not answer `initialize`; Swift features in cells are off" }
            p.terminate()
            return false
        }
        let given = answer["capabilities"]?["semanticTokensProvider"]?["legend"]
        func names(_ j: JSON?) -> [String] { if case .array(let a)? = j { return a.compactMap(\.string) } else { return [] } }
        lock.withLock { legend = (names(given?["tokenTypes"]), names(given?["tokenModifiers"])) }
        writer.send(JSONRPC.Notification(method: "initialized", params: JSON.object([:])))
        return true
    }

    /// Reads sourcekit-lsp's messages: answers for whoever waits, empty replies to its own requests.
    private func read(_ reader: JSONRPC.Reader, _ writer: JSONRPC.Writer) {
        while let data = reader.next() {
            guard let m = try? JSONDecoder().decode(JSONRPC.Message.self, from: data) else { continue }
            if let id = m.id, m.method != nil {
                // `workspace/configuration` wants one answer per item; everything else, null.
                var result = JSON.null
                if m.method == "workspace/configuration", case .array(let items)? = m.params?["items"] { result = .array(items.map { _ in .null }) }
                writer.send(JSONRPC.Response(id: id, result: result))
                continue
            }
            guard let id = m.id?.int else { continue }
            lock.withLock {
                answers[id] = m
                waiting[id]?.signal()
            }
        }
        // It stopped: every waiter is woken with nothing.
        lock.withLock {
            process = nil
            for (_, s) in waiting { s.signal() }
        }
    }

    /// Sends a request and waits for its answer; nil on a timeout, an error or a stopped server.
    private func send<P: Encodable>(_ method: String, _ params: P, timeout: Double) -> JSON? {
        let (id, semaphore, writer): (Int, DispatchSemaphore, JSONRPC.Writer?) = lock.withLock {
            nextID += 1
            let s = DispatchSemaphore(value: 0)
            waiting[nextID] = s
            return (nextID, s, self.writer)
        }
        guard let writer else { return nil }
        writer.send(JSONRPC.Request(id: id, method: method, params: params))
        _ = semaphore.wait(timeout: .now() + timeout)
        let answer: JSONRPC.Message? = lock.withLock {
            waiting[id] = nil
            return answers.removeValue(forKey: id)
        }
        guard let answer, answer.error == nil else { return nil }
        return answer.result ?? .null
    }

    /// Makes sourcekit-lsp's copy of `file` the generated text.
    private func sync(_ file: Program.File) {
        struct Open: Encodable { var textDocument: LSP.TextDocumentItem }
        struct Change: Encodable { var textDocument: LSP.VersionedTextDocumentIdentifier; var contentChanges: [LSP.ContentChange] }
        let (writer, previous): (JSONRPC.Writer?, (version: Int, text: String)?) = lock.withLock { (self.writer, opened[file.url]) }
        guard let writer else { return }
        if let previous {
            guard previous.text != file.text else { return }
            writer.send(JSONRPC.Notification(method: "textDocument/didChange", params: Change(
                textDocument: .init(uri: DocumentURI.of(file.url), version: previous.version + 1), contentChanges: [.init(range: nil, text: file.text)])))
            lock.withLock { opened[file.url] = (previous.version + 1, file.text) }
        } else {
            writer.send(JSONRPC.Notification(method: "textDocument/didOpen", params: Open(
                textDocument: .init(uri: DocumentURI.of(file.url), languageId: "swift", version: 1, text: file.text))))
            lock.withLock { opened[file.url] = (1, file.text) }
        }
    }

    // MARK: - Requests made in cells

    /// Asks sourcekit-lsp `method` at the notebook position `at` (inside a Swift cell of `nb`,
    /// whose text is `document`); the answer's positions are moved back into the notebook.
    func ask(_ method: String, at: LSP.Position, extra: [String: JSON] = [:], nb: Notebook, document: TextDocument,
             toolchain: Toolchain, modules: ProjectModules) -> JSON? {
        // The compile commands first: sourcekit-lsp looks for them when it opens the workspace.
        guard let program = try? program(for: nb, toolchain: toolchain, modules: modules), ensureRunning(toolchain) else { return nil }
        let text = document.line(at.line)
        guard let (file, position) = program.files.lazy.compactMap({ f in f.map.generated(line: at.line, character: at.character, text: text).map { (f, $0) } }).first
        else { return nil }
        // The file asked about, and any other file of the program sourcekit-lsp holds open.
        let open = lock.withLock { Set(opened.keys) }
        for f in program.files where f.url == file.url || open.contains(f.url) { sync(f) }
        var params: [String: JSON] = ["textDocument": .object(["uri": .string(DocumentURI.of(file.url))]),
                                      "position": .object(["line": .int(position.line), "character": .int(position.character)])]
        params.merge(extra) { _, new in new }
        guard let answer = send(method, JSON.object(params), timeout: 30) else { return nil }
        return mapBack(answer, program: program, document: document, asked: file)
    }

    /// Every `{uri, range}` and `range` of an answer that points into the generated program,
    /// moved to the notebook; one that points at a line Folio added is dropped.
    private func mapBack(_ value: JSON, program: Program, document: TextDocument, asked: Program.File) -> JSON? {
        switch value {
        case .object(var o):
            if case .string(let u)? = o["uri"], let url = DocumentURI.file(u), let file = program.file(url) {
                guard let range = o["range"], let mapped = mapRange(range, file.map, document) else { return nil }
                o["uri"] = .string(DocumentURI.of(program.notebook))
                o["range"] = mapped
                if let t = o["targetUri"], case .string = t { o["targetUri"] = .string(DocumentURI.of(program.notebook)) }
                return .object(o)
            }
            if case .string(let u)? = o["targetUri"], let url = DocumentURI.file(u), let file = program.file(url) {
                guard let range = o["targetRange"], let mapped = mapRange(range, file.map, document) else { return nil }
                o["targetUri"] = .string(DocumentURI.of(program.notebook))
                o["targetRange"] = mapped
                o["targetSelectionRange"] = o["targetSelectionRange"].flatMap { mapRange($0, file.map, document) } ?? mapped
                o["originSelectionRange"] = nil
                return .object(o)
            }
            // A place outside the program (shared code, Compute's sources): as it is.
            if o["uri"]?.string != nil || o["targetUri"]?.string != nil {
                o["originSelectionRange"] = nil
                return .object(o)
            }
            var out: [String: JSON] = [:]
            for (k, v) in o {
                if k == "range" || k == "insert" || k == "replace" {
                    // Ranges without a uri are in the file asked about: its cell's lines.
                    if let mapped = mapRange(v, asked.map, document) { out[k] = mapped }
                    continue
                }
                if let mapped = mapBack(v, program: program, document: document, asked: asked) { out[k] = mapped }
            }
            return .object(out)
        case .array(let a):
            return .array(a.compactMap { mapBack($0, program: program, document: document, asked: asked) })
        default:
            return value
        }
    }

    private func mapRange(_ range: JSON, _ map: SourceMap, _ document: TextDocument) -> JSON? {
        func position(_ p: JSON?) -> LSP.Position? {
            guard let line = p?["line"]?.int, let character = p?["character"]?.int else { return nil }
            return map.notebook(LSP.Position(line: line, character: character)) { document.line($0) }
        }
        guard let start = position(range["start"]), let end = position(range["end"]) else { return nil }
        return .object(["start": .object(["line": .int(start.line), "character": .int(start.character)]),
                        "end": .object(["line": .int(end.line), "character": .int(end.character)])])
    }

    /// The semantic tokens of the notebook's Swift: each generated file's, moved to the `.md`
    /// (only on lines `keep` accepts: inside cells), in the standard legend, LSP's relative encoding.
    func semanticTokens(nb: Notebook, document: TextDocument, toolchain: Toolchain, modules: ProjectModules, keep: (Int) -> Bool) -> [Int]? {
        guard let program = try? program(for: nb, toolchain: toolchain, modules: modules), ensureRunning(toolchain) else { return nil }
        let legend = lock.withLock { self.legend }
        var tokens: [(line: Int, character: Int, length: Int, type: Int, modifiers: Int)] = []
        for file in program.files where file.text.contains("#sourceLocation(file:") {
            sync(file)
            guard case .array(let raw)? = send("textDocument/semanticTokens/full",
                                               JSON.object(["textDocument": .object(["uri": .string(DocumentURI.of(file.url))])]), timeout: 30)?["data"] else { continue }
            let data = raw.compactMap(\.int)
            var line = 0, character = 0
            for i in stride(from: 0, to: data.count - 4, by: 5) {
                if data[i] > 0 { line += data[i]; character = data[i + 1] } else { character += data[i + 1] }
                guard data[i + 3] < legend.types.count, let type = Self.tokenTypes.firstIndex(of: legend.types[data[i + 3]]),
                      let at = file.map.notebook(LSP.Position(line: line, character: character), text: { document.line($0) }), keep(at.line) else { continue }
                var modifiers = 0
                for (bit, name) in legend.modifiers.enumerated() where data[i + 4] & (1 << bit) != 0 {
                    if let mine = Self.tokenModifiers.firstIndex(of: name) { modifiers |= 1 << mine }
                }
                tokens.append((at.line, at.character, data[i + 2], type, modifiers))
            }
        }
        // One token per place (a declaration and its touch map to one line), in order.
        var seen = Set<[Int]>()
        tokens = tokens.filter { seen.insert([$0.line, $0.character]).inserted }.sorted { ($0.line, $0.character) < ($1.line, $1.character) }
        var out: [Int] = [], previous = (line: 0, character: 0)
        for t in tokens {
            let dl = t.line - previous.line
            out += [dl, dl == 0 ? t.character - previous.character : t.character, t.length, t.type, t.modifiers]
            previous = (t.line, t.character)
        }
        return out
    }

    /// Stops sourcekit-lsp (the client went away or shut the server down).
    func stop() {
        let p: Process? = lock.withLock { defer { process = nil }; return process }
        p?.terminate()
    }
}
