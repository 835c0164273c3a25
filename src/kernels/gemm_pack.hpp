// src/kernels/gemm_pack.hpp
//
// Packing for the blocked gemm (src/kernels/gemm.cpp): a block of op(A) or op(B) is copied once into the
// order in which the micro-kernel (src/kernels/gemm_micro_kernel.hpp) reads it, so the kernel walks memory
// strictly forward, whatever the transposes and leading dimensions of the caller's matrices.
//
//   op(A) block, mc x kc  ->  ceil(mc / MR) panels of MR x kc:   panel[k * MR + i] = op(A)(i0 + p*MR + i, k0 + k)
//   op(B) block, kc x nc  ->  ceil(nc / NR) panels of kc x NR:   panel[k * NR + j] = op(B)(k0 + k, j0 + p*NR + j)
//
// Panel p starts at p * MR * kc (A) or p * kc * NR (B). A last, partial panel is padded with zeros (for B
// the kernel multiplies them; for A the kernel for a short tile does not even read them).
#pragma once

#include <cstdint>

namespace convlab {

// op(A) = A (stored M x K, row stride lda) or, with trans_a, A^T (A stored K x M).
void gemm_pack_a(bool trans_a, const float* A, int64_t lda, int64_t i0, int64_t mc, int64_t k0, int64_t kc,
                 float* packed);

// op(B) = B (stored K x N, row stride ldb) or, with trans_b, B^T (B stored N x K).
void gemm_pack_b(bool trans_b, const float* B, int64_t ldb, int64_t k0, int64_t kc, int64_t j0, int64_t nc,
                 float* packed);

}  // namespace convlab
