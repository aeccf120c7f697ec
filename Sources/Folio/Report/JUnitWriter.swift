import FolioWire
import Foundation

/// JUnit XML for CI systems: one test suite per notebook, one test case per claim and one per
/// broken link (`check --links`), plus one per notebook that failed to build or run so such
/// failures are never silent.
enum JUnitWriter {
    static func xml(_ runs: [ExecutedNotebook], errors: [FolioError], site: [Diagnostic] = []) -> String {
        var suites = ""
        var total = 0, failures = 0
        for run in runs {
            let nb = run.notebook
            var cases = ""
            var n = 0, f = 0
            // A swept notebook: one suite per set (`notebooks/x.md [d=16,seed=1]`).
            let name = nb.runName
            for claim in run.claims {
                n += 1
                cases += "    <testcase classname=\"\(attr(name))\" name=\"\(attr("line \(claim.line): \(claim.text)"))\""
                if claim.passed {
                    cases += "/>\n"
                } else if run.diagnostics.contains(where: { $0.kind == .claimFailed && $0.line == claim.line && $0.severity == .warning }) {
                    // It failed in this set, but the sweep's `claims:` share for it holds.
                    cases += ">\n      <skipped message=\"fails in this set; the sweep's share of sets for this claim holds\"/>\n    </testcase>\n"
                } else {
                    f += 1
                    let message = claim.detail.map { "\(claim.text) (\($0))" } ?? claim.text
                    cases += ">\n      <failure message=\"\(attr(message))\">\(attr("\(nb.path):\(claim.line): claim failed: \(message)"))</failure>\n    </testcase>\n"
                }
            }
            for d in run.diagnostics where d.kind == .link && d.severity == .error {
                n += 1
                f += 1
                cases += "    <testcase classname=\"\(attr(name))\" name=\"\(attr("line \(d.line): \(d.message)"))\">\n      <failure message=\"\(attr(d.message))\">\(attr(d.description))</failure>\n    </testcase>\n"
            }
            let errs = run.diagnostics.filter { $0.severity == .error && $0.kind != .claimFailed && $0.kind != .link }
            n += 1
            cases += "    <testcase classname=\"\(attr(name))\" name=\"runs without errors\""
            if errs.isEmpty {
                cases += "/>\n"
            } else {
                f += 1
                let text = errs.map { var d = $0; d.file = nb.path; return d.description }.joined(separator: "\n")
                cases += ">\n      <failure message=\"\(attr(errs[0].message))\">\(attr(text))</failure>\n    </testcase>\n"
            }
            total += n
            failures += f
            suites += "  <testsuite name=\"\(attr(name))\" tests=\"\(n)\" failures=\"\(f)\" time=\"\(String(format: "%.3f", run.seconds))\">\n\(cases)  </testsuite>\n"
        }
        for e in errors {
            total += 1
            failures += 1
            suites += "  <testsuite name=\"\(attr(e.diagnostic.file))\" tests=\"1\" failures=\"1\">\n    <testcase classname=\"\(attr(e.diagnostic.file))\" name=\"builds\">\n      <failure message=\"\(attr(e.diagnostic.message))\">\(attr(e.description))</failure>\n    </testcase>\n  </testsuite>\n"
        }
        for d in site where d.severity == .error {
            total += 1
            failures += 1
            suites += "  <testsuite name=\"\(attr(d.file))\" tests=\"1\" failures=\"1\">\n    <testcase classname=\"\(attr(d.file))\" name=\"\(attr(d.message))\">\n      <failure message=\"\(attr(d.message))\">\(attr(d.description))</failure>\n    </testcase>\n  </testsuite>\n"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"folio\" tests=\"\(total)\" failures=\"\(failures)\">\n\(suites)</testsuites>\n"
    }

    static func attr(_ s: String) -> String { XMLText.escape(s) }
}
