import Foundation
import FolioWire

/// Stage 2: compiles a notebook's Swift cells into one program, runs it, and files what it printed,
/// displayed and claimed under each cell.
///
/// Policies (the names users see in pages and reports):
/// - compile errors are reported at their lines; when they all lie in cells, those cells and the
///   cells that use what they declare are left out and the rest compiled again and run (an error
///   elsewhere stops the notebook before anything runs);
/// - a crash keeps the outputs before it, marks its cell `error` and later cells `not-run`;
/// - a timeout (per notebook or per cell) kills the process group and says which limit hit;
/// - `error: true` cells may fail: they are left out and the program built or run again without
///   them, so later cells still run.
public struct SwiftExecutor: NotebookExecutor {
    public var toolchain: Toolchain
    /// Times a notebook is compiled or run again after an expected error, at most.
    /// A compile that failed without an error at a line: the compiler crashed (its report is
    /// long, and what matters is what it says before its stack dump) or failed otherwise.
    static func unexplainedFailure(_ output: Data) -> String {
        let text = String(decoding: output, as: UTF8.self)
        if let dump = text.range(of: "\nStack dump:") ?? text.range(of: "Please submit a bug report") {
            let before = text[..<dump.lowerBound].split(separator: "\n").suffix(12).joined(separator: "\n")
            return "the Swift compiler crashed compiling this notebook (a compiler bug, not an error in the cells; "
                + "changing the code the report names usually avoids it). What it said before crashing:\n" + before
        }
        return "the notebook did not compile:\n" + String(decoding: output.suffix(4000), as: UTF8.self)
    }

    static let maxAttempts = 8

    public init(toolchain: Toolchain) {
        self.toolchain = toolchain
    }

    public var compiler: Toolchain? { toolchain }

    public func execute(_ notebook: Notebook, _ request: ExecutionRequest) -> ExecutedNotebook {
        let started = Date()
        var run = Attempt(notebook: notebook)
        if !notebook.hasCode {
            return ExecutedNotebook(notebook: notebook, cells: notebook.cells.map { _ in CellResult(status: .skipped) },
                                    diagnostics: notebook.warnings, executed: false, seconds: 0)
        }
        let workspace: ProgramCompiler.Workspace
        do {
            workspace = try ProgramCompiler.Workspace.open(for: notebook, state: toolchain.state)
        } catch {
            run.fail(FolioError(file: notebook.path, kind: .engine, "cannot create a build folder in \(toolchain.state.url.path): \(error.localizedDescription)").diagnostic)
            return run.result(seconds: Date().timeIntervalSince(started))
        }
        defer { workspace.release() }
        let compiler = ProgramCompiler(toolchain: toolchain, folder: workspace.folder, swiftVersion: notebook.frontMatter.swiftVersion,
                                       optimize: notebook.frontMatter.optimize, extra: request.modules.arguments(for: notebook),
                                       timeout: max(120, notebook.frontMatter.timeout),
                                       identity: request.modules.cacheKey(for: notebook), processes: request.compilerJobs)

        var attempt = 0
        while attempt < Self.maxAttempts {
            attempt += 1
            var generator = ProgramGenerator(notebook: notebook)
            generator.excluded = run.excluded
            generator.importsShared = request.modules.dependsOnShared(notebook)
            let program = generator.generate()
            if attempt == 1 { run.diagnostics += program.warnings }

            // Compile: every diagnostic at its `.md` line.
            request.progress?(.compiling)
            let compile: ProgramCompiler.Outcome
            do {
                compile = try compiler.compile(program)
            } catch {
                run.fail(FolioError(file: notebook.path, kind: .engine, "cannot compile the notebook: \(error)").diagnostic)
                break
            }
            let binary = compile.binary
            let diagnostics = CompilerDiagnostics.parse(String(decoding: compile.output, as: UTF8.self), notebook: notebook)
            if compile.status != 0 || compile.timedOut {
                if compileFailed(compile, diagnostics, attempt: attempt, &run) == .retry { continue }
                break
            }
            run.diagnostics += diagnostics.filter { $0.severity == .warning }

            // Run: working directory = the notebook's folder, stdin closed, seeded randomness.
            let nonce = request.kernel?.nonce ?? UUID().uuidString.replacingOccurrences(of: "-", with: "")
            let crashFile = workspace.folder.appendingPathComponent("crash-\(attempt).json")
            try? FileManager.default.removeItem(at: crashFile)
            let env = programEnvironment(notebook, nonce: nonce, crashFile: crashFile, folder: workspace.folder, kernel: request.kernel)
            let cellTimeouts = Dictionary(uniqueKeysWithValues: notebook.cells.compactMap { c in c.options.timeout.map { (c.index, $0) } })
            let collector = OutputCollector(nonce: nonce, notebookTimeout: notebook.frontMatter.timeout,
                                            cellTimeouts: cellTimeouts, firstCell: program.cells.first)
            if let progress = request.progress {
                let order = program.cells
                collector.onCell = { index in progress(.running(cell: (order.firstIndex(of: index) ?? 0) + 1, of: order.count)) }
            }
            let directory = notebook.file.deletingLastPathComponent()
            let result: Subprocess.Result
            do {
                result = try Subprocess.run(binary, arguments: [], environment: env, currentDirectory: directory,
                                            mergeStderr: true, outputLimit: 0, monitor: collector)
            } catch {
                run.fail(FolioError(file: notebook.path, kind: .engine, "cannot run the compiled notebook: \(error)").diagnostic)
                break
            }
            collector.finish()
            run.absorb(collector, program: program)

            if collector.ended && result.status == 0 && !result.timedOut { break }

            // It stopped early: a crash, an uncaught error, a timeout or exit().
            if stoppedEarly(result, collector, program: program, crashFile: crashFile, &run) == .retry { continue }
            break
        }
        return run.result(seconds: Date().timeIntervalSince(started))
    }

