import Foundation

/// `folio lsp`: a Language Server Protocol 3.17 server over stdio for a project's notebooks and
/// its `folio.yml`. It keeps the project in memory, parsed from the editor's unsaved buffers, and
/// publishes every problem a build would report at its place while the user types (debounced;
/// results for a document that changed meanwhile are dropped), type-checks the cells' Swift, and
/// on save runs the notebook through the cached engine to show failed claims, crashes and
/// timeouts as diagnostics and every claim as an inlay hint. It writes nothing outside `.folio/`,
/// answers bad input with LSP errors and keeps serving, and ends when its client goes away.
public final class LanguageServer: @unchecked Sendable {
    let reader: JSONRPC.Reader
    let writer: JSONRPC.Writer
    let startFolder: URL
    let environment: [String: String]
    /// How long typing must pause before diagnostics are computed.
    let debounce: Double

    private let lock = NSLock()
    /// Everything that changes while serving, behind `lock` (`withState`).
    struct State {
        var workspace: Workspace?
        var documents: [URL: TextDocument] = [:]
        var analysis = Workspace.Analysis()
        var parsed = ParseCache()
        /// Per document: what the last analysis, type-check and save-run found.
        var found: [URL: [Diagnostic]] = [:]
        var typechecked: [URL: [Diagnostic]] = [:]
        var runs: [URL: (diagnostics: [Diagnostic], claims: [Claim])] = [:]
        /// Goes up with every change; work begun for an older one is dropped.
        var generation = 0
        var initialized = false
        var shutdownRequested = false
        var modules: ProjectModules?
        /// folio.yml's text as last read from the editor.
        var projectText: String?
        /// The client asks for inlay hints again when told to (`workspace/inlayHint/refresh`).
        var inlayHintRefresh = false
        /// sourcekit-lsp over the notebooks' programs, for requests made inside Swift cells.
        var swiftCells: SwiftCells?
        /// Why Swift features in cells are off has been said (once).
        var toldSwiftProblem = false
    }
    private var state = State()

    func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    let analysisQueue = DispatchQueue(label: "folio.lsp.analysis")
    let requestQueue = DispatchQueue(label: "folio.lsp.requests")
    let runQueue = DispatchQueue(label: "folio.lsp.run")

    public init(folder: URL, environment: [String: String], input: Int32 = 0, output: Int32 = 1, debounce: Double = 0.15) {
        reader = JSONRPC.Reader(fd: input)
        writer = JSONRPC.Writer(fd: output)
        startFolder = folder
        self.environment = environment
        self.debounce = debounce
    }

    /// Serves until `exit` or the end of input. Returns the process's exit status: 0 after a
    /// `shutdown` request, 1 otherwise (LSP's rule).
    public func run() -> Int32 {
        while let data = reader.next() {
            if handle(data) == .exit { break }
        }
        withState { $0.swiftCells }?.stop()
        return withState { $0.shutdownRequested } ? 0 : 1
    }

    enum Next { case serve, exit }

    /// An error answer to a request, with its JSON-RPC code.
    struct RequestError: Error {
        var code: Int
        var message: String
        static func invalidParams(_ m: String) -> RequestError { RequestError(code: -32602, message: m) }
    }

    func handle(_ data: Data) -> Next {
        let message: JSONRPC.Message
        do {
            message = try JSONDecoder().decode(JSONRPC.Message.self, from: data)
        } catch {
            writer.send(JSONRPC.ErrorResponse(id: .null, error: .init(code: -32700, message: "not a JSON-RPC message: \(error.localizedDescription)")))
            return .serve
        }
        guard let method = message.method else { return .serve }   // a response to the server: nothing asked needs one
        let id = message.id
        if method == "exit" { return .exit }
        if method.hasPrefix("textDocument/") && id != nil && isInitialized {
            // Requests are answered on a queue of their own, in order, so a slow one (the first
            // Swift completion starts sourcekit-lsp) never holds up reading the edits after it.
            requestQueue.async { [self] in respond(id, method) { try answer(method, message) } }
            return .serve
        }
        respond(id, method) {
            if method != "initialize" && !isInitialized {
                if id != nil { throw RequestError(code: -32002, message: "the server is not initialized; send `initialize` first") }
                return nil
            }
            switch method {
            case "initialize": return try Self.json(initialize(message.params))
            case "initialized", "workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles": return nil
            case "shutdown":
                withState { $0.shutdownRequested = true }
                return .null
            case "textDocument/didOpen": try didOpen(params(message, LSP.DidOpen.self))
            case "textDocument/didChange": try didChange(params(message, LSP.DidChange.self))
            case "textDocument/didSave": try didSave(params(message, LSP.DidSave.self))
            case "textDocument/didClose": try didClose(params(message, LSP.DidClose.self))
            default:
                if id != nil { throw RequestError(code: -32601, message: "method `\(method)` is not supported") }
            }
            return nil
        }
        return .serve
    }

