// Vector kernels with run-time dispatch; see include/ComputeKernels.h.
//
// exp: x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite: ln2 split in two so r is exact to ~2⁻¹⁰⁰),
// eʳ by a degree-13 Taylor polynomial (truncation error < 10⁻¹⁷), 2ᵏ put into the exponent bits.
// Lanes outside [−708, 709] (and NaN) are recomputed with libm, so overflow, subnormal results and
// NaN are exactly libm's.
#include "ComputeKernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static const double LOG2E = 1.4426950408889634;
static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double EXP_LO = -708.0, EXP_HI = 709.0;
// 1/13!, 1/12!, …, 1/2!, 1, 1: Horner order.
static const double TAYLOR[14] = {
    1.6059043836821613e-10, 2.08767569878681e-09, 2.505210838544172e-08, 2.755731922398589e-07,
    2.7557319223985893e-06, 2.48015873015873e-05, 0.0001984126984126984, 0.001388888888888889,
    0.008333333333333333, 0.041666666666666664, 0.16666666666666666, 0.5, 1.0, 1.0,
};

// MARK: - Baseline (any x86-64, and the tails of the wide loops)

static double exp_one(double x) {
    if (!(x >= EXP_LO && x <= EXP_HI)) return exp(x);
    double k = nearbyint(x * LOG2E);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p = TAYLOR[0];
    for (int j = 1; j < 14; j++) p = p * r + TAYLOR[j];
    uint64_t bits = (uint64_t)((int64_t)k + 1023) << 52;
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

static void exp_baseline(const double *in, double *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = exp_one(in[i]);
}

// Every sum keeps 32 partial sums, element i of each 32-element block going to partial i % 32,
// adds them in one fixed tree and then the tail in order. The AVX paths hold the same partials in
// vector lanes, so every path returns the same bits for the same input.
enum { PARTIALS = 32 };

static double combine(const double *acc, const double *in, size_t tail) {
    double width[PARTIALS];
    memcpy(width, acc, sizeof width);
    for (int half = PARTIALS / 2; half >= 1; half /= 2)
        for (int j = 0; j < half; j++) width[j] = width[j] + width[j + half];
    double s = width[0];
    for (size_t i = 0; i < tail; i++) s += in[i];
    return s;
}

static double sum_baseline(const double *in, size_t n) {
    double acc[PARTIALS] = {0};
    size_t i = 0;
    for (; i + PARTIALS <= n; i += PARTIALS)
        for (int j = 0; j < PARTIALS; j++) acc[j] += in[i + j];
    return combine(acc, in + i, n - i);
}

// MARK: - AVX2 + FMA: four doubles per instruction

__attribute__((target("avx2,fma")))
static void exp_avx2(const double *in, double *out, size_t n) {
    const __m256d log2e = _mm256_set1_pd(LOG2E), hi = _mm256_set1_pd(LN2_HI), lo = _mm256_set1_pd(LN2_LO);
    const __m256d min = _mm256_set1_pd(EXP_LO), max = _mm256_set1_pd(EXP_HI);
    const __m256d shifter = _mm256_set1_pd(6755399441055744.0);  // 1.5·2⁵²: k lands in the low bits
    const __m256i bias = _mm256_set1_epi64x(1023);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d x = _mm256_loadu_pd(in + i);
        // Lanes outside the range, NaN included (unordered compares are true for NaN).
        int outside = _mm256_movemask_pd(_mm256_or_pd(_mm256_cmp_pd(x, min, _CMP_NGE_UQ), _mm256_cmp_pd(x, max, _CMP_NLE_UQ)));
        __m256d xc = _mm256_min_pd(_mm256_max_pd(x, min), max);
        __m256d t = _mm256_fmadd_pd(xc, log2e, shifter);
        __m256d k = _mm256_sub_pd(t, shifter);
        __m256d r = _mm256_fnmadd_pd(k, lo, _mm256_fnmadd_pd(k, hi, xc));
        __m256d p = _mm256_set1_pd(TAYLOR[0]);
        for (int j = 1; j < 14; j++) p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(TAYLOR[j]));
        __m256i e = _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(t), bias), 52);
        _mm256_storeu_pd(out + i, _mm256_mul_pd(p, _mm256_castsi256_pd(e)));
        if (outside) {
            for (int j = 0; j < 4; j++) if (outside & (1 << j)) out[i + j] = exp(in[i + j]);
        }
    }
    exp_baseline(in + i, out + i, n - i);
}

