// src/nn/reshape.cpp
#include "nn/reshape.hpp"

#include "core/error.hpp"
#include "ops/distance.hpp"

namespace convlab::nn {

Tensor Flatten::forward(const Tensor& x) {
    check(x.ndim() >= 2, "Flatten: expected (N, ...) with at least 2 dims, got shape ", x.shape_str());
    return x.flatten(1);
}

Tensor L2Normalize::forward(const Tensor& x) { return l2_normalize(x, dim_); }

}  // namespace convlab::nn
