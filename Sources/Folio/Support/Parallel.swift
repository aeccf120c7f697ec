import Foundation

/// Order-preserving parallel map over at most `jobs` threads (`--jobs`).
enum Parallel {
    /// Work queue and results, shared by the worker threads under one lock.
    private final class Shared<R>: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var results: [R?]
        init(count: Int) { results = [R?](repeating: nil, count: count) }

        func take() -> Int {
            lock.lock(); defer { lock.unlock() }
            next += 1
            return next - 1
        }
        func store(_ r: R, at i: Int) {
            lock.lock(); defer { lock.unlock() }
            results[i] = r
        }
    }

    static func map<T, R>(_ items: [T], jobs: Int, _ transform: @escaping (T) -> R) -> [R] {
        let workers = max(1, min(jobs, items.count))
        if workers <= 1 { return items.map(transform) }
        let shared = Shared<R>(count: items.count)
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            // Threads, not Dispatch: workers block on child processes for seconds at a time.
            let thread = Thread {
                while case let i = shared.take(), i < items.count {
                    shared.store(transform(items[i]), at: i)
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return shared.results.map { $0! }
    }

    /// The ready items and results of `map(_:after:)`, under one condition lock.
    private final class Queue<R>: @unchecked Sendable {
        let condition = NSCondition()
        var results: [Int: R] = [:]
        var waiting: [Int]
        var ready: [Int]
        var dependents: [[Int]]
        init(_ count: Int, _ after: [[Int]]) {
            waiting = after.map(\.count)
            dependents = Array(repeating: [], count: count)
            for (i, deps) in after.enumerated() { for d in deps { dependents[d].append(i) } }
            ready = (0..<count).filter { after[$0].isEmpty }.reversed()
        }
    }

    /// Like `map`, but item `i` starts only once every item of `after[i]` is done; `transform`
    /// gets the results so far (those of `after[i]` among them). `after` must have no cycle.
    static func map<R>(_ count: Int, after: [[Int]], jobs: Int, _ transform: @escaping (Int, [Int: R]) -> R) -> [R] {
        let queue = Queue<R>(count, after)
        let workers = max(1, min(jobs, count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while true {
                    queue.condition.lock()
                    while queue.ready.isEmpty && queue.results.count < count { queue.condition.wait() }
                    guard let i = queue.ready.popLast() else { queue.condition.unlock(); break }
                    let done = queue.results
                    queue.condition.unlock()
                    let r = transform(i, done)
                    queue.condition.lock()
                    queue.results[i] = r
                    for d in queue.dependents[i] {
                        queue.waiting[d] -= 1
                        if queue.waiting[d] == 0 { queue.ready.insert(d, at: 0) }
                    }
                    queue.condition.broadcast()
                    queue.condition.unlock()
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return (0..<count).map { queue.results[$0]! }
    }
}
