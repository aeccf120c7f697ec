import Foundation
import Testing
@testable import Folio

/// Notebook parameters and sweeps, through the `folio` binary.
@Suite(.serialized) struct ParameterTests {
    func build(_ dir: URL, _ args: [String]) throws -> (status: Int32, output: String, report: BuildReport?) {
        let report = dir.appendingPathComponent("r.json")
        try? FileManager.default.removeItem(at: report)
        let r = try TestSupport.runFolio(args + ["--report", report.path], in: dir)
        return (r.status, r.output, try? TestSupport.report(report))
    }

    func read(_ dir: URL, _ path: String) -> String { TestSupport.read(dir.appendingPathComponent(path)) }

    static let typed = """
        ---
        title: Typed
        params:
          d: 64
          epsilon: 0.01
          method: greedy
          seeds: [1, 2, 3]
          verbose: true
          scale: {type: Double, value: 3, in: 1...10}
          quoted: "7"
        ---
        # Typed

        ```swift
        print(type(of: params.d), type(of: params.epsilon), type(of: params.method), type(of: params.seeds), type(of: params.verbose), type(of: params.scale), type(of: params.quoted))
        print("values", params.d, params.epsilon, params.method, params.seeds, params.verbose, params.scale, params.quoted)
        ```
        """

    @Test func parametersAreTypedConstantsThatOverridesSetAndCellsCannotAssign() throws {
        let dir = TestSupport.temporaryDirectory("params")
        TestSupport.write(Self.typed, to: dir.appendingPathComponent("notebooks/typed.md"))
        let r = try build(dir, ["build"])
        #expect(r.status == 0, "\(r.output)")
        let page = read(dir, "site/typed.html")
        #expect(page.contains("Int Double String Array&lt;Int&gt; Bool Double String"), "\(page)")
        #expect(page.contains("values 64 0.01 greedy [1, 2, 3] true 3.0 7"))
        #expect(page.contains("<span class=\"params\">Parameters: <code>d = 64</code>, <code>epsilon = 0.01</code>"))
        #expect(r.report?.notebooks.first?.params?["d"] == .int(64))

        // -P sets a value, checked against its type and range; it is part of the cache key.
        let p = try build(dir, ["build", "-P", "d=128", "-P", "seeds=5,6"])
        #expect(p.status == 0, "\(p.output)")
        #expect(p.report?.notebooks.first?.executed == true)
        #expect(read(dir, "site/typed.html").contains("values 128 0.01 greedy [5, 6] true 3.0 7"))
        let again = try build(dir, ["build"])
        #expect(again.report?.notebooks.first?.executed == false)  // the first run's entry, still cached
        let before = try Data(contentsOf: dir.appendingPathComponent("site/typed.html"))
        for (args, message) in [(["-P", "d=big"], "notebooks/typed.md:4: error: parse: -P: `d` is an Int, and `big` is not one"),
                                (["-P", "scale=11"], "notebooks/typed.md:9: error: parse: -P: `scale` = 11: 11 is outside 1...10"),
                                (["-P", "nope=1"], "-P: error: parse: unknown parameter `nope`: no notebook being built declares it")] {
            let bad = try build(dir, ["build"] + args)
            #expect(bad.status == ExitStatus.couldNotBuild.rawValue, "\(bad.output)")
            #expect(bad.output.contains(message), "\(bad.output)")
            #expect(try Data(contentsOf: dir.appendingPathComponent("site/typed.html")) == before)
        }
        let usage = try TestSupport.runFolio(["build", "-P", "no-equals"], in: dir)
        #expect(usage.status == ExitStatus.usage.rawValue)

        // A profile sets parameters too; -P beats it.
        TestSupport.write("profiles:\n  big:\n    params:\n      d: 512\n", to: dir.appendingPathComponent("folio.yml"))
        #expect(try build(dir, ["build", "--profile", "big"]).status == 0)
        #expect(read(dir, "site/typed.html").contains("values 512 "))
        #expect(try build(dir, ["build", "--profile", "big", "-P", "d=8"]).status == 0)
        #expect(read(dir, "site/typed.html").contains("values 8 "))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("folio.yml"))

        // A declared range is checked in the front matter too, and a cell cannot assign a parameter.
        TestSupport.write(Self.typed.replacingOccurrences(of: "value: 3, in", with: "value: 30, in"), to: dir.appendingPathComponent("notebooks/typed.md"))
        let range = try build(dir, ["build"])
        #expect(range.status == ExitStatus.couldNotBuild.rawValue)
        #expect(range.output.contains("notebooks/typed.md:9:"), "\(range.output)")
        #expect(range.output.contains("parameter `scale`: 30 is outside 1...10"))
        TestSupport.write("---\nparams:\n  d: 4\n---\n\n```swift\nparams.d = 5\n```\n", to: dir.appendingPathComponent("notebooks/typed.md"))
        let assign = try build(dir, ["build"])
        #expect(assign.status == ExitStatus.notebookFailed.rawValue)
        #expect(assign.output.contains("notebooks/typed.md:7:"), "\(assign.output)")
    }

