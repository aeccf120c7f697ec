// Hot loops of Compute that need the CPU's widest vectors. Swift compiles for baseline x86-64
// (SSE2, two doubles per instruction); these kernels are compiled for AVX-512 and AVX2+FMA as
// well and pick the best the running CPU supports on first use, as numpy's do.
#ifndef FOLIO_COMPUTE_KERNELS_H
#define FOLIO_COMPUTE_KERNELS_H

#include <stddef.h>

/// out[i] = exp(in[i]) for i < n, within 2 ulp of libm; overflow, underflow and NaN as libm.
void folio_exp(const double *in, double *out, size_t n);

/// The sum of in[0..<n] with 32 partial sums (vectorised, and more accurate than one running sum).
/// Every instruction set gives the same bits for the same input.
double folio_sum(const double *in, size_t n);

/// Name of the instruction set the kernels use on this CPU: "avx512", "avx2" or "baseline".
const char *folio_kernel_isa(void);

/// Makes the kernels use "avx512", "avx2" or "baseline" (for tests that compare the paths), or the
/// best the CPU has for any other name. Returns 0, changing nothing, when the CPU lacks it.
int folio_kernels_use(const char *isa);

#endif
