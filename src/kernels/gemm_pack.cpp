// src/kernels/gemm_pack.cpp
//
// Each loop nest reads the caller's matrix along its rows (contiguous) and writes the panel with a fixed
// stride; the stored orientation decides which of the two loops is inner.
#include "kernels/gemm_pack.hpp"

#include <algorithm>

#include "kernels/gemm_micro_kernel.hpp"

namespace convlab {

constexpr int MR = kGemmMR, NR = kGemmNR;

void gemm_pack_a(bool trans_a, const float* A, int64_t lda, int64_t i0, int64_t mc, int64_t k0, int64_t kc,
                 float* packed) {
    for (int64_t p = 0; p * MR < mc; ++p) {
        const int64_t rows = std::min<int64_t>(MR, mc - p * MR), first_row = i0 + p * MR;
        float* panel = packed + p * MR * kc;
        if (!trans_a) {  // op(A)(i, k) = A[i * lda + k]: row i of the panel is a row of A
            for (int64_t i = 0; i < rows; ++i) {
                const float* a = A + (first_row + i) * lda + k0;
                for (int64_t k = 0; k < kc; ++k) panel[k * MR + i] = a[k];
            }
        } else {  // op(A)(i, k) = A[k * lda + i]: column k of the panel is a row of A
            for (int64_t k = 0; k < kc; ++k) {
                const float* a = A + (k0 + k) * lda + first_row;
                for (int64_t i = 0; i < rows; ++i) panel[k * MR + i] = a[i];
            }
        }
    }
}

void gemm_pack_b(bool trans_b, const float* B, int64_t ldb, int64_t k0, int64_t kc, int64_t j0, int64_t nc,
                 float* packed) {
    for (int64_t p = 0; p * NR < nc; ++p) {
        const int64_t cols = std::min<int64_t>(NR, nc - p * NR), first_col = j0 + p * NR;
        float* panel = packed + p * kc * NR;
        if (!trans_b) {  // op(B)(k, j) = B[k * ldb + j]: row k of the panel is a piece of a row of B
            for (int64_t k = 0; k < kc; ++k) {
                const float* b = B + (k0 + k) * ldb + first_col;
                float* row = panel + k * NR;
                std::copy(b, b + cols, row);
                std::fill(row + cols, row + NR, 0.0f);
            }
        } else {  // op(B)(k, j) = B[j * ldb + k]: column j of the panel is a row of B
            for (int64_t j = 0; j < cols; ++j) {
                const float* b = B + (first_col + j) * ldb + k0;
                for (int64_t k = 0; k < kc; ++k) panel[k * NR + j] = b[k];
            }
            for (int64_t k = 0; k < kc && cols < NR; ++k) std::fill(panel + k * NR + cols, panel + k * NR + NR, 0.0f);
        }
    }
}

}  // namespace convlab
