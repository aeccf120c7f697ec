import ComputeKernels
import Dispatch
import Foundation

/// Splits large elementwise work over the cores, each chunk handed to a C kernel from
/// `ComputeKernels` (AVX-512, AVX2+FMA or baseline, chosen for the running CPU).
enum VectorKernels {
    /// Below this many elements one thread is faster than waking another.
    static let parallelThreshold = 1 << 17

    /// exp of every element (ComputeKernels' `folio_exp`: within 2 ulp of libm, libm's
    /// overflow, underflow and NaN).
    static func exp(_ a: [Double]) -> [Double] {
        let n = a.count
        return [Double](unsafeUninitializedCapacity: n) { out, count in
            HugePages.advise(out)
            a.withUnsafeBufferPointer { src in
                guard let source = src.baseAddress, let target = out.baseAddress else { return }
                forEachChunk(n, parallel: n >= parallelThreshold) { lo, hi in folio_exp(source + lo, target + lo, hi - lo) }
            }
            count = n
        }
    }

    /// Elements per block of a sum: blocks are summed on all cores, then their sums in order.
    static let sumBlock = 1 << 16

    /// Sum of the elements. Blocks of a fixed size, not one per core, so the result depends only on
    /// the input: the same bits on every machine (`folio_sum` is the same on every instruction set).
    static func sum(_ p: UnsafeBufferPointer<Double>) -> Double {
        guard let base = p.baseAddress else { return 0 }
        let n = p.count
        guard n > sumBlock else { return folio_sum(base, n) }
        let blocks = (n + sumBlock - 1) / sumBlock
        let partial = [Double](unsafeUninitializedCapacity: blocks) { out, count in
            let target = UncheckedSendable(out)
            forEachChunk(blocks, parallel: n >= parallelThreshold) { lo, hi in
                for b in lo..<hi { target.value[b] = folio_sum(base + b * sumBlock, min(n, (b + 1) * sumBlock) - b * sumBlock) }
            }
            count = blocks
        }
        return partial.withUnsafeBufferPointer { folio_sum($0.baseAddress!, blocks) }
    }

    /// Calls `body(lo, hi)` for consecutive ranges covering 0..<n, one per core when `parallel`.
    static func forEachChunk(_ n: Int, parallel: Bool, _ body: (Int, Int) -> Void) {
        let chunks = parallel ? min(n, max(1, ProcessInfo.processInfo.activeProcessorCount)) : 1
        guard chunks > 1 else { return body(0, n) }
        let size = (n + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * size
                if lo < n { shared.value(lo, min(n, lo + size)) }
            }
        }
    }

    struct UncheckedSendable<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
}

/// A new array of `n` elements filled by `next()` in order, on huge pages when large.
@inline(__always)
func freshArray(_ n: Int, _ next: () -> Double) -> [Double] {
    [Double](unsafeUninitializedCapacity: n) { out, count in
        HugePages.advise(out)
        for i in 0..<n { out[i] = next() }
        count = n
    }
}

/// Large fresh arrays spend much of their first write in page faults (80 MB is ~20 000 of them).
/// Asking for transparent huge pages on the untouched buffer, as numpy does for big arrays, cuts
/// that by up to 512×. Harmless where THP is off.
enum HugePages {
    static let threshold = 4 << 20
    static func advise(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard let base = buffer.baseAddress, buffer.count * 8 >= threshold else { return }
        let start = UInt(bitPattern: base), end = start + UInt(buffer.count * 8)
        let huge: UInt = 2 << 20
        let first = (start + huge - 1) & ~(huge - 1), last = end & ~(huge - 1)
        if last > first, let p = UnsafeMutableRawPointer(bitPattern: first) {
            _ = madvise(p, Int(last - first), 14 /* MADV_HUGEPAGE */)
        }
    }
}
