// src/kernels/gemm_micro_kernel.hpp
//
// The innermost piece of the blocked gemm (src/kernels/gemm.cpp): one MR x NR tile of C, its accumulators
// held in registers for a whole KC-long slice of the K sum.
//
//   c (rows x NR) = alpha * a_panel (rows x kc) * b_panel (kc x NR) + beta * c
//
// a_panel and b_panel are packed (src/kernels/gemm_pack.hpp): a_panel[k * MR + i] = op(A)(i, k) and
// b_panel[k * NR + j] = op(B)(k, j), so each step k reads MR numbers of A and NR of B one after the other.
// Each C element is one chain of fused multiply-adds over k = 0 .. kc-1 in order: the result of a tile does
// not depend on which thread computes it, or when.
#pragma once

#include <cstdint>

namespace convlab {

constexpr int kGemmMR = 14;  // rows of C per tile: 14 x 2 = 28 accumulator vectors of the 32 AVX-512 registers
constexpr int kGemmNR = 32;  // columns of C per tile: two 16-float AVX-512 vectors (four AVX2, eight NEON)

// rows in 1..kGemmMR (the last tile of C may have fewer than MR rows); ldc is c's row stride in floats.
// beta = 0 ignores c's old contents, even NaN.
void gemm_micro_kernel(int rows, int64_t kc, const float* a_panel, const float* b_panel, float* c, int64_t ldc,
                       float alpha, float beta);

}  // namespace convlab
