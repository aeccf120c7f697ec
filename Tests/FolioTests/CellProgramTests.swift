import Foundation
import Testing
@testable import Folio

/// The program a notebook becomes: Swift as a script runs it (each fixture under
/// `Tests/Fixtures/script` compiled both ways, outputs compared), redeclaration across cells, and
/// compile reuse between builds (objects of unchanged cells kept, dependents rebuilt).
@Suite(.serialized) struct CellProgramTests {
    static let scripts = ["overloads", "cell-variables", "extension-constants", "conditional-compilation",
                          "private-declarations", "access-modifiers", "several-bindings", "declared-without-value",
                          "main-actor-and-directives", "async-cells"]

    /// What each cell printed, in order, from the build's report.
    func printed(_ report: BuildReport) -> String {
        (report.notebooks.first?.cells ?? []).flatMap(\.outputs).filter { $0.kind == .text }.map(\.text).joined()
    }

    @Test(arguments: scripts) func runsAsTheConcatenatedScriptDoes(_ name: String) throws {
        let dir = TestSupport.temporaryDirectory("script-\(name)")
        let source = TestSupport.fixtures.appendingPathComponent("script/\(name).md")
        try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent("\(name).md"))
        let run = try TestSupport.runFolio(["build", "\(name).md", "--report", "report.json"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        let folio = printed(try TestSupport.report(dir.appendingPathComponent("report.json")))

        // The same cells, one after another, as a plain `main.swift` script.
        let notebook = try NotebookParser.parse(fileAt: source, path: "\(name).md", relativePath: "\(name).md")
        let script = "import Foundation\n" + notebook.cells.filter(\.isExecutable).map(\.code).joined(separator: "\n")
        TestSupport.write(script, to: dir.appendingPathComponent("script/main.swift"))
        let swiftc = try #require(Executable.onPath("swiftc"))
        let compiled = try Subprocess.run(swiftc, arguments: ["main.swift", "-o", "script"], currentDirectory: dir.appendingPathComponent("script"), mergeStderr: true)
        #expect(compiled.status == 0, "\(String(decoding: compiled.stdout, as: UTF8.self))")
        let ran = try Subprocess.run(dir.appendingPathComponent("script/script"), arguments: [], mergeStderr: true)
        #expect(ran.status == 0)
        #expect(!folio.isEmpty)
        #expect(folio == String(decoding: ran.stdout, as: UTF8.self))
        if name == "private-declarations" {
            // A `private` global's initialiser runs, and prints, in its own cell, not before the first.
            let cells = try TestSupport.report(dir.appendingPathComponent("report.json")).notebooks.first?.cells ?? []
            #expect(cells.map { $0.outputs.map(\.text).joined() } == ["base 21\n", "doubled 42\n", "making the answer\nanswer 42 42\n"])
        }
    }

    @Test func redeclarationShadowsForLaterCellsOnly() throws {
        let b = try build("redeclarations")
        #expect(b.status == 0, "\(b.output)")
        // The first cell's extension keeps the first `Reading`, a type an earlier cell extended can
        // be declared again, and so can a protocol.
        #expect(b.texts == [["[\"reading 1.5\"]\n"], ["8.0\n"], ["20.0 2\n"], ["9.0\n"], ["[3] 4.0\n"]])
    }

    /// A later definition is the one meant from its cell on, whatever its result type, effects
    /// or `where` clause; a mutating method in an extension and an operator likewise; a generic
    /// type an earlier cell extended and used can be declared again, the earlier value keeping its type.
    @Test func aRedefinitionReplacesTheEarlierOneFromItsCellOn() throws {
        let b = try build("redefinitions")
        #expect(b.status == 0, "\(b.output)")
        #expect(b.texts == [["2 items\n"], ["there are 3\n"], ["1\n"], ["2\n"], ["10\n"], ["20\n"], ["5\n"], ["1\n"],
                            ["2.0 4.0\n"], ["4.0 6.0\n"], ["8.0\n"], ["16.0\nthere are 4\ntrue\n"], ["42\n"], ["2 42\n"]], "\(b.texts)")
    }

    /// Reading a variable no cell has given a value yet ends the run at that cell, saying which.
    @Test func aReadBeforeAnyAssignmentSaysSo() throws {
        let dir = TestSupport.temporaryDirectory("unassigned")
        TestSupport.write("# U\n\n```swift\nlet scale: Double\n```\n\n```swift\nprint(scale * 2)\n```\n", to: dir.appendingPathComponent("u.md"))
        let run = try TestSupport.runFolio(["build", "u.md"], in: dir)
        #expect(run.status == 1)
        #expect(run.output.contains("`scale` was read before a cell gave it a value"), "\(run.output)")
    }

    @Test func aTaskPrintsWhereItPrintsAndIsNotAValue() throws {
        let b = try build("tasks")
        #expect(b.status == 0, "\(b.output)")
        let cells = b.report.notebooks.first?.cells ?? []
        #expect(cells.first?.outputs.isEmpty == true, "the Task handle was shown: \(cells.first?.outputs ?? [])")
        #expect(cells.flatMap(\.outputs).map(\.text).joined().contains("from a task\n"))
    }

    struct Built {
        var status: Int32
        var output: String
        var report: BuildReport
        var texts: [[String]] { (report.notebooks.first?.cells ?? []).map { $0.outputs.map(\.text) } }
    }

    func build(_ name: String) throws -> Built {
        let dir = TestSupport.temporaryDirectory(name)
        try FileManager.default.copyItem(at: TestSupport.fixtures.appendingPathComponent("execute/\(name).md"), to: dir.appendingPathComponent("\(name).md"))
        let run = try TestSupport.runFolio(["build", "\(name).md", "--report", "report.json"], in: dir)
        return Built(status: run.status, output: run.output, report: try TestSupport.report(dir.appendingPathComponent("report.json")))
    }

    // MARK: - Compile reuse

    /// A notebook long enough to be compiled file by file: `n` cells, each with a function, a
    /// struct, a global and prints; cell `i` uses `value(i - 1)` of the cell before.
    static func longNotebook(cells n: Int, edit: (Int) -> String? = { _ in nil }) -> String {
        var s = "# Long\n\n"
        for i in 0..<n {
            let body = edit(i) ?? """
            func value\(i)() -> Int { \(i) }
            struct Box\(i) { var v: Int; func twice() -> Int { v * 2 } }
            let box\(i) = Box\(i)(v: value\(i)()\(i > 0 ? " + value\(i - 1)()" : ""))
            var sum\(i) = 0
            for k in 0..<3 { sum\(i) += k * box\(i).twice() }
            print("cell \(i)", sum\(i))
            """
            s += "```swift\n\(body)\n```\n\n"
        }
        return s
    }

    func objects(in dir: URL) -> [String: Date] {
        var result: [String: Date] = [:]
        let walker = FileManager.default.enumerator(at: dir.appendingPathComponent(".folio/build"), includingPropertiesForKeys: [.contentModificationDateKey])
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "o", let d = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate {
                result[url.lastPathComponent] = d
            }
        }
        return result
    }

    @Test func anEditRecompilesItsFileAndWhatDependsOnIt() throws {
        let dir = TestSupport.temporaryDirectory("reuse")
        let path = dir.appendingPathComponent("long.md")
        let n = 90
        TestSupport.write(Self.longNotebook(cells: n), to: path)
        let first = try TestSupport.runFolio(["check", "long.md", "--report", "r.json"], in: dir)
        #expect(first.status == 0, "\(first.output)")
        let before = objects(in: dir)
        #expect(before.count >= 4, "the notebook was not split into files: \(before.keys.sorted())")

        // A statement inside the last cell: one file recompiles, the rest keep their objects.
        TestSupport.write(Self.longNotebook(cells: n) { $0 == n - 1 ? "print(\"last cell, edited\")" : nil }, to: path)
        let second = try TestSupport.runFolio(["check", "long.md", "--report", "r.json"], in: dir)
        #expect(second.status == 0, "\(second.output)")
        let after = objects(in: dir)
        let rebuilt = after.filter { before[$0.key] != $0.value }.keys.sorted()
        #expect(rebuilt.count == 1, "rebuilt: \(rebuilt)")
        let cells = try TestSupport.report(dir.appendingPathComponent("r.json")).notebooks.first?.cells ?? []
        #expect(cells.last?.outputs.map(\.text) == ["last cell, edited\n"])

        // The interface of cell 0 changes (value0 now returns 100): cell 1, in the same file, and
        // nothing else uses it; the result must follow.
        TestSupport.write(Self.longNotebook(cells: n) { i in
            i == 0 ? "func value0() -> Int { 100 }\nprint(\"cell 0\")" : (i == n - 1 ? "print(\"last cell, edited\")" : nil)
        }, to: path)
        let third = try TestSupport.runFolio(["check", "long.md", "--report", "r.json"], in: dir)
        #expect(third.status == 0, "\(third.output)")
        let cells3 = try TestSupport.report(dir.appendingPathComponent("r.json")).notebooks.first?.cells ?? []
        #expect(cells3[1].outputs.map(\.text) == ["cell 1 \(3 * 2 * (1 + 100))\n"])

        // A type error an edit introduces in a dependent is found although its file did not change.
        TestSupport.write(Self.longNotebook(cells: n) { i in
            i == 0 ? "func value0() -> String { \"zero\" }" : nil
        }, to: path)
        let fourth = try TestSupport.runFolio(["check", "long.md"], in: dir)
        #expect(fourth.status == 1)
        #expect(fourth.output.contains("long.md:"), "\(fourth.output)")
    }
}