    static func sweep(_ sets: String, policy: String = "all") -> String {
        """
        ---
        title: Noise norm
        params:
          d: 64
          seed: 1
        sweep:
        \(sets)
        claims: \(policy)
        ---
        # Noise norm

        ```swift
        var rng = Random(seed: UInt64(params.seed))
        var sum = Vector.zeros(params.d)
        for _ in 0..<100 { sum = sum + rng.unitVector(params.d) * (rng.uniform() < 0.5 ? -1.0 : 1.0) }
        record("noise norm", sum.norm)
        check(sum.norm / 10, near: 1, tolerance: 0.25, "the noise norm is about √n")
        check(params.d >= 64, "d is at least 64")
        ```
        """
    }

    @Test func aSweepRunsEachSetOnceGivesAPageEachAndASummary() throws {
        let dir = TestSupport.temporaryDirectory("sweep")
        let nb = dir.appendingPathComponent("notebooks/noise.md")
        TestSupport.write(Self.sweep("  d: [16, 64, 256]\n  seed: [1, 2]"), to: nb)
        let r = try build(dir, ["build"])
        // `d is at least 64` fails for d = 16, and every set must keep it.
        #expect(r.status == ExitStatus.notebookFailed.rawValue, "\(r.output)")
        let sets = (r.report?.notebooks ?? []).compactMap(\.set)
        #expect(sets == ["d=16,seed=1", "d=16,seed=2", "d=64,seed=1", "d=64,seed=2", "d=256,seed=1", "d=256,seed=2"])
        for s in sets { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/noise/\(s).html").path), "no page for \(s)") }
        #expect(r.output.contains("notebooks/noise.md:19: error: claim failed: d is at least 64 (the condition was false) [set d=16,seed=1]"), "\(r.output)")
        let summary = read(dir, "site/noise.html")
        #expect(summary.contains("d is at least 64 — in 4 of 6 sets"))
        #expect(summary.contains("<td><a href=\"noise/d=16,seed=1.html\">1</a></td><td>16</td><td>1</td><td class=\"pass\">holds</td><td class=\"fail\">fails</td></tr>"), "\(summary)")
        #expect(summary.contains("noise norm against d"))
        #expect(summary.contains("<svg"))
        // The summary is what the index and navigation list; the sets are reached from it.
        let index = read(dir, "site/index.html")
        #expect(index.contains("href=\"noise.html\"") && !index.contains("href=\"noise/d=16"))
        #expect(read(dir, "site/noise/d=64,seed=1.html").contains("Set 3 of 6 of <a href=\"../noise.html\">the sweep</a>"))

        // A share of the sets is enough when the notebook says so: the failures are warnings.
        TestSupport.write(Self.sweep("  d: [16, 64, 256]\n  seed: [1, 2]", policy: "0.6"), to: nb)
        let share = try build(dir, ["check", "--junit", dir.appendingPathComponent("j.xml").path])
        #expect(share.status == 0, "\(share.output)")
        #expect(share.output.contains("warning: claim failed: d is at least 64"))
        let junit = read(dir, "j.xml")
        #expect(junit.contains("<testcase classname=\"notebooks/noise.md [d=256,seed=2]\" name=\"line 18: the noise norm is about √n\"/>"), "\(junit)")
        #expect(junit.contains("<testsuite name=\"notebooks/noise.md [d=16,seed=1]\""))
        #expect(junit.contains("<skipped"))

        // A seventh set: only it runs; the six are cached.
        TestSupport.write(Self.sweep("  d: [16, 64, 256]\n  seed: [1, 2]", policy: "0.6")
            .replacingOccurrences(of: "  d: [16, 64, 256]\n  seed: [1, 2]", with: "  - {d: 16, seed: 1}\n  - {d: 16, seed: 2}\n  - {d: 64, seed: 1}\n  - {d: 64, seed: 2}\n  - {d: 256, seed: 1}\n  - {d: 256, seed: 2}\n  - {d: 1024, seed: 3}"), to: nb)
        let seven = try build(dir, ["build"])
        #expect(seven.status == 0, "\(seven.output)")
        let ran = (seven.report?.notebooks ?? []).filter(\.executed).compactMap(\.set)
        #expect(ran == ["d=1024,seed=3"], "\(ran)")
        #expect(read(dir, "site/noise.html").contains("in 7 of 7 sets"))
    }

    @Test func badSweepsAreErrorsAndNothingIsWritten() throws {
        let dir = TestSupport.temporaryDirectory("sweep-bad")
        let nb = dir.appendingPathComponent("notebooks/noise.md")
        for (sets, message) in [("  width: [1, 2]", "notebooks/noise.md:7: error: sweep: `width` is not a parameter; declare it under `params:`"),
                                ("  - 16", "notebooks/noise.md:7: error: sweep: each set is a mapping such as `{d: 16, seed: 1}`"),
                                ("  d: [16, x]", "notebooks/noise.md:7: error: sweep: a value of `d` is not an Int"),
                                ("  d: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]\n  seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]",
                                 "notebooks/noise.md:6: error: parse: the sweep has 1024 sets, more than --max-sets 1000")] {
            TestSupport.write(Self.sweep(sets), to: nb)
            let r = try build(dir, ["build"])
            #expect(r.status == ExitStatus.couldNotBuild.rawValue, "\(r.output)")
            #expect(r.output.contains(message), "\(r.output)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))
        }
    }
}
