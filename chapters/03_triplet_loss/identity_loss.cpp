// chapters/03_triplet_loss/identity_loss.cpp
#include "chapters/03_triplet_loss/identity_loss.hpp"

#include "core/error.hpp"
#include "nn/loss.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

// E: (N, D), W: (K, D) -> shape ()
Tensor identity_loss(const Tensor& E, const Tensor& W, const std::vector<int>& labels, float s) {
    check(E.ndim() == 2 && W.ndim() == 2 && E.dim(1) == W.dim(1),
          "identity_loss: expected E (N, D) and W (K, D) with the same D, got ", E.shape_str(), " and ",
          W.shape_str());
    const Tensor z = s * matmul(E, transpose(l2_normalize(W, 1)));  // (N, K)  z_ik = s f(x_i).W_k/||W_k||
    return softmax_cross_entropy(z, labels);                         // checks labels: N of them, in [0, K)
}

}  // namespace convlab