    /// Runs `body` and sends its answer to request `id`, or its error; a notification's error is logged.
    func respond(_ id: JSON?, _ method: String, _ body: () throws -> JSON?) {
        do {
            let result = try body()
            if let id { writer.send(JSONRPC.Response(id: id, result: result ?? .null)) }
        } catch let e as RequestError {
            if let id { writer.send(JSONRPC.ErrorResponse(id: id, error: .init(code: e.code, message: e.message))) }
            else { logMessage("\(method): \(e.message)") }
        } catch {
            if let id { writer.send(JSONRPC.ErrorResponse(id: id, error: .init(code: -32603, message: "\(error)"))) }
            else { logMessage("\(method): \(error)") }
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> JSON {
        try JSONDecoder().decode(JSON.self, from: JSONEncoder().encode(value))
    }

    /// A request about a document: the notebook's own features, or Swift's inside a cell.
    func answer(_ method: String, _ message: JSONRPC.Message) throws -> JSON {
        switch method {
        case "textDocument/completion":
            let p = try params(message, LSP.TextDocumentPosition.self)
            return try askSwift("textDocument/completion", p) ?? Self.json(completion(p))
        case "textDocument/definition":
            // What the notebook itself names (`imported("a.md", …)`, a label) first, then Swift.
            let p = try params(message, LSP.TextDocumentPosition.self)
            let local = try definition(p)
            if local.isEmpty, let answer = try askSwift("textDocument/definition", p) { return answer }
            return try Self.json(local)
        case "textDocument/references":
            let p = try params(message, LSP.ReferenceParams.self)
            let at = LSP.TextDocumentPosition(textDocument: p.textDocument, position: p.position)
            guard var answer = try askSwift("textDocument/references", at,
                                            extra: ["context": .object(["includeDeclaration": .bool(p.context?.includeDeclaration ?? true)])]) else {
                return try Self.json(references(p))
            }
            // sourcekit-lsp finds references through an index, which a notebook's program has
            // not got: the uses it highlights in the program are the references.
            if answer == .null || answer == .array([]), case .array(let marks)? = try askSwift("textDocument/documentHighlight", at) {
                answer = .array(marks.compactMap { m in m["range"].map { .object(["uri": .string(p.textDocument.uri), "range": $0]) } })
            }
            return answer
        case "textDocument/semanticTokens/full":
            return .object(["data": .array(try semanticTokens(params(message, LSP.RangeParams.self, loose: true)).map(JSON.int))])
        case "textDocument/signatureHelp", "textDocument/documentHighlight":
            return try askSwift(method, params(message, LSP.TextDocumentPosition.self)) ?? .null
        case "textDocument/documentSymbol":
            return try Self.json(symbols(params(message, LSP.RangeParams.self, loose: true)))
        case "textDocument/hover":
            let p = try params(message, LSP.TextDocumentPosition.self)
            return try askSwift("textDocument/hover", p) ?? hover(p)
        case "textDocument/inlayHint":
            return try Self.json(inlayHints(params(message, LSP.RangeParams.self)))
        default:
            throw RequestError(code: -32601, message: "method `\(method)` is not supported")
        }
    }

    var isInitialized: Bool { withState { $0.initialized } }

    func params<T: Decodable>(_ message: JSONRPC.Message, _ type: T.Type, loose: Bool = false) throws -> T {
        guard let p = message.params else { throw RequestError.invalidParams("the request has no params") }
        do {
            return try p.decode(T.self)
        } catch {
            if loose, let uri = p["textDocument"]?["uri"]?.string, let value = try? JSON.object(["textDocument": .object(["uri": .string(uri)]),
                "range": .object(["start": .object(["line": .int(0), "character": .int(0)]), "end": .object(["line": .int(0), "character": .int(0)])])]).decode(T.self) {
                return value
            }
            throw RequestError.invalidParams("params do not fit the method: \(error)")
        }
    }

    func logMessage(_ text: String) {
        struct Params: Encodable { var type = 3; var message: String }
        writer.send(JSONRPC.Notification(method: "window/logMessage", params: Params(message: text)))
    }

    // MARK: - Lifecycle

    struct InitializeResult: Encodable {
        struct Info: Encodable { var name = "folio"; var version = FolioVersion.string }
        var capabilities: JSON
        var serverInfo = Info()
    }

    func initialize(_ params: JSON?) throws -> InitializeResult {
        var folder = startFolder
        if let uri = params?["rootUri"]?.string ?? params?["workspaceFolders"].flatMap({ if case .array(let a) = $0 { return a.first?["uri"]?.string } else { return nil } }),
           let url = DocumentURI.file(uri) {
            folder = url
        } else if let path = params?["rootPath"]?.string {
            folder = URL(fileURLWithPath: path)
        }
        let ws = Workspace(folder: folder, environment: environment)
        let refresh = params?["capabilities"]?["workspace"]?["inlayHint"]?["refreshSupport"] == .bool(true)
        withState {
            $0.workspace = ws
            $0.initialized = true
            $0.inlayHintRefresh = refresh
            $0.swiftCells = SwiftCells(context: ws.context)
        }
        let capabilities: JSON = .object([
            "positionEncoding": .string("utf-16"),
            "textDocumentSync": .object(["openClose": .bool(true), "change": .int(2), "save": .object(["includeText": .bool(false)])]),
            "completionProvider": .object(["triggerCharacters": .array(["@", "#", " ", "|", "."].map(JSON.string)), "resolveProvider": .bool(false)]),
            "signatureHelpProvider": .object(["triggerCharacters": .array(["(", ","].map(JSON.string))]),
            "documentHighlightProvider": .bool(true),
            "semanticTokensProvider": .object(["legend": .object(["tokenTypes": .array(SwiftCells.tokenTypes.map(JSON.string)),
                                                                  "tokenModifiers": .array(SwiftCells.tokenModifiers.map(JSON.string))]),
                                               "full": .bool(true)]),
            "definitionProvider": .bool(true),
            "referencesProvider": .bool(true),
            "documentSymbolProvider": .bool(true),
            "hoverProvider": .bool(true),
            "inlayHintProvider": .bool(true),
        ])
        return InitializeResult(capabilities: capabilities)
    }

    // MARK: - Documents

    func url(_ uri: String) throws -> URL {
        guard let url = DocumentURI.file(uri) else { throw RequestError.invalidParams("`\(uri)` is not a file: URI") }
        return url
    }

    func didOpen(_ p: LSP.DidOpen) throws {
        let url = try url(p.textDocument.uri)
        withState { $0.documents[url] = TextDocument(uri: p.textDocument.uri, version: p.textDocument.version, text: p.textDocument.text) }
        scheduleAnalysis(immediately: true)
    }

    func didChange(_ p: LSP.DidChange) throws {
        let url = try url(p.textDocument.uri)
        try withState { s in
            guard var doc = s.documents[url] else { throw RequestError.invalidParams("\(p.textDocument.uri) is not open") }
            for change in p.contentChanges {
                do { try doc.apply(change) } catch { throw RequestError.invalidParams("\(error)") }
            }
            doc.version = p.textDocument.version ?? doc.version + 1
            s.documents[url] = doc
        }
        scheduleAnalysis(immediately: false)
    }

    func didClose(_ p: LSP.DidClose) throws {
        let url = try url(p.textDocument.uri)
        withState {
            $0.documents[url] = nil
            $0.found[url] = nil
            $0.typechecked[url] = nil
        }
        writer.send(JSONRPC.Notification(method: "textDocument/publishDiagnostics", params: LSP.PublishDiagnostics(uri: p.textDocument.uri, version: nil, diagnostics: [])))
        scheduleAnalysis(immediately: false)
    }

    func didSave(_ p: LSP.DidSave) throws {
        let url = try url(p.textDocument.uri)
        if url.lastPathComponent == ProjectFile.name { scheduleAnalysis(immediately: true); return }
        guard url.pathExtension == "md" else { return }
        runOnSave(url)
    }

    /// The open documents and what the features need, taken together under the lock.
    func snapshot(_ uri: String) throws -> (Workspace, [URL: TextDocument], TextDocument, URL) {
        let url = try url(uri)
        return try withState { s in
            guard let ws = s.workspace else { throw RequestError(code: -32002, message: "not initialized") }
            guard let doc = s.documents[url] else { throw RequestError.invalidParams("\(uri) is not open; send textDocument/didOpen first") }
            return (ws, s.documents, doc, url)
        }
    }

    /// The analysis for the documents as they are now: the last one when nothing changed since,
    /// else a fresh one (parsing only what changed).
    func currentAnalysis() -> Workspace.Analysis {
        withState { s in
            guard let ws = s.workspace else { return Workspace.Analysis() }
            let open = Dictionary(uniqueKeysWithValues: s.documents.map { ($0.key, $0.value.text) })
            if s.parsed.matches(open) { return s.analysis }
            s.analysis = ws.analyse(open: open, cache: &s.parsed)
            return s.analysis
        }
    }

    func features(_ uri: String) throws -> (LanguageFeatures, [URL: TextDocument]) {
        let (ws, docs, doc, url) = try snapshot(uri)
        return (LanguageFeatures(workspace: ws, analysis: currentAnalysis(), document: doc, file: url), docs)
    }

    // MARK: - Requests

    /// The Swift cells' semantic tokens (none outside them, and none without sourcekit-lsp).
    func semanticTokens(_ p: LSP.RangeParams) throws -> [Int] {
        let (f, _) = try features(p.textDocument.uri)
        guard f.file.pathExtension == "md", let nb = f.notebook else { return [] }
        let (cells, ws) = withState { ($0.swiftCells, $0.workspace) }
        guard let cells, let ws, let toolchain = try? Toolchain.find(ws.context) else { return [] }
        let modules = projectModules(ws, toolchain) ?? ProjectModules()
        let code = f.swiftCodeLines()
        return cells.semanticTokens(nb: nb, document: f.document, toolchain: toolchain, modules: modules) { code.contains($0) } ?? []
    }

    /// A request made inside a Swift cell goes to sourcekit-lsp over the notebook's program; nil
    /// when the position is not in a Swift cell (the notebook features answer it). When Swift
    /// features are off, the answer is empty and the reason is shown once.
    func askSwift(_ method: String, _ p: LSP.TextDocumentPosition, extra: [String: JSON] = [:]) throws -> JSON? {
        let (f, _) = try features(p.textDocument.uri)
        guard f.file.pathExtension == "md", f.inSwiftCell(line: p.position.line), let nb = f.notebook,
              !f.document.line(p.position.line).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("//|") else { return nil }
        let (cells, ws) = withState { ($0.swiftCells, $0.workspace) }
        guard let cells, let ws, let toolchain = try? Toolchain.find(ws.context) else { return .null }
        let modules = projectModules(ws, toolchain) ?? ProjectModules()
        let answer = cells.ask(method, at: p.position, extra: extra, nb: nb, document: f.document, toolchain: toolchain, modules: modules)
        if answer == nil, let problem = cells.problem, withState({ s in defer { s.toldSwiftProblem = true }; return !s.toldSwiftProblem }) {
            struct Params: Encodable { var type = 2; var message: String }
            writer.send(JSONRPC.Notification(method: "window/showMessage", params: Params(message: "folio lsp: " + problem)))
        }
        return answer ?? .null
    }

    func completion(_ p: LSP.TextDocumentPosition) throws -> LSP.CompletionList {
        let (f, _) = try features(p.textDocument.uri)
        return LSP.CompletionList(isIncomplete: false, items: f.completion(at: p.position, isProjectFile: f.file.lastPathComponent == ProjectFile.name))
    }

    func definition(_ p: LSP.TextDocumentPosition) throws -> [LSP.Location] {
        let (f, docs) = try features(p.textDocument.uri)
        return f.definition(at: p.position, documents: docs)
    }

    func references(_ p: LSP.ReferenceParams) throws -> [LSP.Location] {
        let (f, docs) = try features(p.textDocument.uri)
        return f.references(at: p.position, includeDeclaration: p.context?.includeDeclaration ?? true, documents: docs)
    }

    func symbols(_ p: LSP.RangeParams) throws -> [LSP.DocumentSymbol] {
        try features(p.textDocument.uri).0.symbols()
    }

    func hover(_ p: LSP.TextDocumentPosition) throws -> JSON {
        guard let h = try features(p.textDocument.uri).0.hover(at: p.position) else { return .null }
        return try JSONDecoder().decode(JSON.self, from: JSONEncoder().encode(h))
    }

    /// After a save: each claim of the last run at the end of its `check` line.
    func inlayHints(_ p: LSP.RangeParams) throws -> [LSP.InlayHint] {
        let (_, _, doc, url) = try snapshot(p.textDocument.uri)
        let claims = withState { $0.runs[url]?.claims ?? [] }
        return claims.compactMap { c in
            let line = c.line - 1
            guard line >= p.range.start.line && line <= p.range.end.line && line < doc.lineCount else { return nil }
            let label = c.passed ? "✓ holds" : "✗ " + (c.detail ?? "fails")
            return LSP.InlayHint(position: LSP.Position(line: line, character: doc.utf16Length(ofLine: line)), label: label, kind: nil,
                                 paddingLeft: true, tooltip: c.text)
        }
    }

    // MARK: - State

    func lockedIncrementGeneration() -> Int { withState { $0.generation += 1; return $0.generation } }
    var currentGeneration: Int { withState { $0.generation } }

    func workspaceAndDocuments() -> (Workspace, [URL: TextDocument])? {
        withState { s in s.workspace.map { ($0, s.documents) } }
    }

    /// folio.yml as the editor has it: the project's defaults and notebooks follow at once.
    func reloadProject(text: String) {
        withState { s in
            guard s.projectText != text else { return }
            s.projectText = text
            s.workspace?.reloadProject(text: text)
            s.parsed = ParseCache()
            s.modules = nil
        }
    }

    func setFound(_ found: [URL: [Diagnostic]]) { withState { $0.found = found } }
    func setTypechecked(_ url: URL, _ found: [Diagnostic]) { withState { $0.typechecked[url] = found } }
}