    /// Compiles the notebook's program without running it (the language server, as the user
    /// types): the compiler's errors and warnings at their `.md` lines. Every cell is compiled,
    /// so an error in one does not hide another's.
    public func typecheck(_ notebook: Notebook, _ request: ExecutionRequest) -> [Diagnostic] {
        guard notebook.hasCode else { return [] }
        let workspace: ProgramCompiler.Workspace
        do {
            workspace = try ProgramCompiler.Workspace.open(for: notebook, state: toolchain.state)
        } catch {
            return [FolioError(file: notebook.path, kind: .engine, "cannot create a build folder in \(toolchain.state.url.path): \(error.localizedDescription)").diagnostic]
        }
        defer { workspace.release() }
        let compiler = ProgramCompiler(toolchain: toolchain, folder: workspace.folder, swiftVersion: notebook.frontMatter.swiftVersion,
                                       optimize: false, extra: request.modules.arguments(for: notebook), timeout: 120,
                                       identity: request.modules.cacheKey(for: notebook), processes: request.compilerJobs, typecheckOnly: true)
        var generator = ProgramGenerator(notebook: notebook)
        generator.importsShared = request.modules.dependsOnShared(notebook)
        let program = generator.generate()
        do {
            let outcome = try compiler.compile(program)
            let found = CompilerDiagnostics.parse(String(decoding: outcome.output, as: UTF8.self), notebook: notebook).filter { $0.severity != .note }
            if outcome.status != 0 && !found.contains(where: { $0.severity == .error }) {
                return program.warnings + found + [Diagnostic(file: notebook.path, line: 0, severity: .error, kind: outcome.timedOut ? .timeout : .compile,
                                                              message: outcome.timedOut ? "compiling took too long and was stopped" : Self.unexplainedFailure(outcome.output))]
            }
            return program.warnings + found
        } catch {
            return [FolioError(file: notebook.path, kind: .engine, "cannot compile the notebook: \(error)").diagnostic]
        }
    }

    /// What to do after an attempt that did not finish.
    enum Next { case retry, stop }

    /// A compilation failed: errors in cells that expect one, or errors local to cells, leave
    /// those cells out and compile again (`retry`); anything else fails the notebook (`stop`).
    func compileFailed(_ compile: ProgramCompiler.Outcome, _ diagnostics: [Diagnostic], attempt: Int, _ run: inout Attempt) -> Next {
        let notebook = run.notebook
        let errors = diagnostics.filter { $0.severity == .error }
        let blamed = Set(errors.compactMap { run.cell(at: $0.line)?.index })
        let expected = blamed.filter { i in notebook.cells[i].options.error }
        if !errors.isEmpty && blamed.count == expected.count && errors.allSatisfy({ run.cell(at: $0.line) != nil }) {
            // Every error is in a cell that expects one: show them there, compile without those cells.
            for d in errors { run.expectedError(cell: run.cell(at: d.line)!.index, d) }
            run.excluded.formUnion(expected)
            return .retry
        }
        if !compile.timedOut, !errors.isEmpty, attempt < Self.maxAttempts, errors.allSatisfy({ run.cell(at: $0.line) != nil }) {
            // Errors local to cells: those cells, and the cells that use what they declare,
            // do not run; the others are compiled again without them and run.
            isolate(errors, in: blamed, warnings: diagnostics.filter { $0.severity == .warning }, &run)
            return .retry
        }
        run.diagnostics += diagnostics.filter { $0.severity != .note }
        if errors.isEmpty {
            run.fail(Diagnostic(file: notebook.path, line: 0, severity: .error, kind: compile.timedOut ? .timeout : .compile,
                                message: compile.timedOut ? "compiling took too long and was stopped" : Self.unexplainedFailure(compile.output)))
        }
        for cell in notebook.cells where cell.isExecutable && !run.excluded.contains(cell.index) {
            run.status[cell.index] = blamed.contains(cell.index) ? .error : .notRun
        }
        return .stop
    }

