// src/kernels/gemm_pack.cpp
//
// A panel is W wide (MR for A, NR for B) and kc long, stored k by k: panel[k * W + r]. Its W lines (rows
// of op(A), columns of op(B)) lie in the caller's matrix either across its rows (panel row k is a piece of
// one stored row: a copy) or along them (panel line r is a piece of one stored row: a transpose).
#include "kernels/gemm_pack.hpp"

#include <algorithm>

#include "kernels/gemm_micro_kernel.hpp"

namespace convlab {
namespace {

constexpr int MR = kGemmMR, NR = kGemmNR;

// panel[k * W + r] = src[k * ld + r] for r < lines; lines .. W-1 are set to 0.
template <int W>
void pack_copy(const float* src, int64_t ld, int64_t lines, int64_t kc, float* panel) {
    for (int64_t k = 0; k < kc; ++k) {
        std::copy(src + k * ld, src + k * ld + lines, panel + k * W);
        std::fill(panel + k * W + lines, panel + k * W + W, 0.0f);
    }
}

// panel[k * W + r] = src[r * ld + k] for r < lines; lines .. W-1 are set to 0.
// A whole panel is transposed KB steps of k at a time through a W x KB block held in registers: the W
// stored rows are read side by side (the memory system fetches them all at once) and the panel is written
// in order, instead of reading the rows one after the other (docs/benchmarks.md has the difference).
template <int W>
void pack_transpose(const float* src, int64_t ld, int64_t lines, int64_t kc, float* panel) {
    constexpr int KB = 8;  // a W x 8 block: 14 or 32 rows of 32 bytes
    int64_t k = 0;
    for (; k + KB <= kc; k += KB) {
        float block[W][KB] = {};
        for (int64_t r = 0; r < lines; ++r)
            for (int q = 0; q < KB; ++q) block[r][q] = src[r * ld + k + q];
        for (int q = 0; q < KB; ++q)
            for (int r = 0; r < W; ++r) panel[(k + q) * W + r] = block[r][q];
    }
    for (; k < kc; ++k) {  // the last kc % KB steps
        for (int64_t r = 0; r < lines; ++r) panel[k * W + r] = src[r * ld + k];
        std::fill(panel + k * W + lines, panel + k * W + W, 0.0f);
    }
}

}  // namespace

void gemm_pack_a(bool trans_a, const float* A, int64_t lda, int64_t i0, int64_t mc, int64_t k0, int64_t kc,
                 float* packed) {
    for (int64_t p = 0; p * MR < mc; ++p) {
        const int64_t rows = std::min<int64_t>(MR, mc - p * MR), first_row = i0 + p * MR;
        if (trans_a)  // op(A)(i, k) = A[k * lda + i]
            pack_copy<MR>(A + k0 * lda + first_row, lda, rows, kc, packed + p * MR * kc);
        else          // op(A)(i, k) = A[i * lda + k]
            pack_transpose<MR>(A + first_row * lda + k0, lda, rows, kc, packed + p * MR * kc);
    }
}

void gemm_pack_b(bool trans_b, const float* B, int64_t ldb, int64_t k0, int64_t kc, int64_t j0, int64_t nc,
                 float* packed) {
    if (!trans_b) {  // op(B)(k, j) = B[k * ldb + j]
        // Each stored row is read once, left to right, and dealt out to the panels. Panel by panel, every
        // 128 bytes would come from another row (another page, when rows are as long as im2col's).
        const int64_t full = nc / NR;
        for (int64_t k = 0; k < kc; ++k) {
            const float* row = B + (k0 + k) * ldb + j0;
            for (int64_t p = 0; p < full; ++p) std::copy(row + p * NR, row + (p + 1) * NR, packed + (p * kc + k) * NR);
        }
        if (full * NR < nc)  // the last panel, partial: zero-padded
            pack_copy<NR>(B + k0 * ldb + j0 + full * NR, ldb, nc - full * NR, kc, packed + full * kc * NR);
        return;
    }
    for (int64_t p = 0; p * NR < nc; ++p) {  // op(B)(k, j) = B[j * ldb + k]
        const int64_t cols = std::min<int64_t>(NR, nc - p * NR), first_col = j0 + p * NR;
        pack_transpose<NR>(B + first_col * ldb + k0, ldb, cols, kc, packed + p * kc * NR);
    }
}

}  // namespace convlab