__attribute__((target("avx2")))
static double sum_avx2(const double *in, size_t n) {
    __m256d a[8];
    for (int r = 0; r < 8; r++) a[r] = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + PARTIALS <= n; i += PARTIALS)
        for (int r = 0; r < 8; r++) a[r] = _mm256_add_pd(a[r], _mm256_loadu_pd(in + i + 4 * r));
    double acc[PARTIALS];
    for (int r = 0; r < 8; r++) _mm256_storeu_pd(acc + 4 * r, a[r]);
    return combine(acc, in + i, n - i);
}

// MARK: - AVX-512: eight doubles per instruction

__attribute__((target("avx512f")))
static void exp_avx512(const double *in, double *out, size_t n) {
    const __m512d log2e = _mm512_set1_pd(LOG2E), hi = _mm512_set1_pd(LN2_HI), lo = _mm512_set1_pd(LN2_LO);
    const __m512d min = _mm512_set1_pd(EXP_LO), max = _mm512_set1_pd(EXP_HI);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d x = _mm512_loadu_pd(in + i);
        __mmask8 outside = _mm512_cmp_pd_mask(x, min, _CMP_NGE_UQ) | _mm512_cmp_pd_mask(x, max, _CMP_NLE_UQ);
        __m512d xc = _mm512_min_pd(_mm512_max_pd(x, min), max);
        __m512d k = _mm512_roundscale_pd(_mm512_mul_pd(xc, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        __m512d r = _mm512_fnmadd_pd(k, lo, _mm512_fnmadd_pd(k, hi, xc));
        __m512d p = _mm512_set1_pd(TAYLOR[0]);
        for (int j = 1; j < 14; j++) p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(TAYLOR[j]));
        // scalef multiplies by 2^k exactly; k is in [-1022, 1023] here, so no rounding.
        _mm512_storeu_pd(out + i, _mm512_scalef_pd(p, k));
        if (outside) {
            for (int j = 0; j < 8; j++) if (outside & (1 << j)) out[i + j] = exp(in[i + j]);
        }
    }
    exp_baseline(in + i, out + i, n - i);
}

__attribute__((target("avx512f")))
static double sum_avx512(const double *in, size_t n) {
    __m512d a[4];
    for (int r = 0; r < 4; r++) a[r] = _mm512_setzero_pd();
    size_t i = 0;
    for (; i + PARTIALS <= n; i += PARTIALS)
        for (int r = 0; r < 4; r++) a[r] = _mm512_add_pd(a[r], _mm512_loadu_pd(in + i + 8 * r));
    double acc[PARTIALS];
    for (int r = 0; r < 4; r++) _mm512_storeu_pd(acc + 8 * r, a[r]);
    return combine(acc, in + i, n - i);
}

// MARK: - Dispatch

typedef enum { ISA_UNKNOWN, ISA_BASELINE, ISA_AVX2, ISA_AVX512 } isa_t;

static int supports(isa_t isa) {
    __builtin_cpu_init();  // also checks that the OS saves the wide registers
    switch (isa) {
    case ISA_AVX512: return __builtin_cpu_supports("avx512f");
    case ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    default: return 1;
    }
}

// A benign race: every thread that sees ISA_UNKNOWN computes the same answer.
static volatile isa_t chosen = ISA_UNKNOWN;

static isa_t isa(void) {
    if (chosen == ISA_UNKNOWN) chosen = supports(ISA_AVX512) ? ISA_AVX512 : supports(ISA_AVX2) ? ISA_AVX2 : ISA_BASELINE;
    return chosen;
}

int folio_kernels_use(const char *name) {
    isa_t wanted = strcmp(name, "avx512") == 0 ? ISA_AVX512 : strcmp(name, "avx2") == 0 ? ISA_AVX2
                 : strcmp(name, "baseline") == 0 ? ISA_BASELINE : ISA_UNKNOWN;
    if (wanted != ISA_UNKNOWN && !supports(wanted)) return 0;
    chosen = wanted;
    return 1;
}

void folio_exp(const double *in, double *out, size_t n) {
    switch (isa()) {
    case ISA_AVX512: exp_avx512(in, out, n); break;
    case ISA_AVX2: exp_avx2(in, out, n); break;
    default: exp_baseline(in, out, n); break;
    }
}

double folio_sum(const double *in, size_t n) {
    switch (isa()) {
    case ISA_AVX512: return sum_avx512(in, n);
    case ISA_AVX2: return sum_avx2(in, n);
    default: return sum_baseline(in, n);
    }
}

const char *folio_kernel_isa(void) {
    switch (isa()) {
    case ISA_AVX512: return "avx512";
    case ISA_AVX2: return "avx2";
    default: return "baseline";
    }
}
