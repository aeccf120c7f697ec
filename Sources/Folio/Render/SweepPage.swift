import Foundation
import Plots

/// A swept notebook's summary page (`x.html`): which claims held in which parameter sets, each
/// set's page, and every recorded value plotted against the swept parameter.
extension PageRenderer {
    public func renderSweep(_ summaryRun: ExecutedNotebook) -> Page {
        guard summaryRun.sweep != nil else { return render(summaryRun) }
        let nb = summaryRun.notebook
        let html = theme.notebookPage(title: nb.title, description: nb.frontMatter.description, root: Self.rootPrefix(nb.pagePath), hasMath: false,
                                      current: nb.pagePath, body: sweepArticle(summaryRun), headings: [])
        return Page(path: nb.pagePath, html: html)
    }

    /// The summary's content: the claims over the sets, the table of sets, the recorded values.
    public func sweepArticle(_ summaryRun: ExecutedNotebook) -> String {
        guard let summary = summaryRun.sweep else { return article(summaryRun, references: true, printed: false) }
        let nb = summaryRun.notebook
        let folder = (nb.pagePath as NSString).deletingPathExtension.split(separator: "/").last.map(String.init) ?? ""
        let runs = summary.runs
        let swept = Self.sweptNames(runs)
        // The notebook's own `# Title` is in its blocks, which this page does not show: title it here.
        var titled = summaryRun
        titled.notebook.headings = []
        var body = theme.titleBlock(titled)
        body += theme.sweepIntroduction(sets: runs.count, parameters: swept, policy: summary.policy.description)

        // The claims, taken over the sets.
        let tally = summary.tally
        body += theme.sweepHeading(id: "claims", title: "Claims over the sets")
        for c in summary.claims {
            let (held, made) = tally[c.line] ?? (0, 0)
            var shown = c
            shown.text = "\(c.text) — in \(held) of \(runs.count) sets\(made < runs.count ? " (made in \(made))" : "")"
            shown.detail = c.passed ? nil : "required: \(summary.policy.description)"
            body += theme.output(.claim(shown))
        }

        // One row per set: its values, its claims, its page.
        let lines = summary.claims.map(\.line)
        body += theme.sweepHeading(id: "sets", title: "The sets")
        let rows = runs.compactMap { run -> Theme.SweepRow? in
            guard let set = run.notebook.sweepSet else { return nil }
            let claims = Dictionary(run.cells.flatMap { $0.outputs.compactMap(\.claim) }.map { ($0.line, $0.passed) }, uniquingKeysWith: { a, b in a && b })
            return Theme.SweepRow(number: set.index + 1, page: folder + "/" + ((run.notebook.pagePath as NSString).lastPathComponent),
                                  values: swept.map { name in set.assignments.first { $0.name == name }?.value.display ?? "" },
                                  claims: lines.map { claims[$0] })
        }
        body += theme.sweepTable(parameters: swept, claimLines: lines, rows: rows)

        // Every set's figures and tables, one set at a time, chosen by the parameters' controls.
        let (controls, sets) = explorer(runs, swept: swept, folder: folder)
        if !sets.isEmpty {
            body += theme.sweepHeading(id: "explore", title: "Explore the sets")
            body += theme.sweepExplorer(controls: controls, sets: sets)
        }

        // Recorded values against the first numeric swept parameter, one series per other combination.
        for (name, figure) in Self.recordedFigures(runs, swept: swept) {
            body += theme.sweepHeading(id: "recorded-" + CMarkDocument.slug(name), title: name)
            body += theme.output(.svg(figure))
        }
        return body
    }

