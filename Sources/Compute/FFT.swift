import Foundation

/// In-place iterative radix-2 complex FFT (length a power of two), the engine of the fast
/// Chebyshev transforms. Twiddles come from one table of cosines and sines per call.
enum FFT {
    static func transform(_ re: inout [Double], _ im: inout [Double], inverse: Bool = false) {
        let n = re.count
        precondition(n & (n - 1) == 0, "FFT length must be a power of two")
        guard n > 1 else { return }
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        let sign = inverse ? 1.0 : -1.0
        var cosT = [Double](repeating: 0, count: n / 2), sinT = cosT
        for k in 0..<n / 2 {
            cosT[k] = Foundation.cos(2 * Double.pi * Double(k) / Double(n))
            sinT[k] = sign * Foundation.sin(2 * Double.pi * Double(k) / Double(n))
        }
        var len = 2
        while len <= n {
            let half = len / 2, step = n / len
            var start = 0
            while start < n {
                for k in 0..<half {
                    let wr = cosT[k * step], wi = sinT[k * step]
                    let a = start + k, b = a + half
                    let tr = re[b] * wr - im[b] * wi
                    let ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
                start += len
            }
            len <<= 1
        }
    }
}
