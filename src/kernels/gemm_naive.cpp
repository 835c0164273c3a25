// src/kernels/gemm_naive.cpp
#include "kernels/gemm.hpp"

namespace convlab {

// C_ij = alpha * sum_k op(A)_ik op(B)_kj + beta * C_ij
void gemm_naive(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    for (int64_t i = 0; i < M; ++i) {
        for (int64_t j = 0; j < N; ++j) {
            double s = 0.0;
            for (int64_t k = 0; k < K; ++k) {
                const float a = trans_a ? A[k * lda + i] : A[i * lda + k];
                const float b = trans_b ? B[j * ldb + k] : B[k * ldb + j];
                s += static_cast<double>(a) * b;
            }
            float& c = C[i * ldc + j];
            c = static_cast<float>(alpha * s + (beta == 0.0f ? 0.0 : static_cast<double>(beta) * c));
        }
    }
}

}  // namespace convlab
