// src/nn/pool.cpp
#include "nn/pool.hpp"

#include "core/error.hpp"
#include "ops/pool.hpp"

namespace convlab::nn {

Pool::Pool(Kind kind, int n_spatial, int64_t kernel, int64_t stride, int64_t padding)
    : kind_(kind), n_spatial_(n_spatial), kernel_(size_t(n_spatial), kernel),
      stride_(size_t(n_spatial), stride == -1 ? kernel : stride), padding_(size_t(n_spatial), padding) {
    check(n_spatial >= 1 && n_spatial <= 3, "Pool: 1, 2 or 3 spatial dims, got ", n_spatial);
    check(kernel > 0 && stride_[0] > 0 && padding >= 0, "Pool: needs kernel > 0, stride > 0 (or -1), padding >= 0, ",
          "got ", kernel, ", ", stride, ", ", padding);
}

Tensor Pool::forward(const Tensor& x) {
    check(x.ndim() == n_spatial_ + 2, kind_ == Kind::max ? "MaxPool" : "AvgPool", n_spatial_,
          "d: expected input (N, C) + ", n_spatial_, " spatial dims, got shape ", x.shape_str());
    return kind_ == Kind::max ? max_pool(x, kernel_, stride_, padding_) : avg_pool(x, kernel_, stride_, padding_);
}

Tensor GlobalAvgPool::forward(const Tensor& x) { return global_avg_pool(x); }

}  // namespace convlab::nn
