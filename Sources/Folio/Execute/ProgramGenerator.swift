import SwiftParser
import SwiftSyntax

/// Turns a notebook's Swift cells into a program with the meaning of a Swift script (the cells
/// concatenated into one `main.swift`), plus Jupyter-style redeclaration, compiled in pieces so
/// compile time stays linear in the notebook and an edit recompiles only what it touches.
///
/// - Every cell-level declaration is at file scope, as in a script: types, functions, extensions,
///   protocols, operators, and `let`/`var`s as globals. So functions overload across cells, types
///   use cell variables, extensions see cell constants, `#if` and access modifiers mean what they
///   mean in Swift.
/// - A cell's statements become one function (`_folioCell3()`), called in order by `main.swift`.
///   Globals outside `main.swift` are initialised on first use, so each `let`/`var` is touched
///   (`_ = name`) where it stands: its initialiser runs, and prints, in its own cell. No function
///   body grows with the notebook, which is what made one giant top-level body superlinear.
/// - Cells are grouped into files of a few dozen lines, so the compiler's incremental build (one
///   persistent folder per notebook, see `SwiftExecutor`) recompiles only the files an edit
///   changed and those that use what changed.
/// - A cell that redeclares a name of the current module starts a new module, which
///   `@_exported import`s the one before: the newer declaration shadows the older for every later
///   cell, while earlier cells keep theirs (each module is compiled with access control off, so
///   nothing needs to be `public`).
/// - Each piece of a cell keeps its `.md` line through `#sourceLocation`, so compiler diagnostics,
///   `#line` in claims and crash reports point into the notebook.
/// Statements are classified with swift-syntax, never by pattern-matching text.
struct ProgramGenerator {
    struct Program {
        /// Modules of cells, in order; each re-exports the one before, the last holds `main.swift`.
        var modules: [CellModule]
        /// Cells (by index) compiled into the program, in order.
        var cells: [Int]
        /// Warnings about constructs that behave differently in a notebook.
        var warnings: [Diagnostic]
    }

    struct CellModule: Equatable {
        var name: String
        var files: [SourceFile]
    }

    struct SourceFile: Equatable {
        var name: String
        var text: String
    }

    let notebook: Notebook
    /// Cells left out (expected errors that stopped an earlier attempt).
    var excluded: Set<Int> = []
    /// Import the project's shared module.
    var importsShared = false
    /// Name modules as in a program of this many modules (a prefix of a notebook, compiled as
    /// the interface of a running program, must mangle its names the same way).
    var moduleCount: Int?
    /// Leave out `main.swift` (an interface: declarations only).
    var declarationsOnly = false
    /// A file of cells is closed after a cell when it has at least this many lines and the cell's
    /// content says so (see `closesFile`), and always past `maxFileLines`.
    var minFileLines = 150
    var maxFileLines = 400

    /// Where one top-level statement of a cell goes.
    enum Placement: Equatable {
        /// A declaration Swift allows at file scope: emitted there as written.
        case fileScope
        /// A cell-level `let`/`var`: a global at file scope, touched where it stands. An optional
        /// `var` without a value starts as `nil`, as in a script.
        case global(touch: [String], wrapTry: Bool)
        /// `var x: T` or `let x: T` without a value, which a later cell assigns (a script's
        /// top-level code allows it): optional storage at file scope behind a computed `x` that
        /// reads it (a read before any assignment ends the program, saying so) and sets it (a
        /// `let` only once).
        case deferred(name: String)
        /// Everything else: stays in the cell's function, in order.
        case statement
        /// An `#if` that holds declarations and statements: its declarations at file scope, the
        /// rest in the cell's function, both under the same condition.
        case split
        /// `import`: emitted once at the top of every file.
        case importDecl
    }

    /// One parsed top-level statement of a cell.
    struct Item {
        var syntax: CodeBlockItemSyntax
        /// Byte range in the cell's code, without leading trivia.
        var start: Int, end: Int
        var line: Int, column: Int
        var placement: Placement
        /// What the item declares, as redeclaration sees it (see `declarationKeys`).
        var keys: Set<String>
    }

