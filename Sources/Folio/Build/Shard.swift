import Foundation

/// `--shard I/N`: this machine's share of a build's notebooks. Every shard computes the same
/// split from the same inputs: the notebooks' last known run times (`.folio/times.json`, which a
/// CI cache restores alike for every job), greedily balanced, longest first; a notebook without a
/// known time weighs the median of the known ones; with none known, a stable hash of its name
/// picks its shard.
public struct Shard: Sendable, Equatable {
    /// 1-based.
    public var index: Int
    public var count: Int

    /// `2/4` → index 2 of 4.
    public static func parse(_ text: String) -> Shard? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        return Shard(index: i, count: n)
    }

    /// Which of `names` are this shard's.
    func share(of names: [String], times: [String: Double]) -> [Bool] {
        Self.assign(names, times: times, count: count).map { $0 == index - 1 }
    }

    /// The shard (0-based) of each name.
    static func assign(_ names: [String], times: [String: Double], count: Int) -> [Int] {
        let known = names.compactMap { times[$0] }.sorted()
        guard !known.isEmpty else { return names.map { Int(SwiftExecutor.seed(for: $0) % UInt64(count)) } }
        let median = known[known.count / 2]
        let order = names.indices.sorted { a, b in
            let wa = times[names[a]] ?? median, wb = times[names[b]] ?? median
            return wa != wb ? wa > wb : names[a] < names[b]
        }
        var load = [Double](repeating: 0, count: count)
        var result = [Int](repeating: 0, count: names.count)
        for i in order {
            let target = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            result[i] = target
            load[target] += times[names[i]] ?? median
        }
        return result
    }

    /// This shard's notebooks: its share of those with code, with the notebooks they import
    /// from, and the graph over them (the same edges, over the share's indices).
    func select(_ notebooks: [Notebook], graph: NotebookGraph?, times: [String: Double]) -> ([Notebook], NotebookGraph?) {
        let coded = notebooks.map(\.hasCode)
        var mine = share(of: notebooks.filter(\.hasCode).map(\.runName), times: times).makeIterator()
        var chosen = coded.map { $0 ? mine.next()! : false }
        chosen = graph?.closure(of: chosen) ?? chosen
        let selected = zip(notebooks, chosen).filter(\.1).map(\.0)
        return (selected, try? NotebookGraph(selected))
    }

    static func knownTimes(in state: StateDirectory) -> [String: Double] {
        (try? JSONDecoder().decode([String: Double].self, from: Data(contentsOf: state.runTimes))) ?? [:]
    }

    /// Remembers how long each notebook took to run (cached ones keep their first run's time).
    static func remember(_ runs: [ExecutedNotebook], in state: StateDirectory) {
        guard !runs.isEmpty else { return }
        var times = knownTimes(in: state)
        for r in runs { times[r.notebook.runName] = (r.seconds * 100).rounded() / 100 }
        if let data = try? JSONEncoder().encode(times) { try? AtomicFile.write(data, to: state.runTimes) }
    }
}