    /// The program's environment: Folio's side of `NotebookEnvironment`, the crash report's file,
    /// and preview's kernel's variables.
    func programEnvironment(_ notebook: Notebook, nonce: String, crashFile: URL, folder: URL, kernel: KernelSession?) -> [String: String] {
        var env = toolchain.environment
        env[NotebookEnvironment.nonce.rawValue] = nonce
        env[NotebookEnvironment.seed.rawValue] = String(Self.seed(for: notebook.relativePath))
        env[NotebookEnvironment.notebook.rawValue] = notebook.path
        env["SWIFT_BACKTRACE"] = "enable=yes,format=json,output-to=\(crashFile.path),interactive=no"
        if !notebook.imports.isEmpty {
            // What `imported(…)` reads: notebook (as the cell wrote it) → name → JSON.
            var values: [String: [String: String]] = [:]
            for i in notebook.imports { values[i.notebook, default: [:]].merge(i.values) { _, new in new } }
            let file = folder.appendingPathComponent("imports.json")
            if let data = try? JSONEncoder().encode(values), (try? AtomicFile.write(data, to: file)) != nil { env[NotebookEnvironment.imports.rawValue] = file.path }
        }
        for (k, v) in kernel?.environment ?? [:] { env[k] = v }
        return env
    }

    /// The program stopped before its last cell: a crash, an uncaught error, a timeout or `exit()`.
    /// In a cell that expects an error it is shown there and the notebook runs again without the
    /// cell (`retry`); otherwise that cell fails and the ones after it did not run (`stop`).
    func stoppedEarly(_ result: Subprocess.Result, _ collector: OutputCollector, program: ProgramGenerator.Program, crashFile: URL,
                      _ run: inout Attempt) -> Next {
        let notebook = run.notebook
        guard let failing = collector.currentCell ?? program.cells.first else { return .stop }
        let cell = notebook.cells[failing]
        var message: String
        var line = cell.codeLine
        let kind: Diagnostic.Kind = result.timedOut ? .timeout : .crash
        if result.timedOut {
            message = collector.timeoutDescription
        } else if let uncaught = collector.uncaughtError {
            message = uncaught
        } else {
            let crash = collector.takeCrashMessage(cell: failing)
            run.reloadOutputs(collector, cell: failing)
            if let located = CrashReport.location(in: crashFile, notebook: notebook) { line = located }
            if crash.isEmpty {
                message = result.signal.map { "the program was killed by signal \($0) (\(Self.signalName($0)))" }
                    ?? "the program exited with status \(result.status) before the notebook finished"
            } else {
                message = "crashed: " + Self.cleanCrash(crash)
            }
        }
        if cell.options.error && !result.timedOut {
            // Expected: keep the message under the cell and run again without it.
            run.expectedError(cell: failing, Diagnostic(file: notebook.path, line: line, severity: .error, kind: kind, message: message))
            run.excluded.insert(failing)
            run.resetOutputs(after: failing)
            return .retry
        }
        run.outputs[failing, default: []].append(.error(message, line: line))
        run.diagnostics.append(Diagnostic(file: notebook.path, line: line, severity: .error, kind: kind, message: message))
        var after = false
        for index in program.cells {
            if index == failing { run.status[index] = .error; after = true } else if after { run.status[index] = .notRun }
        }
        return .stop
    }