    func generate() -> Program {
        var warnings: [Diagnostic] = []
        let cells = notebook.cells.filter { $0.isExecutable && !excluded.contains($0.index) }
        let itemsByCell = cells.map { items(of: $0, warnings: &warnings) }
        let file = Self.stringLiteral(notebook.path)

        let imports = self.imports(cells, itemsByCell, file: file)
        let groups = Self.moduleGroups(itemsByCell)
        let opaque = Self.opaqueResults(itemsByCell)

        var modules: [CellModule] = []
        for (m, group) in groups.enumerated() {
            let last = m == groups.count - 1
            let name = Self.moduleName(m, of: moduleCount ?? groups.count)
            var header = "// Generated by Folio from \(notebook.path.replacingOccurrences(of: "\n", with: " ")). Do not edit.\n" + imports
            if m > 0 { header += "@_exported import NotebookCells\(m)\n" }
            var files: [SourceFile] = []
            if m == 0, !notebook.frontMatter.params.isEmpty {
                files.append(SourceFile(name: "parameters.swift", text: header + Self.parameters(notebook.frontMatter.params)))
            }
            var text = "", lines = 0, first = group.first ?? 0
            for c in group {
                let chunk = cellSource(cells[c], items: itemsByCell[c], file: file, opaque: opaque)
                text += chunk
                lines += chunk.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
                if lines >= maxFileLines || (lines >= minFileLines && Self.closesFile(cells[c])) || c == group.last {
                    files.append(SourceFile(name: "cells-\(m + 1)-\(cells[first].index).swift", text: header + text))
                    text = ""; lines = 0; first = c + 1
                }
            }
            if last && !declarationsOnly {
                let main = header + run(cells, itemsByCell) + inlineFunction(file: file)
                files.append(SourceFile(name: "main.swift", text: main))
            }
            modules.append(CellModule(name: name, files: files))
        }
        return Program(modules: modules, cells: cells.map(\.index), warnings: warnings)
    }

