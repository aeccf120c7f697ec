import Dispatch
import Foundation

/// exp over arrays without a libm call per element, so the compiler can vectorise the loop.
///
/// x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite: ln2 split in two so r is exact to ~2⁻¹⁰⁰), eʳ by a
/// degree-13 Taylor polynomial in Horner form (truncation error < 10⁻¹⁷), and 2ᵏ assembled in the
/// exponent bits. k comes from the 1.5·2⁵² rounding trick rather than a float→int conversion, which
/// SSE2 cannot vectorise. Inputs outside [−708, 709] take the libm path afterwards (NaN
/// passes through the clamp as NaN), so
/// overflow, underflow to subnormals and NaN behave exactly as `Foundation.exp`.
/// Accuracy: within 2 ulp of libm over the finite range (tested).
enum VectorExp {
    static let parallelThreshold = 1 << 17

    static func exp(_ a: [Double]) -> [Double] {
        let n = a.count
        return [Double](unsafeUninitializedCapacity: n) { out, count in
            HugePages.advise(out)
            a.withUnsafeBufferPointer { src in
                let chunks = n >= parallelThreshold ? ProcessInfo.processInfo.activeProcessorCount : 1
                if chunks <= 1 {
                    kernel(src.baseAddress!, out.baseAddress!, 0, n)
                } else {
                    let size = (n + chunks - 1) / chunks
                    let s = UnsafeSendable(src: src.baseAddress!, dst: out.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        kernel(s.src, s.dst, c * size, min(n, (c + 1) * size))
                    }
                }
            }
            count = n
        }
    }

    struct UnsafeSendable: @unchecked Sendable {
        let src: UnsafePointer<Double>
        let dst: UnsafeMutablePointer<Double>
    }

    @inline(__always)
    static func kernel(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ lo: Int, _ hi: Int) {
        guard lo < hi else { return }
        let log2e = 1.4426950408889634
        let ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10
        let shifter = 6755399441055744.0  // 1.5·2⁵²
        for i in lo..<hi {
            let x = src[i]
            // A ternary clamp, not min/max: it vectorises, and NaN passes through as NaN.
            let xc = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x)
            let t = xc * log2e + shifter
            let k = t - shifter
            let r = (xc - k * ln2hi) - k * ln2lo
            var p = 1.6059043836821613e-10        // 1/13!
            p = p * r + 2.08767569878681e-09      // 1/12!
            p = p * r + 2.505210838544172e-08     // 1/11!
            p = p * r + 2.755731922398589e-07     // 1/10!
            p = p * r + 2.7557319223985893e-06    // 1/9!
            p = p * r + 2.48015873015873e-05      // 1/8!
            p = p * r + 0.0001984126984126984     // 1/7!
            p = p * r + 0.001388888888888889      // 1/6!
            p = p * r + 0.008333333333333333      // 1/5!
            p = p * r + 0.041666666666666664      // 1/4!
            p = p * r + 0.16666666666666666       // 1/3!
            p = p * r + 0.5
            p = p * r + 1.0
            p = p * r + 1.0
            let scale = Double(bitPattern: (t.bitPattern &+ 1023) << 52)
            dst[i] = p * scale
        }
        var outside = 0
        for i in lo..<hi { outside &+= src[i] < -708.0 || src[i] > 709.0 ? 1 : 0 }
        if outside > 0 {
            for i in lo..<hi where !(src[i] >= -708.0 && src[i] <= 709.0) { dst[i] = Foundation.exp(src[i]) }
        }
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
