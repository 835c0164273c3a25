// src/kernels/gemm_micro_kernel.cpp
//
// The register-blocked micro-kernel in plain C++. The loops have compile-time trip counts (R x NR), so the
// compiler unrolls them completely, keeps acc[R][NR] in vector registers and turns the update into one
// broadcast of a_ik and NR/16 fused multiply-adds per row: with -march=native on AVX-512, 28 vfmadd231ps zmm
// per k for R = 14, no loads or stores of acc inside the k loop.
#include "kernels/gemm_micro_kernel.hpp"

#include <array>
#include <utility>

// GCC vectorises with 256-bit vectors by default even where 512-bit ones exist (-mprefer-vector-width=256
// on Intel targets). The micro-kernel is the one place where full-width vectors pay: ask for them here.
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("prefer-vector-width=512")
#endif

namespace convlab {
namespace {

constexpr int MR = kGemmMR, NR = kGemmNR;
// The B panel streams in from L2: ask for its row k + 16 while using row k. 16 rows (2 KB) ahead is about
// the L2 latency's worth of k steps, earlier than the hardware prefetcher asks (docs/benchmarks.md).
constexpr int kPrefetchRows = 16;

// c (R x NR) = alpha * sum_k a_panel[k*MR + i] * b_panel[k*NR + j] + beta * c            (i < R, j < NR)
template <int R>
void micro_kernel(int64_t kc, const float* __restrict a_panel, const float* __restrict b_panel, float* __restrict c,
                  int64_t ldc, float alpha, float beta) {
    for (int i = 0; i < R; ++i) {  // ask for the C tile now: its lines arrive while the k loop runs
        __builtin_prefetch(c + i * ldc, /*for writing=*/1);
        __builtin_prefetch(c + i * ldc + NR - 1, 1);
    }
    float acc[R][NR] = {};
    for (int64_t k = 0; k < kc; ++k) {
        const float* a = a_panel + k * MR;
        const float* b = b_panel + k * NR;
        for (int j = 0; j < NR; j += 16)  // one 64-byte line per 16 floats; past the panel: the next panel
            __builtin_prefetch(b + kPrefetchRows * NR + j);
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    }
    // The beta test is outside the loops, so that both loop nests unroll completely.
    if (beta == 0.0f) {
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < NR; ++j) c[i * ldc + j] = alpha * acc[i][j];
    } else {
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < NR; ++j) c[i * ldc + j] = alpha * acc[i][j] + beta * c[i * ldc + j];
    }
}

using MicroKernel = void (*)(int64_t, const float*, const float*, float*, int64_t, float, float);

// micro_kernel<1> ... micro_kernel<MR>, indexed by rows - 1.
template <int... Rows>
constexpr std::array<MicroKernel, sizeof...(Rows)> kernel_table(std::integer_sequence<int, Rows...>) {
    return {&micro_kernel<Rows + 1>...};
}
constexpr auto kKernels = kernel_table(std::make_integer_sequence<int, MR>{});

}  // namespace

void gemm_micro_kernel(int rows, int64_t kc, const float* a_panel, const float* b_panel, float* c, int64_t ldc,
                       float alpha, float beta) {
    kKernels[rows - 1](kc, a_panel, b_panel, c, ldc, alpha, beta);
}

}  // namespace convlab