    /// The imports of every file: Folio's, the front matter's, and those of any cell, which reach
    /// every cell as they always have.
    func imports(_ cells: [Cell], _ itemsByCell: [[Item]], file: String) -> String {
        var imports = "import Foundation\nimport FolioRuntime\n"
        if importsShared { imports += "@testable import \(ProjectModules.sharedModuleName)\n" }
        for module in notebook.frontMatter.imports where module.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) {
            imports += "import \(module)\n"
        }
        for (c, items) in itemsByCell.enumerated() {
            let code = Array(cells[c].code.utf8)
            for item in items where item.placement == .importDecl {
                imports += "#sourceLocation(file: \(file), line: \(item.line))\n"
                imports += String(decoding: code[item.start..<item.end], as: UTF8.self) + "\n#sourceLocation()\n"
            }
        }
        return imports
    }

    /// Cells (by position) grouped into modules: a new one when a cell redeclares something of
    /// the current one.
    static func moduleGroups(_ itemsByCell: [[Item]]) -> [[Int]] {
        var groups: [[Int]] = [[]]
        var declared = Set<String>()
        for (c, items) in itemsByCell.enumerated() {
            let keys = items.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
            if !keys.isDisjoint(with: declared) && !groups[groups.count - 1].isEmpty {
                groups.append([])
                declared = []
            }
            declared.formUnion(keys)
            groups[groups.count - 1].append(c)
        }
        return groups
    }

    /// The calls that run `cells` in order, each marked for the output channel and followed by a
    /// kernel boundary, then the inline values; an uncaught error ends the run.
    func run(_ cells: [Cell], _ itemsByCell: [[Item]]) -> String {
        var text = "do {\n"
        for (c, cell) in cells.enumerated() {
            let call = Self.isAsync(itemsByCell[c]) ? "try await" : "try"
            text += "_Notebook.cell(\(cell.index))\n\(call) _folioCell\(cell.index)()\n_Kernel.boundary(after: \(cell.index))\n"
        }
        return text + "try _folioInline()\n_Notebook.end()\n} catch {\n_Notebook.uncaught(error)\n}\n"
    }

    /// Inline `{swift}` values see every name, so they run after the last cell, in its module.
    func inlineFunction(file: String) -> String {
        var text = "func _folioInline() throws {\n"
        for (i, expr) in notebook.inlineExpressions.enumerated() {
            text += "#sourceLocation(file: \(file), line: \(expr.line))\n_Notebook.inline(\(i), (\(expr.code)))\n#sourceLocation()\n"
        }
        return text + "}\n"
    }

    static func moduleName(_ m: Int, of count: Int) -> String {
        m == count - 1 ? "NotebookProgram" : "NotebookCells\(m + 1)"
    }

    /// The module count of the whole program (how many times a cell redeclares), for naming.
    func moduleGroupCount() -> Int {
        var warnings: [Diagnostic] = []
        let cells = notebook.cells.filter { $0.isExecutable && !excluded.contains($0.index) }
        return Self.moduleGroups(cells.map { items(of: $0, warnings: &warnings) }).count
    }

    /// `folio preview`'s kernel: the cells after `cell` as one library for a running program to
    /// load (`_Kernel`), importing `base`, the module of the cells before (compiled as an
    /// interface of that program). Nil when the cells after `cell` redeclare among themselves or
    /// await: then the kernel runs the notebook afresh instead.
    func continuation(after cell: Int, base: String, moduleName: String) -> CellModule? {
        var warnings: [Diagnostic] = []
        let cells = notebook.cells.filter { $0.isExecutable && !excluded.contains($0.index) && $0.index > cell }
        let itemsByCell = cells.map { items(of: $0, warnings: &warnings) }
        guard Self.moduleGroups(itemsByCell).count == 1, !itemsByCell.contains(where: Self.isAsync) else { return nil }
        let file = Self.stringLiteral(notebook.path)
        var text = "// Generated by Folio for preview's kernel. Do not edit.\n" + imports(cells, itemsByCell, file: file)
        text += "@_exported import \(base)\n"
        let all = notebook.cells.filter { $0.isExecutable && !excluded.contains($0.index) }.map { items(of: $0, warnings: &warnings) }
        let opaque = Self.opaqueResults(all)
        for (c, cell) in cells.enumerated() { text += cellSource(cell, items: itemsByCell[c], file: file, opaque: opaque) }
        text += "@_cdecl(\"folio_kernel_entry\") func _folioKernelEntry() {\n" + run(cells, itemsByCell) + "}\n"
        text += inlineFunction(file: file)
        return CellModule(name: moduleName, files: [SourceFile(name: "continuation.swift", text: text)])
    }

    /// A file ends after a cell whose code hashes to 0 mod 4: the boundaries depend on the cells
    /// themselves, not on their positions, so an edit that adds lines moves at most one boundary.
    static func closesFile(_ cell: Cell) -> Bool {
        var h: UInt32 = 2_166_136_261
        for b in cell.code.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h % 4 == 0
    }

    /// One cell's file-scope declarations and its function. `opaque`: the notebook's functions
    /// that return an opaque type, by name, with that type (`some Shape`).
    func cellSource(_ cell: Cell, items: [Item], file: String, opaque: [String: String] = [:]) -> String {
        let code = Array(cell.code.utf8)
        var out = "// cell \(cell.index)\n"
        let swift6 = notebook.frontMatter.swiftVersion >= 6
        for item in items {
            let text: [UInt8]
            switch item.placement {
            case .statement, .importDecl: continue
            case .fileScope:
                text = Array(code[item.start..<item.end])
            case .global(_, let wrapTry):
                text = Self.globalText(item, code: code, wrapTry: wrapTry, opaque: opaque)
            case .deferred(let name):
                text = Self.deferredText(item, name: name, code: code, swift6: swift6)

            case .split:
                text = Self.splitText(item, code: code, fileScope: true)
            }
            out += "#sourceLocation(file: \(file), line: \(item.line))\n"
            var indent = max(0, item.column - 1)
            if swift6, case .global = item.placement {
                // Swift 6 checks global state; a notebook's cells run one after another.
                out += "nonisolated(unsafe) "
                indent = max(0, indent - 20)
            }
            out += String(repeating: " ", count: indent)
            out += String(decoding: text, as: UTF8.self) + "\n#sourceLocation()\n"
        }
        let effects = Self.isAsync(items) ? "async throws" : "throws"
        out += "func _folioCell\(cell.index)() \(effects) {\n"
        out += "#sourceLocation(file: \(file), line: \(cell.codeLine))\n"
        out += body(of: cell, items: items) + "\n#sourceLocation()\n}\n"
        return out
    }

    /// The notebook's parameters as one constant, `params`, of a struct of `let`s: a cell that
    /// assigns to one is a compile error at its line.
    static func parameters(_ params: [Parameter]) -> String {
        guard !params.isEmpty else { return "" }
        var s = "struct NotebookParameters: Sendable {\n"
        for p in params { s += "    let \(p.name): \(p.kind.rawValue)\n" }
        s += "}\nlet params = NotebookParameters("
        s += params.map { "\($0.name): \($0.value.literal($0.kind))" }.joined(separator: ", ")
        return s + ")\n"
    }

    /// The cell's statements in order: file-scope items blanked (newlines kept, so lines stay
    /// put), each global replaced by its touch, the trailing expression wrapped to be shown.
    func body(of cell: Cell, items: [Item]) -> String {
        var code = Array(cell.code.utf8)
        var edits: [(Int, Int, [UInt8])] = []
        for item in items {
            let original = code[item.start..<item.end]
            switch item.placement {
            case .statement: continue
            case .fileScope, .importDecl, .deferred:
                edits.append((item.start, item.end, Self.blank(original)))
            case .global(let touch, _):
                let newlines = original.filter { $0 == 10 }.count
                let text = touch.map { "_ = \($0)" }.joined(separator: "; ")
                edits.append((item.start, item.end, Array(text.utf8) + Array(repeating: 10, count: newlines)))
            case .split:
                edits.append((item.start, item.end, Self.splitText(item, code: code, fileScope: false)))
            }
        }
        if let last = items.last, last.placement == .statement, Self.isShowable(last.syntax) {
            let text = Array(code[last.start..<last.end])
            edits.append((last.start, last.end, Array("_Notebook.show(".utf8) + text + Array(")".utf8)))
        }
        for (start, end, replacement) in edits.sorted(by: { $0.0 > $1.0 }) {
            code.replaceSubrange(start..<end, with: replacement)
        }
        return String(decoding: code, as: UTF8.self)
    }

    static func blank(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.map { $0 == 10 ? 10 : 32 }
    }

    func items(of cell: Cell, warnings: inout [Diagnostic]) -> [Item] {
        let tree = SwiftSource.parse(cell.code)
        let converter = SourceLocationConverter(fileName: notebook.path, tree: tree)
        var result: [Item] = []
        for stmt in tree.statements {
            let start = stmt.positionAfterSkippingLeadingTrivia.utf8Offset
            // Without a trailing `;`, which stays in the cell's function.
            let end = stmt.item.endPositionBeforeTrailingTrivia.utf8Offset
            let loc = converter.location(for: stmt.positionAfterSkippingLeadingTrivia)
            let line = cell.codeLine + loc.line - 1
            result.append(Item(syntax: stmt, start: start, end: end, line: line, column: loc.column,
                               placement: Self.placement(stmt), keys: Self.declarationKeys(stmt)))
        }
        return result
    }

    // MARK: - Classification

    static func placement(_ item: CodeBlockItemSyntax) -> Placement {
        switch item.item {
        case .decl(let decl):
            if decl.is(ImportDeclSyntax.self) { return .importDecl }
            if let v = decl.as(VariableDeclSyntax.self) { return globalPlacement(v) }
            if let ifConfig = decl.as(IfConfigDeclSyntax.self) {
                let (decls, statements) = contents(of: ifConfig)
                if !decls { return .statement }
                return statements ? .split : .fileScope
            }
            return .fileScope
        default:
            return .statement
        }
    }

    /// A `let`/`var` becomes a global when Swift allows it at file scope: it binds a name and
    /// every binding has a value or accessors. One that is assigned later (`let x: Int` then
    /// `x = …`) or awaits in its initialiser stays local to its cell.
    static func globalPlacement(_ v: VariableDeclSyntax) -> Placement {
        var touch: [String] = []
        var wrapTry = false
        let isLazy = v.modifiers.contains { $0.name.tokenKind == .keyword(.lazy) }
        // `async let` exists only in a local scope: it stays in its cell.
        if v.modifiers.contains(where: { $0.name.tokenKind == .keyword(.async) }) { return .statement }
        // A global isolated to a global actor (`@MainActor var n = 0`) cannot be read from the
        // cell's nonisolated function; it is initialised on first use instead of where it stands.
        let isolated = v.attributes.contains { $0.as(AttributeSyntax.self).map { isGlobalActor($0) } ?? false }
        for binding in v.bindings {
            let names = names(in: binding.pattern)
            if names.isEmpty { return .statement }
            if let value = binding.initializer?.value {
                if containsUnwrappedEffect(Syntax(value), effect: .await) { return .statement }
                if containsUnwrappedEffect(Syntax(value), effect: .try) { wrapTry = true }
                if !isLazy && !isolated { touch += names.prefix(1) }
            } else if binding.accessorBlock == nil {
                if startsAsNil(v, binding) { continue }
                // Assigned by a later cell: one name with its type, declared on its own.
                guard v.bindings.count == 1, binding.typeAnnotation != nil, binding.pattern.is(IdentifierPatternSyntax.self),
                      v.attributes.isEmpty else { return .statement }
                return .deferred(name: names[0])
            }
        }
        return .global(touch: touch, wrapTry: wrapTry)
    }

    /// `@MainActor`, or another global actor (by the convention that names them `…Actor`).
    static func isGlobalActor(_ attribute: AttributeSyntax) -> Bool {
        attribute.attributeName.trimmedDescription.split(separator: ".").last?.hasSuffix("Actor") ?? false
    }

    /// A `var` of optional type without a value: Swift gives it `nil`.
    static func startsAsNil(_ v: VariableDeclSyntax, _ binding: PatternBindingSyntax) -> Bool {
        guard v.bindingSpecifier.tokenKind == .keyword(.var), binding.initializer == nil, binding.accessorBlock == nil,
              let type = binding.typeAnnotation?.type else { return false }
        if type.is(OptionalTypeSyntax.self) || type.is(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return true }
        if let named = type.as(IdentifierTypeSyntax.self) { return named.name.text == "Optional" && named.genericArgumentClause != nil }
        return false
    }

    /// A deferred global's file-scope text, on the declaration's first line: the storage, then
    /// the computed variable that reads and sets it.
    static func deferredText(_ item: Item, name: String, code: [UInt8], swift6: Bool) -> [UInt8] {
        guard case .decl(let d) = item.syntax.item, let v = d.as(VariableDeclSyntax.self),
              let type = v.bindings.first?.typeAnnotation?.type.trimmedDescription else { return Array(code[item.start..<item.end]) }
        let modifiers = v.modifiers.map(\.trimmedDescription).joined(separator: " ")
        let lead = modifiers.isEmpty ? "" : modifiers + " "
        let storage = "_folioValue_\(name)"
        let literal = stringLiteral(name)
        let set = v.bindingSpecifier.tokenKind == .keyword(.let)
            ? "_Notebook.assignOnce(&\(storage), newValue, \(literal))" : "\(storage) = newValue"
        let text = "\(swift6 ? "nonisolated(unsafe) " : "")\(lead)var \(storage): (\(type))? = nil; "
            + "\(lead)var \(name): \(type) { get { _Notebook.assigned(\(storage), \(literal)) } set { \(set) } }"
        let newlines = code[item.start..<item.end].filter { $0 == 10 }.count
        return Array(text.utf8) + Array(repeating: 10, count: newlines)
    }

    enum Effect { case `try`, await }

    /// A `try` (not `try?`/`try!`) or `await` (`for await`, `async let`) in `node` outside any
    /// closure or function, which have effects of their own.
    static func containsUnwrappedEffect(_ node: Syntax, effect: Effect) -> Bool {
        final class Finder: SyntaxVisitor {
            let effect: Effect
            var found = false
            init(_ effect: Effect) { self.effect = effect; super.init(viewMode: .sourceAccurate) }
            override func visit(_ node: ClosureExprSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
            override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
            override func visit(_ node: AccessorBlockSyntax) -> SyntaxVisitorContinueKind { .skipChildren }
            override func visit(_ node: ForStmtSyntax) -> SyntaxVisitorContinueKind {
                if effect == .await && node.awaitKeyword != nil { found = true }
                return .visitChildren
            }
            override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
                if effect == .await && node.modifiers.contains(where: { $0.name.tokenKind == .keyword(.async) }) { found = true }
                return .visitChildren
            }
            override func visit(_ node: TryExprSyntax) -> SyntaxVisitorContinueKind {
                if effect == .try && node.questionOrExclamationMark == nil { found = true }
                return .visitChildren
            }
            override func visit(_ node: AwaitExprSyntax) -> SyntaxVisitorContinueKind {
                if effect == .await { found = true }
                return .visitChildren
            }
        }
        let finder = Finder(effect)
        finder.walk(node)
        return finder.found
    }

    /// Whether the `#if` holds declarations (other than imports) and whether it holds statements.
    static func contents(of ifConfig: IfConfigDeclSyntax) -> (decls: Bool, statements: Bool) {
        var decls = false, statements = false
        for clause in ifConfig.clauses {
            guard case .statements(let items) = clause.elements else {
                if clause.elements != nil { statements = true }
                continue
            }
            for item in items {
                if case .decl(let d) = item.item {
                    if let nested = d.as(IfConfigDeclSyntax.self) {
                        let inner = contents(of: nested)
                        decls = decls || inner.decls
                        statements = statements || inner.statements
                    } else if let v = d.as(VariableDeclSyntax.self) {
                        // A global is declared at file scope and touched where it stands, as outside an `#if`.
                        let placement = ifPlacement(globalPlacement(v))
                        if placement != .statement { decls = true }
                        if case .global(let touch, let wrapTry) = placement, touch.isEmpty && !wrapTry {} else { statements = true }
                    } else {
                        decls = true
                    }
                } else {
                    statements = true
                }
            }
        }
        return (decls, statements)
    }

    /// Inside an `#if`, a declaration without a value stays in the cell's function, as before.
    static func ifPlacement(_ p: Placement) -> Placement {
        if case .deferred = p { return .statement }
        return p
    }

    /// An `#if`'s text for file scope (its declarations, statements blanked) or for the cell's
    /// function (its statements, declarations blanked and globals touched), lines kept.
    static func splitText(_ item: Item, code: [UInt8], fileScope: Bool) -> [UInt8] {
        var edits: [(Int, Int, [UInt8])] = []
        func visit(_ ifConfig: IfConfigDeclSyntax) {
            for clause in ifConfig.clauses {
                guard case .statements(let items) = clause.elements else { continue }
                for inner in items {
                    let s = inner.positionAfterSkippingLeadingTrivia.utf8Offset
                    let e = inner.item.endPositionBeforeTrailingTrivia.utf8Offset
                    let newlines = code[s..<e].filter { $0 == 10 }.count
                    if case .decl(let d) = inner.item, let nested = d.as(IfConfigDeclSyntax.self) {
                        visit(nested)
                        continue
                    }
                    let p = ifPlacement(placement(inner))
                    switch (p, fileScope) {
                    case (.statement, true), (.importDecl, _), (.fileScope, false):
                        edits.append((s, e, blank(code[s..<e])))
                    case (.global(let touch, _), false):
                        edits.append((s, e, Array(touch.map { "_ = \($0)" }.joined(separator: "; ").utf8) + Array(repeating: 10, count: newlines)))
                    case (.global(_, let wrapTry), true):
                        if case .decl(let d) = inner.item, let v = d.as(VariableDeclSyntax.self) {
                            edits += globalEdits(v, code: code, wrapTry: wrapTry)
                        }
                    default: break
                    }
                }
            }
        }
        if case .decl(let d) = item.syntax.item, let ifConfig = d.as(IfConfigDeclSyntax.self) { visit(ifConfig) }
        var text = code
        // From the end; at one offset, the later edit first (as in `globalText`).
        for (s, e, r) in edits.enumerated().sorted(by: { ($0.element.0, $0.offset) > ($1.element.0, $1.offset) }).map(\.element) {
            text.replaceSubrange(s..<e, with: r)
        }
        let delta = text.count - code.count
        return Array(text[item.start..<(item.end + delta)])
    }

    /// A global's text at file scope. `let x = try f()`: a global's initialiser cannot throw, so the
    /// error is reported as uncaught, as a script's would be. `let a = f { … }, b = g { … }`: one
    /// declaration per binding (`let a = …; let b = …`, on the same lines), because swiftc (6.3)
    /// miscompiles a file-scope declaration of several lazily initialised bindings whose
    /// initialisers hold closures: every binding ran the first one's closure (found by a notebook
    /// whose `let constant = …, linear = …` gave two equal results; the `several-bindings` script fixture has it).
    static func globalText(_ item: Item, code: [UInt8], wrapTry: Bool, opaque: [String: String] = [:]) -> [UInt8] {
        guard case .decl(let d) = item.syntax.item, let v = d.as(VariableDeclSyntax.self) else { return Array(code[item.start..<item.end]) }
        let edits = globalEdits(v, code: code, wrapTry: wrapTry, opaque: opaque)
        var text = code
        // From the end, so earlier offsets stay valid; at one offset, the later edit first.
        for edit in edits.enumerated().sorted(by: { ($0.element.0, $0.offset) > ($1.element.0, $1.offset) }).map(\.element) {
            text.replaceSubrange(edit.0..<edit.1, with: edit.2)
        }
        let delta = text.count - code.count
        return Array(text[item.start..<(item.end + delta)])
    }

    /// The edits (offset, end, text) that make a cell's `let`/`var` a global (see `globalText`).
    static func globalEdits(_ v: VariableDeclSyntax, code: [UInt8], wrapTry: Bool, opaque: [String: String] = [:]) -> [(Int, Int, [UInt8])] {
        var edits: [(at: Int, end: Int, text: [UInt8])] = []
        // `let g = makeGlyph()` where `makeGlyph` returns `some Glyph`: a global's type may not be
        // inferred from another declaration's opaque result (a script's may), but it may be an
        // opaque type of its own, `some Glyph`, initialised from that result.
        for binding in v.bindings where binding.typeAnnotation == nil {
            guard let call = binding.initializer?.value.as(FunctionCallExprSyntax.self),
                  let callee = call.calledExpression.as(DeclReferenceExprSyntax.self), let type = opaque[callee.baseName.text] else { continue }
            let end = binding.pattern.endPositionBeforeTrailingTrivia.utf8Offset
            edits.append((end, end, Array(": \(type)".utf8)))
        }
        for binding in v.bindings where startsAsNil(v, binding) {
            let end = binding.typeAnnotation!.endPositionBeforeTrailingTrivia.utf8Offset
            edits.append((end, end, Array(" = nil".utf8)))
        }
        if wrapTry {
            for binding in v.bindings {
                guard let value = binding.initializer?.value, containsUnwrappedEffect(Syntax(value), effect: .try) else { continue }
                edits.append((value.positionAfterSkippingLeadingTrivia.utf8Offset, value.positionAfterSkippingLeadingTrivia.utf8Offset, Array("_Notebook.trying { ".utf8)))
                edits.append((value.endPositionBeforeTrailingTrivia.utf8Offset, value.endPositionBeforeTrailingTrivia.utf8Offset, Array(" }".utf8)))
            }
        }
        if v.bindings.count > 1 {
            // What each binding is declared with: attributes, modifiers and `let`/`var`.
            let start = v.positionAfterSkippingLeadingTrivia.utf8Offset
            let specifierEnd = v.bindingSpecifier.endPositionBeforeTrailingTrivia.utf8Offset
            let prefix = Array("; ".utf8) + Array(code[start..<specifierEnd]) + [32]
            for binding in v.bindings.dropLast() {
                guard let comma = binding.trailingComma else { continue }
                edits.append((comma.positionAfterSkippingLeadingTrivia.utf8Offset, comma.endPositionBeforeTrailingTrivia.utf8Offset, prefix))
            }
        }
        return edits.map { ($0.at, $0.end, $0.text) }
    }

    /// The names a cell's code declares at its top level (values, functions, types, and the
    /// members its extensions add), as other cells would spell them.
    static func declaredNames(_ code: String) -> Set<String> {
        var names = Set<String>()
        for item in SwiftSource.parse(code).statements {
            for key in declarationKeys(item) {
                // `Type.func name(a:Int)`, `func name(…)`, `Type.member`, `name` → `name`.
                var k = Substring(key)
                if let paren = k.firstIndex(of: "(") { k = k[..<paren] }
                if let space = k.lastIndex(of: " ") { k = k[k.index(after: space)...] }
                if let dot = k.lastIndex(of: ".") { k = k[k.index(after: dot)...] }
                if !k.isEmpty { names.insert(String(k)) }
            }
        }
        return names
    }

    /// Every identifier and operator a cell's code spells.
    static func usedNames(_ code: String) -> Set<String> {
        var names = Set<String>()
        for token in SwiftSource.parse(code).tokens(viewMode: .sourceAccurate) {
            switch token.tokenKind {
            case .identifier(let name), .binaryOperator(let name), .prefixOperator(let name), .postfixOperator(let name): names.insert(name)
            default: break
            }
        }
        return names
    }

    /// The cell-level functions whose result is an opaque type (`-> some Shape`), by name.
    static func opaqueResults(_ itemsByCell: [[Item]]) -> [String: String] {
        var found: [String: String] = [:]
        for item in itemsByCell.joined() {
            guard case .decl(let d) = item.syntax.item, let f = d.as(FunctionDeclSyntax.self),
                  let type = f.signature.returnClause?.type.as(SomeOrAnyTypeSyntax.self), type.someOrAnySpecifier.tokenKind == .keyword(.some) else { continue }
            found[f.name.text] = type.trimmedDescription
        }
        return found
    }

    /// Whether the cells' function must be `async`: a statement awaits outside any closure (a
    /// script's top-level code is asynchronous by the same rule).
    static func isAsync(_ items: [Item]) -> Bool {
        items.contains { item in
            item.placement != .fileScope && containsUnwrappedEffect(Syntax(item.syntax), effect: .await)
        }
    }

    /// What an item declares, for deciding when a cell redeclares: a value or type by its name, a
    /// function (initialiser, subscript) by what a call site can tell apart — base name, argument
    /// labels and parameter types — so one with other parameters is an overload while one that
    /// differs only in its result, effects or `where` clause replaces the earlier one; an
    /// extension's members under the extended type.
    static func declarationKeys(_ item: CodeBlockItemSyntax) -> Set<String> {
        guard case .decl(let decl) = item.item else { return [] }
        return keys(of: decl, prefix: "")
    }

    static func keys(of decl: DeclSyntax, prefix: String) -> Set<String> {
        if let v = decl.as(VariableDeclSyntax.self) {
            return Set(v.bindings.flatMap { names(in: $0.pattern) }.map { prefix + $0 })
        }
        if let f = decl.as(FunctionDeclSyntax.self) {
            return [prefix + "func " + f.name.text + parametersKey(f.signature.parameterClause)]
        }
        if let i = decl.as(InitializerDeclSyntax.self) {
            return [prefix + "init" + parametersKey(i.signature.parameterClause)]
        }
        if let sub = decl.as(SubscriptDeclSyntax.self) {
            return [prefix + "subscript" + parametersKey(sub.parameterClause)]
        }
        if let e = decl.as(ExtensionDeclSyntax.self) {
            let type = e.extendedType.trimmedDescription + "."
            return e.memberBlock.members.reduce(into: Set<String>()) { $0.formUnion(keys(of: $1.decl, prefix: prefix + type)) }
        }
        if let ifConfig = decl.as(IfConfigDeclSyntax.self) {
            var keys = Set<String>()
            for clause in ifConfig.clauses {
                if case .statements(let items) = clause.elements {
                    for item in items { if case .decl(let d) = item.item { keys.formUnion(Self.keys(of: d, prefix: prefix)) } }
                }
            }
            return keys
        }
        let name: String?
        if let d = decl.as(StructDeclSyntax.self) { name = d.name.text }
        else if let d = decl.as(ClassDeclSyntax.self) { name = d.name.text }
        else if let d = decl.as(EnumDeclSyntax.self) { name = d.name.text }
        else if let d = decl.as(ActorDeclSyntax.self) { name = d.name.text }
        else if let d = decl.as(TypeAliasDeclSyntax.self) { name = d.name.text }
        else if let d = decl.as(ProtocolDeclSyntax.self) { name = d.name.text }
        else { name = nil }
        return name.map { [prefix + $0] } ?? []
    }

    /// `(a:Int,_:[Double])`: each parameter's argument label and type, without whitespace.
    static func parametersKey(_ clause: FunctionParameterClauseSyntax) -> String {
        "(" + clause.parameters.map { p in
            let type = p.type.tokens(viewMode: .sourceAccurate).map(\.text).joined() + (p.ellipsis != nil ? "..." : "")
            return p.firstName.text + ":" + type
        }.joined(separator: ",") + ")"
    }

    static func names(in pattern: PatternSyntax) -> [String] {
        if let id = pattern.as(IdentifierPatternSyntax.self) { return [id.identifier.text] }
        if let tuple = pattern.as(TuplePatternSyntax.self) { return tuple.elements.flatMap { names(in: $0.pattern) } }
        if let binding = pattern.as(ValueBindingPatternSyntax.self) { return names(in: binding.pattern) }
        return []
    }

    /// A trailing expression is shown unless it is a statement-like expression or a `Task`, whose
    /// handle says nothing (what the task prints shows where it prints it).
    static func isShowable(_ item: CodeBlockItemSyntax) -> Bool {
        guard case .expr(let expr) = item.item else { return false }
        if expr.is(IfExprSyntax.self) || expr.is(SwitchExprSyntax.self) || expr.is(ClosureExprSyntax.self) { return false }
        // `#warning("…")` and `#error("…")` are compiler directives, not values.
        if let macro = expr.as(MacroExpansionExprSyntax.self), ["warning", "error"].contains(macro.macroName.text) { return false }
        if let call = expr.as(FunctionCallExprSyntax.self) {
            let callee = call.calledExpression.trimmedDescription
            if callee == "Task" || callee.hasPrefix("Task.") || callee.hasPrefix("Task<") { return false }
        }
        // `x = 1` and `x += 1` are Void anyway; leave them alone to keep diagnostics plain.
        if let seq = expr.as(InfixOperatorExprSyntax.self), seq.operator.is(AssignmentExprSyntax.self) { return false }
        if let seq = expr.as(SequenceExprSyntax.self) {
            for e in seq.elements {
                if e.is(AssignmentExprSyntax.self) { return false }
                if let op = e.as(BinaryOperatorExprSyntax.self), op.operator.text.hasSuffix("=") && !["==", "!=", "<=", ">=", "===", "!=="].contains(op.operator.text) { return false }
            }
        }
        return true
    }

    /// A Swift string literal for `#sourceLocation(file:)`.
    static func stringLiteral(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
