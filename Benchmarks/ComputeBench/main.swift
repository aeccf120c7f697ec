// Times Compute's kernels the way Benchmarks/compute_numpy.py times numpy's, and prints one line
// per kernel: `name seconds`. Each kernel runs once to warm up, then the best of `repeats` runs.
import Compute
import Foundation

func best(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    var bestTime = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        bestTime = min(bestTime, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return bestTime
}

var rng = Random(seed: 1)
var sink = 0.0
func report(_ name: String, _ seconds: Double) { print(name, String(format: "%.6f", seconds)) }

for n in [1024, 2048] {
    let a = rng.normalMatrix(n, n), b = rng.normalMatrix(n, n)
    report("matmul\(n)", best(n == 1024 ? 10 : 5) { sink += (a * b)[0, 0] })
}
let m = rng.normalMatrix(1024, 1024)
let sym = m + m.transposed
let rhs = rng.normalVector(1024)
report("svd1024", best(4) { sink += (try! m.svd()).S[0] })
report("eigh1024", best(4) { sink += (try! sym.symmetricEigen()).values[0] })
report("solve1024", best(10) { sink += (try! m.solve(rhs))[0] })
let big = rng.uniformVector(10_000_000, -1, 1)
report("exp1e7", best(10) { sink += exp(big)[0] })
report("sum1e7", best(10) { sink += big.sum })
if sink == 42 { print("") }
