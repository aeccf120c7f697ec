"""numpy side of the Compute benchmark: same kernels, same sizes, best of N after a warm-up."""
import time
import numpy as np

def best(repeats, fn):
    fn()
    t = float("inf")
    for _ in range(repeats):
        s = time.perf_counter(); fn(); t = min(t, time.perf_counter() - s)
    return t

rng = np.random.default_rng(1)
for n in (1024, 2048):
    a = rng.standard_normal((n, n)); b = rng.standard_normal((n, n))
    print(f"matmul{n} {best(10 if n == 1024 else 5, lambda: a @ b):.6f}")
m = rng.standard_normal((1024, 1024)); sym = m + m.T; rhs = rng.standard_normal(1024)
print(f"svd1024 {best(4, lambda: np.linalg.svd(m)):.6f}")
print(f"eigh1024 {best(4, lambda: np.linalg.eigh(sym)):.6f}")
print(f"solve1024 {best(10, lambda: np.linalg.solve(m, rhs)):.6f}")
big = rng.uniform(-1, 1, 10_000_000)
print(f"exp1e7 {best(10, lambda: np.exp(big)):.6f}")
print(f"sum1e7 {best(10, lambda: big.sum()):.6f}")
