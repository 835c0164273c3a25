// src/ops/matmul.cpp
#include "ops/matmul.hpp"

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "kernels/gemm.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {
namespace {

// A matrix (or a batch of them) as gemm reads it: `stored` dense, and `trans` set when the tensor is the
// transpose of `stored`. So a transpose() view (a Gram matrix's A^T) is read in place, not copied.
struct Operand {
    Tensor stored;
    bool trans;
};

bool stored_transposed(const Tensor& t) {
    return !t.is_contiguous() && t.detach().transpose(-2, -1).is_contiguous();
}

Operand operand(const Tensor& t) {
    if (stored_transposed(t)) return {t.detach().transpose(-2, -1), true};
    return {t.detach().contiguous(), false};
}

// Batched product with transposes: Y[b] = op(A[b]) op(B[b]); a side with 2 dims is shared by all batches.
Tensor batched_gemm(const Tensor& A_in, bool trans_a, const Tensor& B_in, bool trans_b) {
    const Operand A = operand(A_in), B = operand(B_in);
    const int64_t M = trans_a ? A_in.dim(-1) : A_in.dim(-2), K = trans_a ? A_in.dim(-2) : A_in.dim(-1);
    const int64_t N = trans_b ? B_in.dim(-2) : B_in.dim(-1);
    const Tensor& batched = A_in.ndim() > 2 ? A_in : B_in;
    Shape out_shape(batched.shape().begin(), batched.shape().end() - 2);
    const int64_t batch = shape_numel(out_shape);
    out_shape.push_back(M);
    out_shape.push_back(N);
    Tensor Y = Tensor::empty(out_shape);
    const Tensor &a = A.stored, &b = B.stored;
    const int64_t a_step = a.ndim() > 2 ? a.dim(-1) * a.dim(-2) : 0, b_step = b.ndim() > 2 ? b.dim(-1) * b.dim(-2) : 0;
    for (int64_t i = 0; i < batch; ++i)
        gemm(trans_a != A.trans, trans_b != B.trans, M, N, K, 1.0f, a.data() + i * a_step, a.dim(-1),
             b.data() + i * b_step, b.dim(-1), 0.0f, Y.data() + i * M * N, N);
    return Y;
}

}  // namespace

// Each factor is kept for backward only if the other one needs its gradient (dA reads B, dB reads A). The
// gradient of a factor stored transposed is computed in its layout, dA^T = B dY^T or dB^T = dY^T A, and
// returned as the transpose of that: the transpose's own backward then hands on a dense tensor.
Tensor matmul(const Tensor& A, const Tensor& B) {
    check(A.ndim() >= 2 && B.ndim() >= 2, "matmul: needs matrices, got shapes ", A.shape_str(), " and ",
          B.shape_str());
    check(A.dim(-1) == B.dim(-2), "matmul: inner sizes differ: ", A.shape_str(), " @ ", B.shape_str());
    const Shape batch_a(A.shape().begin(), A.shape().end() - 2), batch_b(B.shape().begin(), B.shape().end() - 2);
    check(batch_a == batch_b || A.ndim() == 2 || B.ndim() == 2, "matmul: batch dims differ: ", A.shape_str(),
          " @ ", B.shape_str());
    Tensor Y = batched_gemm(A, false, B, false);
    const bool a_trans = stored_transposed(A), b_trans = stored_transposed(B);
    return record(Y, "matmul", {A, B}, [sa = A.shape(), sb = B.shape(), a_trans, b_trans,
                                        A = B.requires_grad() ? A.detach() : Tensor(),
                                        B = A.requires_grad() ? B.detach() : Tensor()](const Tensor& dY) {
        Tensor dA, dB;
        if (B.defined()) {  // dA = dY B^T
            if (sa.size() == 2 && dY.ndim() > 2)  // shared A: the sum over the batch
                dA = sum(batched_gemm(dY, false, B, true).reshape({-1, sa[0], sa[1]}), {0});
            else
                dA = a_trans ? transpose(batched_gemm(B, false, dY, true)) : batched_gemm(dY, false, B, true);
        }
        if (A.defined()) {  // dB = A^T dY
            if (sb.size() == 2 && dY.ndim() > 2)  // shared B: dB = sum_b A[b]^T dY[b] = A'^T dY' over stacked rows
                dB = batched_gemm(A.reshape({-1, A.dim(-1)}), true, dY.reshape({-1, dY.dim(-1)}), false);
            else
                dB = b_trans ? transpose(batched_gemm(dY, true, A, false)) : batched_gemm(A, true, dY, false);
        }
        return std::vector<Tensor>{dA, dB};
    });
}

}  // namespace convlab
