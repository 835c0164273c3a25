// src/kernels/gemm.hpp
//
// Single-precision matrix multiply, row-major:
//
//   C (M x N) = alpha * op(A) (M x K) * op(B) (K x N) + beta * C
//
// op(A) = A or A^T (trans_a), op(B) = B or B^T (trans_b). lda, ldb, ldc are row strides in floats of the
// matrices as stored (A stored as M x K, or K x M when transposed). beta = 0 ignores C's old contents
// (even NaN). Backward passes need NN (forward), NT (dA = dC B^T) and TN (dB = A^T dC).
#pragma once

#include <cstdint>

namespace convlab {

// The definition, three loops, accumulating in double: the reference every test compares against.
void gemm_naive(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

// The fast version (src/kernels/gemm.cpp): same contract, blocked, packed and multithreaded.
// Every C element is summed over K in the same order whatever the thread count. Negative sizes, a leading
// dimension smaller than its row, or a null matrix with work to do -> convlab::Error naming the argument.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

}  // namespace convlab