    /// The parameters whose value differs between sets, in the order the first set names them.
    /// The explorer's controls (a parameter's values in order: numbers ascending) and each set's
    /// outputs of the notebook's labelled figures and tables (`fig-`/`tbl-` cells), captioned
    /// as on its own page, then its claims with their outcomes in that set. The copies carry no ids of their own: a label is the set page's, and
    /// each set's plots get clip ids of their own (two sets may draw the very same figure).
    func explorer(_ runs: [ExecutedNotebook], swept: [String], folder: String) -> ([Theme.ExplorerControl], [Theme.ExplorerSet]) {
        let shown = runs.first?.notebook.cells.filter { cell in
            cell.options.label.flatMap(LabelKind.init(label:)).map { $0 == .figure || $0 == .table } ?? false
        } ?? []
        let claims = runs.contains { run in run.cells.contains { $0.outputs.contains { $0.kind == .claim } } }
        guard !shown.isEmpty || claims, !swept.isEmpty else { return ([], []) }
        let controls = swept.map { name -> Theme.ExplorerControl in
            let values = runs.compactMap { $0.notebook.sweepSet?.assignments.first { $0.name == name }?.value }
            var seen = Set<String>()
            let distinct = values.filter { seen.insert($0.display).inserted }
            let numeric = distinct.allSatisfy { $0.number != nil }
            let ordered = numeric ? distinct.sorted { $0.number! < $1.number! } : distinct
            return Theme.ExplorerControl(name: name, numeric: numeric, values: ordered.map(\.display))
        }
        let sets = runs.compactMap { run -> Theme.ExplorerSet? in
            guard let set = run.notebook.sweepSet else { return nil }
            var values: [String: String] = [:]
            for a in set.assignments where swept.contains(a.name) { values[a.name] = a.value.display }
            let key = swept.map { name in
                let v = values[name] ?? ""
                return name + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? v)
            }.joined(separator: "&")
            let numbers = context.book.numbering(of: run.notebook)
            var html = ""
            for cell in shown where cell.index < run.cells.count {
                var outputs = ""
                for o in run.cells[cell.index].outputs where o.kind != .recorded && o.kind != .exported { outputs += theme.output(o) }
                html += captioned(theme.embeddedCell(outputs: outputs), cell, numbers: numbers, id: false)
            }
            // And what the set claimed, with its outcome there.
            for claim in run.cells.flatMap({ $0.outputs.compactMap(\.claim) }) { html += theme.output(.claim(claim)) }
            // Clip ids, unique to this set's copy.
            html = html.replacingOccurrences(of: "id=\"fpclip", with: "id=\"fpclip\(set.index)-")
                .replacingOccurrences(of: "url(#fpclip", with: "url(#fpclip\(set.index)-")
            return Theme.ExplorerSet(number: set.index + 1, key: key, values: values,
                                     page: folder + "/" + ((run.notebook.pagePath as NSString).lastPathComponent), html: html)
        }
        return (controls, sets)
    }

    static func sweptNames(_ runs: [ExecutedNotebook]) -> [String] {
        runs.first?.notebook.sweepSet?.assignments.map(\.name) ?? []
    }

    /// `record(name, value)` outputs as figures against a numeric swept parameter.
    static func recordedFigures(_ runs: [ExecutedNotebook], swept: [String]) -> [(String, String)] {
        var names: [String] = []
        var values: [[String: Double]] = []
        for run in runs {
            var mine: [String: Double] = [:]
            for case .recorded(let name, let value) in run.cells.flatMap(\.outputs) where mine[name] == nil {
                mine[name] = value
                if !names.contains(name) { names.append(name) }
            }
            values.append(mine)
        }
        guard !names.isEmpty else { return [] }
        let sets = runs.compactMap(\.notebook.sweepSet)
        // x: the numeric swept parameter with the most distinct values (the first of equals).
        let numeric = swept.filter { n in sets.allSatisfy { $0.assignments.first { $0.name == n }?.value.number != nil } }
        func distinct(_ n: String) -> Int { Set(sets.compactMap { $0.assignments.first { $0.name == n }?.value.number }).count }
        guard let xName = numeric.max(by: { distinct($0) < distinct($1) || (distinct($0) == distinct($1) && numeric.firstIndex(of: $0)! > numeric.firstIndex(of: $1)!) }) else { return [] }
        let others = swept.filter { $0 != xName }
        return names.map { name in
            // Series: sets that agree on every other swept parameter.
            var series: [(String, [(Double, Double)])] = []
            for (set, v) in zip(sets, values) {
                guard let x = set.assignments.first(where: { $0.name == xName })?.value.number, let y = v[name] else { continue }
                let label = others.map { o in "\(o)=\(set.assignments.first { $0.name == o }?.value.display ?? "")" }.joined(separator: ", ")
                if let i = series.firstIndex(where: { $0.0 == label }) { series[i].1.append((x, y)) } else { series.append((label, [(x, y)])) }
            }
            let figure = Figure(title: "\(name) against \(xName)") {
                for (label, points) in series {
                    let sorted = points.sorted { $0.0 < $1.0 }
                    // One category per series: its line, its points and its legend entry share one style.
                    let category = label.isEmpty ? name : label
                    Line(x: sorted.map(\.0), y: sorted.map(\.1), series: category)
                    Scatter(x: sorted.map(\.0), y: sorted.map(\.1), series: category)
                }
            }.xLabel(xName).yLabel(name)
            return (name, figure.svg)
        }
    }
}
