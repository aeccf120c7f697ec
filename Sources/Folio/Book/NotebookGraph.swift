import Foundation

/// Which of the build's notebooks need which: a notebook that imports another's values runs after
/// it (and is keyed on those values); one that embeds another's output shows that run's outputs.
/// Both kinds of edge must be free of cycles; the build runs notebooks in the import order, in
/// parallel where the graph allows.
struct NotebookGraph {
    /// One edge: `from` needs `to`, because of the import or embed at `line` of `from`.
    struct Edge {
        enum Kind { case imports, embeds }
        var kind: Kind
        var from: Int
        var to: Int
        var line: Int
    }

    /// For each notebook (by its index in the build), the notebooks whose values it imports.
    private(set) var imports: [[Int]]
    /// Problems of single notebooks, by index: a notebook outside the build, an embed of a label
    /// that does not exist, values from a swept notebook.
    private(set) var diagnostics: [Int: [Diagnostic]] = [:]

    /// The paths an import or embed names that are not among `notebooks` (for the build to add
    /// from its project before building the graph).
    static func missing(_ notebooks: [Notebook]) -> [String] {
        let present = Set(notebooks.map { RunLibrary.key($0) })
        var wanted: [String] = []
        for nb in notebooks {
            for target in nb.imports.map(\.notebook) + nb.embeds.map(\.notebook) {
                let path = RunLibrary.resolve(target, from: nb)
                if !present.contains(path) && !wanted.contains(path) { wanted.append(path) }
            }
        }
        return wanted
    }

    /// The graph of `notebooks`; throws when they depend on each other in a cycle.
    init(_ notebooks: [Notebook]) throws {
        imports = Array(repeating: [], count: notebooks.count)
        var byPath: [String: [Int]] = [:]
        for (i, nb) in notebooks.enumerated() { byPath[RunLibrary.key(nb), default: []].append(i) }
        var edges: [Edge] = []
        for (i, nb) in notebooks.enumerated() {
            func problem(_ line: Int, _ message: String) {
                diagnostics[i, default: []].append(Diagnostic(file: nb.path, line: line, severity: .error, kind: .source, message: message))
            }
            for request in nb.imports {
                guard let targets = byPath[RunLibrary.resolve(request.notebook, from: nb)] else {
                    problem(request.line, "`imported` names \(request.notebook), which is not one of this build's notebooks; add it to the project (or build it with this one)")
                    continue
                }
                guard targets.count == 1 else {
                    problem(request.line, "\(request.notebook) is swept (one run per parameter set), so it has no single value to import; import from a notebook that is not swept")
                    continue
                }
                if targets[0] == i { problem(request.line, "a notebook cannot import its own values; use the variable itself"); continue }
                if !imports[i].contains(targets[0]) { imports[i].append(targets[0]) }
                edges.append(Edge(kind: .imports, from: i, to: targets[0], line: request.line))
            }
            for embed in nb.embeds {
                guard let targets = byPath[RunLibrary.resolve(embed.notebook, from: nb)] else {
                    problem(embed.line, "embed of \(embed.notebook)#\(embed.label): \(embed.notebook) is not one of this build's notebooks; add it to the project (or build it with this one)")
                    continue
                }
                let target = notebooks[targets[0]]
                guard target.cells.contains(where: { $0.options.label == embed.label }) else {
                    problem(embed.line, "embed of \(embed.notebook)#\(embed.label): \(target.path) has no cell labelled `\(embed.label)`; label one with `//| label: \(embed.label)`")
                    continue
                }
                if targets[0] == i { problem(embed.line, "a notebook cannot embed its own output; refer to it with `@\(embed.label)`"); continue }
                edges.append(Edge(kind: .embeds, from: i, to: targets[0], line: embed.line))
            }
        }
        if let cycle = Self.cycle(edges, count: notebooks.count) {
            let names = cycle.map { notebooks[$0.from].path } + [notebooks[cycle[0].from].path]
            let reasons = cycle.map { e in "\(notebooks[e.from].path):\(e.line) \(e.kind == .imports ? "imports from" : "embeds") \(notebooks[e.to].path)" }
            throw FolioError(file: notebooks[cycle[0].from].path, line: cycle[0].line,
                             "notebooks depend on each other in a cycle: \(names.joined(separator: " → ")) (\(reasons.joined(separator: "; "))); one of them must stop importing or embedding the other")
        }
    }

    /// A cycle among `edges` (its edges in order), if there is one: depth-first search.
    static func cycle(_ edges: [Edge], count: Int) -> [Edge]? {
        var out = [[Edge]](repeating: [], count: count)
        for e in edges { out[e.from].append(e) }
        var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 on the path, 2 done
        var path: [Edge] = []
        func visit(_ n: Int) -> [Edge]? {
            state[n] = 1
            for e in out[n] {
                if state[e.to] == 1 {
                    path.append(e)
                    let start = path.firstIndex { $0.from == e.to }!
                    return Array(path[start...])
                }
                if state[e.to] == 0 {
                    path.append(e)
                    if let c = visit(e.to) { return c }
                    path.removeLast()
                }
            }
            state[n] = 2
            return nil
        }
        for n in 0..<count where state[n] == 0 { if let c = visit(n) { return c } }
        return nil
    }

    /// `chosen` and every notebook they import from, transitively (a shard runs its share's
    /// upstream notebooks too, mostly from the cache).
    func closure(of chosen: [Bool]) -> [Bool] {
        var keep = chosen
        var stack = chosen.indices.filter { chosen[$0] }
        while let n = stack.popLast() {
            for m in imports[n] where !keep[m] { keep[m] = true; stack.append(m) }
        }
        return keep
    }
}
