// src/kernels/gemm_pack.cpp
//
// The panels are written in order, k by k. When a panel's MR rows (or NR columns) are rows of the caller's
// matrix, they are read side by side, one float from each per step: the memory system then fetches all of
// them at once, which halves the packing time over reading them one after the other.
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
        if (!trans_a) {  // op(A)(i, k) = A[i * lda + k]: the panel's rows are read side by side, k by k
            const float* a = A + first_row * lda + k0;
            for (int64_t k = 0; k < kc; ++k)
                for (int64_t i = 0; i < rows; ++i) panel[k * MR + i] = a[i * lda + k];
        } else {  // op(A)(i, k) = A[k * lda + i]: column k of the panel is a piece of a row of A
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
        } else {  // op(B)(k, j) = B[j * ldb + k]: the panel's columns are read side by side, k by k
            const float* b = B + first_col * ldb + k0;
            for (int64_t k = 0; k < kc; ++k) {
                float* row = panel + k * NR;
                for (int64_t j = 0; j < cols; ++j) row[j] = b[j * ldb + k];
                std::fill(row + cols, row + NR, 0.0f);
            }
        }
    }
}

}  // namespace convlab
