// src/ops/matmul.cpp
#include "ops/matmul.hpp"

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "kernels/gemm.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {
namespace {

// Batched product with transposes: Y[b] = op(A[b]) op(B[b]); a side with 2 dims is shared by all batches.
Tensor batched_gemm(const Tensor& A_in, bool trans_a, const Tensor& B_in, bool trans_b) {
    const Tensor A = A_in.contiguous(), B = B_in.contiguous();
    const int64_t M = trans_a ? A.dim(-1) : A.dim(-2), K = trans_a ? A.dim(-2) : A.dim(-1);
    const int64_t N = trans_b ? B.dim(-2) : B.dim(-1);
    const Tensor& batched = A.ndim() > 2 ? A : B;
    Shape out_shape(batched.shape().begin(), batched.shape().end() - 2);
    const int64_t batch = shape_numel(out_shape);
    out_shape.push_back(M);
    out_shape.push_back(N);
    Tensor Y = Tensor::empty(out_shape);
    const int64_t a_step = A.ndim() > 2 ? A.dim(-1) * A.dim(-2) : 0, b_step = B.ndim() > 2 ? B.dim(-1) * B.dim(-2) : 0;
    for (int64_t b = 0; b < batch; ++b)
        gemm(trans_a, trans_b, M, N, K, 1.0f, A.data() + b * a_step, A.dim(-1), B.data() + b * b_step, B.dim(-1),
             0.0f, Y.data() + b * M * N, N);
    return Y;
}

}  // namespace

Tensor matmul(const Tensor& A, const Tensor& B) {
    check(A.ndim() >= 2 && B.ndim() >= 2, "matmul: needs matrices, got shapes ", A.shape_str(), " and ",
          B.shape_str());
    check(A.dim(-1) == B.dim(-2), "matmul: inner sizes differ: ", A.shape_str(), " @ ", B.shape_str());
    const Shape batch_a(A.shape().begin(), A.shape().end() - 2), batch_b(B.shape().begin(), B.shape().end() - 2);
    check(batch_a == batch_b || A.ndim() == 2 || B.ndim() == 2, "matmul: batch dims differ: ", A.shape_str(),
          " @ ", B.shape_str());
    Tensor Y = batched_gemm(A, false, B, false);
    return record(Y, "matmul", {A, B}, [A, B](const Tensor& dY) {
        Tensor dA, dB;
        if (A.requires_grad()) {
            dA = batched_gemm(dY, false, B, true);  // dY B^T
            if (A.ndim() == 2 && dA.ndim() > 2) dA = sum(dA.reshape({-1, A.dim(0), A.dim(1)}), {0});
        }
        if (B.requires_grad()) {
            if (B.ndim() == 2 && A.ndim() > 2)  // shared B: dB = sum_b A[b]^T dY[b] = A'^T dY' over stacked rows
                dB = batched_gemm(A.reshape({-1, A.dim(-1)}), true, dY.reshape({-1, dY.dim(-1)}), false);
            else
                dB = batched_gemm(A, true, dY, false);  // A^T dY
            if (B.ndim() == 2 && dB.ndim() > 2) dB = sum(dB.reshape({-1, B.dim(0), B.dim(1)}), {0});
        }
        return std::vector<Tensor>{dA, dB};
    });
}

}  // namespace convlab
