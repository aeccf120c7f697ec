import Foundation
import Testing
@testable import Folio

/// The referee's test of the live notes: a claim is only worth something if it could have failed.
/// A notebook names its control with a parameter, `control` (false by default), that replaces its
/// central quantity by one for which the note's statement is false; run with `-P control=true`,
/// at least one of its claims must fail — and without it, all must hold (`make test` checks that).
@Suite(.serialized) struct ReviewerTests {
    /// The notebooks that carry a control so far (#17 gives the rest one).
    static let controlled = ["notebooks/behaviour-manifold-rank.md", "notebooks/chebyshev-chop.md", "notebooks/gauss-newton-hessian.md", "notebooks/independent-inputs.md", "notebooks/low-rank-free-weights.md", "notebooks/nearest-neighbour-cosines.md", "notebooks/parity-latent.md", "notebooks/superposition-noise.md", "notebooks/time-symmetry.md"]

    @Test func eachControlledNotebookFailsUnderItsControl() throws {
        let notebooks = TestSupport.packageRoot.appendingPathComponent("notebooks")
        let declared = try FileManager.default.contentsOfDirectory(atPath: notebooks.path).filter { $0.hasSuffix(".md") }.sorted().filter { name in
            let nb = try? NotebookParser.parse(fileAt: notebooks.appendingPathComponent(name), path: "notebooks/" + name, relativePath: name)
            return nb?.frontMatter.params.contains { $0.name == "control" && $0.value == .bool(false) } ?? false
        }
        #expect(declared.map { "notebooks/" + $0 } == Self.controlled.sorted(), "the notebooks with a `control` parameter changed: \(declared)")
        for path in Self.controlled {
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID().uuidString).json")
            let r = try TestSupport.runFolio(["check", path, "-P", "control=true", "--report", report.path], in: TestSupport.packageRoot, timeout: 600)
            #expect(r.status == ExitStatus.notebookFailed.rawValue, "\(path) under its control: \(r.output)")
            let failed = try TestSupport.report(report).notebooks.reduce(0) { $0 + $1.checks.failed }
            #expect(failed >= 1, "\(path): no claim failed under the control, so its claims could not fail")
        }
    }
}
