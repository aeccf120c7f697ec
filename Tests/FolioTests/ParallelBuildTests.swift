import Foundation
import Testing
@testable import Folio

/// Builds with several jobs must give the same bytes as one job would: cmark-gfm keeps a global
/// table that concurrent parses used to corrupt (autolinks and strikethrough went missing).
@Suite struct ParallelBuildTests {
    @Test func manyPagesInParallelAreByteIdenticalEveryTime() throws {
        let dir = TestSupport.temporaryDirectory("parallel")
        let count = 300
        for n in 0..<count {
            TestSupport.write("Visit https://example.com/a\(n) and www.example.org ~~gone~~ now.\n\nMore text with ftp://foo.bar.baz and a footnote[^1].\n\n[^1]: The note.\n",
                              to: dir.appendingPathComponent("notebooks/p\(n).md"))
        }
        var first: [Data] = []
        for run in 0..<4 {
            let r = try TestSupport.runFolio(["build", "--no-execute", "--jobs", "2", "--out", "site\(run)"], in: dir)
            #expect(r.status == 0, "\(r.output)")
            let pages = (0..<count).map { (try? Data(contentsOf: dir.appendingPathComponent("site\(run)/p\($0).html"))) ?? Data() }
            for (n, page) in pages.enumerated() {
                let html = String(decoding: page, as: UTF8.self)
                let links = ["href=\"https://example.com/a\(n)\"", "href=\"http://www.example.org\"", "href=\"ftp://foo.bar.baz\""]
                #expect(links.allSatisfy(html.contains) && html.contains("<del>gone</del>"),
                        "run \(run), page \(n) lost an autolink or its strikethrough")
            }
            if run == 0 { first = pages } else {
                let differing = (0..<count).filter { pages[$0] != first[$0] }
                #expect(differing.isEmpty, "run \(run): \(differing.count) pages differ from the first run: \(differing.prefix(10))")
            }
        }
    }

    /// `--jobs N` bounds every compiler process of the build, not only the notebooks at once:
    /// each notebook's swiftc gets a share of N (`-j`), so `--jobs 1` never runs two compilers.
    /// Counted as the `swift-frontend` processes below the `folio` process, sampled from /proc;
    /// the same count with `--jobs 2` on one large notebook must see two, or the sampling saw
    /// nothing and the test could not fail.
    @Test func jobsBoundsTheCompilerProcessesOfTheWholeBuild() throws {
        let dir = TestSupport.temporaryDirectory("compilers")
        // Past `ProgramCompiler.wholeModuleLines`, so the cells are compiled file by file with `-j`.
        func notebook(_ tag: String) -> String {
            "# \(tag)\n\n" + (0..<64).map { c in
                "```swift\nstruct Shape\(tag)\(c) { var a = \(c), b = [Double](repeating: 1, count: 4)\n"
                    + (0..<14).map { "  var p\($0): Double { b.map { $0 * Double(a + \($0)) }.reduce(0, +) }" }.joined(separator: "\n")
                    + "\n}\nlet s\(tag)\(c) = Shape\(tag)\(c)().p3\n```\n"
            }.joined(separator: "\n")
        }
        TestSupport.write(notebook("A"), to: dir.appendingPathComponent("notebooks/a.md"))
        func mostCompilers(_ arguments: [String]) throws -> Int {
            let process = Process()
            process.executableURL = TestSupport.folio
            process.arguments = arguments
            process.currentDirectoryURL = dir
            var env = ProcessInfo.processInfo.environment
            env["FOLIO_RUNTIME_DIR"] = TestSupport.folio.deletingLastPathComponent().path
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var most = 0
            while process.isRunning {
                most = max(most, Self.descendants(of: process.processIdentifier, named: "swift-frontend"))
                usleep(5_000)
            }
            #expect(process.terminationStatus == 0, "folio \(arguments)")
            return most
        }
        let one = try mostCompilers(["build", "--no-cache", "--jobs", "1", "--out", "site1", "notebooks/a.md"])
        #expect(one == 1, "--jobs 1 ran \(one) compiler processes at once")
        // Nothing of the first build's compilation may be reused.
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".folio"))
        let two = try mostCompilers(["build", "--no-cache", "--jobs", "2", "--out", "site2", "notebooks/a.md"])
        #expect(two == 2, "--jobs 2 on one large notebook ran \(two) compiler processes at once (expected 2)")
    }

    /// How many processes called `name` run below `root` now.
    static func descendants(of root: pid_t, named name: String) -> Int {
        var parent: [pid_t: pid_t] = [:], comm: [pid_t: String] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            comm[pid] = String(stat[stat.index(after: open)..<close])
            parent[pid] = stat[stat.index(close, offsetBy: 2)...].split(separator: " ").dropFirst().first.flatMap { pid_t($0) }
        }
        return comm.filter { pid, c in
            guard c == name else { return false }
            var p = parent[pid]
            while let q = p, q > 1 { if q == root { return true }; p = parent[q] }
            return false
        }.count
    }
}