    /// Leaves out the cells that did not compile and every cell that uses a name they declare
    /// (transitively, before or after them: declarations are at file scope, as in a script). The
    /// errors stay at their lines (an `error: true` cell's as expected ones); each cell left out
    /// for using another says which name and which cell.
    func isolate(_ errors: [Diagnostic], in blamed: Set<Int>, warnings: [Diagnostic], _ run: inout Attempt) {
        let notebook = run.notebook
        for d in errors {
            let cell = run.cell(at: d.line)!.index
            if notebook.cells[cell].options.error { run.expectedError(cell: cell, d) } else { run.diagnostics.append(d); run.status[cell] = .error }
        }
        run.diagnostics += warnings.filter { run.cell(at: $0.line).map { blamed.contains($0.index) } ?? false }
        run.excluded.formUnion(blamed)
        var missing: [String: Int] = [:]   // a name the left-out cells declared → the line of its cell
        var queue = Array(blamed)
        let candidates = notebook.cells.filter { $0.isExecutable && !run.excluded.contains($0.index) }
        // A cell that declares a name itself (a redeclaration) does not need the left-out one.
        let uses = Dictionary(uniqueKeysWithValues: candidates.map { ($0.index, ProgramGenerator.usedNames($0.code).subtracting(ProgramGenerator.declaredNames($0.code))) })
        while let left = queue.popLast() {
            for name in ProgramGenerator.declaredNames(notebook.cells[left].code) where missing[name] == nil { missing[name] = notebook.cells[left].line }
            for cell in candidates where !run.excluded.contains(cell.index) {
                guard let name = uses[cell.index]!.sorted().first(where: { missing[$0] != nil }) else { continue }
                run.excluded.insert(cell.index)
                run.status[cell.index] = .notRun
                run.outputs[cell.index] = [.error("not run: it uses `\(name)`, declared by the cell at line \(missing[name]!), which did not compile", line: cell.codeLine)]
                queue.append(cell.index)
            }
        }
    }

    /// FNV-1a of the notebook's path: the default generator's seed, stable across runs and machines.
    static func seed(for path: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in path.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGKILL: return "SIGKILL"
        case SIGSEGV: return "SIGSEGV, a bad memory access"
        case SIGILL: return "SIGILL, a Swift runtime trap"
        case SIGTRAP: return "SIGTRAP, a Swift runtime trap"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(s)"
        }
    }

    /// `Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range` → `Fatal error: Index out of range`.
    static func cleanCrash(_ text: String) -> String {
        text.split(separator: "\n").map { line -> String in
            if let r = line.range(of: "Fatal error:") ?? line.range(of: "Precondition failed") ?? line.range(of: "Assertion failed") {
                return String(line[r.lowerBound...])
            }
            return String(line)
        }.joined(separator: "\n")
    }
}

/// The state of one notebook's execution across attempts.
struct Attempt {
    let notebook: Notebook
    var status: [Int: CellResult.Status] = [:]
    var outputs: [Int: [CellOutput]] = [:]
    var seconds: [Int: Double] = [:]
    var diagnostics: [Diagnostic]
    var excluded: Set<Int> = []
    var executed = true
    var inlineValues: [Int: String] = [:]

    init(notebook: Notebook) {
        self.notebook = notebook
        self.diagnostics = notebook.warnings
    }

    /// The Swift cell whose lines include `line`.
    func cell(at line: Int) -> Cell? {
        notebook.cells.first { $0.language == .swift && $0.contains(line: line) }
    }

    mutating func fail(_ d: Diagnostic) {
        diagnostics.append(d)
    }

    /// An error in an `error: true` cell: shown under it, not a failure.
    mutating func expectedError(cell: Int, _ d: Diagnostic) {
        status[cell] = .error
        outputs[cell, default: []].append(.error(d.message, line: d.line))
    }

    mutating func absorb(_ c: OutputCollector, program: ProgramGenerator.Program) {
        for (i, v) in c.inlineValues { inlineValues[i] = v }
        for index in program.cells {
            outputs[index] = c.outputs[index] ?? []
            if let s = c.cellSeconds[index] { seconds[index] = s }
            status[index] = c.cellSeconds[index] != nil ? .ok : .notRun
        }
    }

    mutating func reloadOutputs(_ c: OutputCollector, cell: Int) {
        outputs[cell] = c.outputs[cell] ?? []
    }

    /// After an expected crash the program runs again; outputs of the cells after it come from that run.
    mutating func resetOutputs(after cell: Int) {
        for (i, _) in outputs where i > cell && !excluded.contains(i) { outputs[i] = [] }
    }

    func result(seconds total: Double) -> ExecutedNotebook {
        var cells: [CellResult] = []
        var diagnostics = self.diagnostics
        for cell in notebook.cells {
            var st = status[cell.index] ?? .skipped
            if !cell.isExecutable { st = .skipped }
            let outs = outputs[cell.index] ?? []
            cells.append(CellResult(status: st, outputs: outs, seconds: seconds[cell.index].map { ($0 * 1000).rounded() / 1000 }))
            for o in outs {
                if let claim = o.claim, !claim.passed {
                    let detail = claim.detail.map { " (\($0))" } ?? ""
                    diagnostics.append(Diagnostic(file: notebook.path, line: claim.line, severity: .error, kind: .claimFailed,
                                                  message: "claim failed: \(claim.text)\(detail)"))
                }
            }
        }
        let inline = notebook.inlineExpressions.indices.map { inlineValues[$0] ?? "" }
        return ExecutedNotebook(notebook: notebook, cells: cells, diagnostics: diagnostics, executed: executed, seconds: total, inlineValues: inline)
    }
}
