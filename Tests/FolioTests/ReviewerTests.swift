import Foundation
import Testing
@testable import Folio

/// The referee's test of the live notes: a claim is only worth something if it could have failed.
/// A notebook names its control with a parameter, `control` (false by default), that replaces its
/// central quantity by one for which the note's statement is false; run with `-P control=true`,
/// at least one of its claims must fail — and without it, all must hold (`make test` checks that).
/// Every notebook of the live notes must have one. And a claim about random draws must not hang on
/// the draws it was written with: a notebook that uses `Random` names its seed (`seed: 0`, added to
/// each generator's own), and with two other seeds every counted claim must still hold.
@Suite struct ReviewerTests {
    static let notebooks = TestSupport.packageRoot.appendingPathComponent("notebooks")
    /// The live notes' file names, sorted.
    static func liveNotes() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: notebooks.path).filter { $0.hasSuffix(".md") }.sorted()
    }

    @Test func everyNotebookFailsUnderItsControl() throws {
        let notebooks = Self.notebooks, names = try Self.liveNotes()
        #expect(names.count >= 13)
        for name in names {
            let nb = try NotebookParser.parse(fileAt: notebooks.appendingPathComponent(name), path: "notebooks/" + name, relativePath: name)
            #expect(nb.frontMatter.params.contains { $0.name == "control" && $0.value == .bool(false) },
                    "notebooks/\(name) names no control (`params: control: false`), so nothing shows its claims could fail")
        }
        // One run over all of them, two at a time, as a reviewer would start it.
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID().uuidString).json")
        let paths = names.map { "notebooks/" + $0 }
        let r = try TestSupport.runFolio(["check", "--quiet", "--jobs", "2", "-P", "control=true", "--report", report.path] + paths,
                                         in: TestSupport.packageRoot, timeout: 900)
        #expect(r.status == ExitStatus.notebookFailed.rawValue, "under the controls: \(r.output)")
        let ran = try TestSupport.report(report).notebooks
        #expect(Set(ran.map(\.source)) == Set(paths))
        for path in paths {
            // A sweep runs each set under the control: one failing set is enough to show the claims can fail.
            let failed = ran.filter { $0.source == path }.reduce(0) { $0 + $1.checks.failed }
            #expect(failed >= 1, "\(path): no claim failed under the control, so its claims could not fail")
        }
    }

    /// Seeds 1 and 2, each a test case of its own so the two runs go side by side.
    @Test(arguments: [1, 2]) func everyStochasticNotebookHoldsOnAnotherSeed(_ seed: Int) throws {
        let notebooks = Self.notebooks, names = try Self.liveNotes()
        var stochastic: [String] = []
        for name in names {
            let file = notebooks.appendingPathComponent(name)
            guard try String(contentsOf: file, encoding: .utf8).contains("Random(") else { continue }
            let nb = try NotebookParser.parse(fileAt: file, path: "notebooks/" + name, relativePath: name)
            #expect(nb.frontMatter.params.contains { $0.name == "seed" && $0.value == .int(0) },
                    "notebooks/\(name) draws random numbers but names no seed (`params: seed: 0`), so no other draw is ever tried")
            stochastic.append("notebooks/" + name)
        }
        #expect(stochastic.count >= 10)
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(seed)-\(UUID().uuidString).json")
        let r = try TestSupport.runFolio(["check", "--quiet", "--jobs", "2", "-P", "seed=\(seed)", "--report", report.path] + stochastic,
                                         in: TestSupport.packageRoot, timeout: 900)
        #expect(r.status == ExitStatus.ok.rawValue, "seed \(seed): \(r.output)")
        let ran = try TestSupport.report(report).notebooks.filter { stochastic.contains($0.source) }
        #expect(Set(ran.map(\.source)) == Set(stochastic))
        for nb in ran {
            #expect(nb.params?["seed"] == .int(seed), "\(nb.source) did not run with seed \(seed)")
            #expect(nb.checks.failed == 0 && nb.checks.passed > 0, "\(nb.source) with seed \(seed): \(nb.checks.failed) claims failed")
        }
    }
}
