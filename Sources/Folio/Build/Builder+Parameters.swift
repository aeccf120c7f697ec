import Foundation

/// A parameter value given from outside a notebook: `-P NAME=VALUE`, or a profile's `params:`.
public struct ParameterOverride: Sendable, Equatable {
    public var name: String
    public var value: String
    /// Where it was given, for messages (`-P`, `folio.yml`).
    public var source: String

    public init(name: String, value: String, source: String) {
        self.name = name
        self.value = value
        self.source = source
    }

    /// `d=128` → name `d`, value `128`.
    public static func parse(_ text: String, source: String = "-P") -> ParameterOverride? {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { return nil }
        return ParameterOverride(name: String(text[..<eq]).trimmingCharacters(in: .whitespaces),
                                 value: String(text[text.index(after: eq)...]), source: source)
    }
}

/// The summary of a swept notebook: its sets' runs, and each claim taken over all of them.
public struct SweepSummary: Codable, Sendable {
    /// The runs, one per set, in the sweep's order.
    public var runs: [ExecutedNotebook]
    public var policy: ClaimPolicy
    /// Each claim (by its line) with how many sets it held in; `passed` says whether the policy holds.
    public var claims: [Claim]
    /// How many sets each claim line held in, and was made in.
    public var tally: [Int: (held: Int, made: Int)] {
        var t: [Int: (Int, Int)] = [:]
        for run in runs {
            for c in run.cells.flatMap({ $0.outputs.compactMap(\.claim) }) {
                let (h, m) = t[c.line] ?? (0, 0)
                t[c.line] = (h + (c.passed ? 1 : 0), m + 1)
            }
        }
        return t
    }

    enum CodingKeys: String, CodingKey { case runs, policy, claims }
}

extension Builder {
    /// Sets overridden parameters (`-P`, then the profile's, which `-P` beats) and expands sweeps
    /// into one notebook per set (page `x/SET.html`). Every problem is an error before anything runs.
    func applyParameters(_ state: inout BuildState) throws {
        let overrides = options.parameters + options.projectParameters
        var used = Set<String>()
        var expanded: [Notebook] = []
        for var nb in state.notebooks {
            for o in overrides {
                guard let i = nb.frontMatter.params.firstIndex(where: { $0.name == o.name }) else { continue }
                used.insert(o.name)
                if let sweep = nb.frontMatter.sweep, sweep.sets.contains(where: { $0.contains { $0.name == o.name } }) {
                    throw FolioError(file: nb.path, line: sweep.line, "parameter `\(o.name)` is swept here, so \(o.source) cannot set it")
                }
                do {
                    nb.frontMatter.params[i] = try nb.frontMatter.params[i].parsing(o.value)
                } catch let e as ParameterError {
                    throw FolioError(file: nb.path, line: nb.frontMatter.params[i].line, "\(o.source): \(e.message)")
                }
            }
            guard let sweep = nb.frontMatter.sweep else { expanded.append(nb); continue }
            guard sweep.sets.count <= options.maxSets else {
                throw FolioError(file: nb.path, line: sweep.line,
                                 "the sweep has \(sweep.sets.count) sets, more than --max-sets \(options.maxSets); raise it with --max-sets if that many are meant")
            }
            let base = nb.relativePath.hasSuffix(".md") ? String(nb.relativePath.dropLast(3)) : nb.relativePath
            for (k, set) in sweep.sets.enumerated() {
                var one = nb
                for a in set {
                    if let i = one.frontMatter.params.firstIndex(where: { $0.name == a.name }) { one.frontMatter.params[i].value = a.value }
                }
                one.sweepSet = SweepSet(index: k, count: sweep.sets.count, assignments: set)
                one.relativePath = base + "/" + Self.fileName(Sweep.label(set)) + ".md"
                expanded.append(one)
            }
        }
        for o in options.parameters where !used.contains(o.name) {
            throw FolioError(file: o.source, "unknown parameter `\(o.name)`: no notebook being built declares it under `params:`")
        }
        state.notebooks = expanded
    }

    /// A set's label as a file name: `/` and other path characters become `_`.
    static func fileName(_ label: String) -> String {
        String(label.map { "/\\:?*\"<>|#%".contains($0) ? "_" : $0 })
    }

    /// Each swept notebook's sets taken together: a claim must hold in every set, or in the share
    /// `claims:` names. Where the share holds, the sets' failed claims are warnings, not failures.
    func summarizeSweeps(_ state: inout BuildState) {
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, run) in state.runs.enumerated() where run.notebook.sweepSet != nil {
            if groups[run.notebook.path] == nil { order.append(run.notebook.path) }
            groups[run.notebook.path, default: []].append(i)
        }
        state.summaries = []
        for path in order {
            let indices = groups[path]!
            let runs = indices.map { state.runs[$0] }
            let policy = runs[0].notebook.frontMatter.claims
            var summary = SweepSummary(runs: runs, policy: policy, claims: [])
            let tally = summary.tally
            var texts: [Int: String] = [:]
            for run in runs { for c in run.cells.flatMap({ $0.outputs.compactMap(\.claim) }) where texts[c.line] == nil { texts[c.line] = c.text } }
            summary.claims = tally.keys.sorted().map { line in
                let (held, made) = tally[line]!
                let all = runs.count
                return Claim(text: texts[line] ?? "", passed: made == all && policy.holds(held, of: all),
                             detail: "holds in \(held) of \(all) sets; required: \(policy.description)", line: line)
            }
            // A claim whose share holds does not fail the sets it failed in.
            let kept = Set(summary.claims.filter(\.passed).map(\.line))
            if case .fraction = policy {
                for i in indices {
                    for d in state.runs[i].diagnostics.indices where state.runs[i].diagnostics[d].kind == .claimFailed && kept.contains(state.runs[i].diagnostics[d].line) {
                        state.runs[i].diagnostics[d].severity = .warning
                    }
                }
                summary.runs = indices.map { state.runs[$0] }
            }
            var base = runs[0].notebook
            base.relativePath = (base.relativePath as NSString).deletingLastPathComponent + ".md"
            base.sweepSet = nil
            var page = ExecutedNotebook(notebook: base, cells: [], diagnostics: [], executed: runs.contains(where: \.executed),
                                        seconds: runs.reduce(0) { $0 + $1.seconds })
            page.sweep = summary
            state.summaries.append(page)
        }
    }
}
