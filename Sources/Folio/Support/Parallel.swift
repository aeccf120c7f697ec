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
}
