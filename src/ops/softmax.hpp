// src/ops/softmax.hpp
//
// Softmax and log-softmax along one dim: the output layer of a classifier (face recognition as K-way
// classification) and the inside of the cross-entropy loss.            [course 2, "Softmax Regression"]
#pragma once

#include "core/tensor.hpp"

namespace convlab {

// softmax(x)_k = e^(x_k) / sum_j e^(x_j)       along `dim`; every slice along dim sums to 1.
// Computed as e^(x_k - m) / sum_j e^(x_j - m) with m = max_j x_j, so no exponent overflows.
// Backward: dX_k = y_k (dY_k - sum_j dY_j y_j).
Tensor softmax(const Tensor& x, int dim);

// log softmax(x)_k = x_k - m - log sum_j e^(x_j - m)     (the same max shift m; never log(0)).
// Backward: dX_k = dY_k - softmax(x)_k sum_j dY_j.
Tensor log_softmax(const Tensor& x, int dim);

}  // namespace convlab
