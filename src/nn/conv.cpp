// src/nn/conv.cpp
#include "nn/conv.hpp"

#include "core/error.hpp"
#include "nn/init.hpp"

namespace convlab::nn {

Conv::Conv(int n_spatial, int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
           int64_t dilation, bool bias, Rng& rng)
    : n_spatial_(n_spatial), params_(ConvParams::same_for(n_spatial, stride, padding, dilation)) {
    check(n_spatial >= 1 && n_spatial <= 3, "Conv: 1, 2 or 3 spatial dims, got ", n_spatial);
    check(in > 0 && out > 0 && kernel > 0, "Conv", n_spatial, "d: in, out and kernel must be > 0, got ", in, ", ",
          out, ", ", kernel);
    Shape shape{out, in};
    int64_t fan_in = in;
    for (int k = 0; k < n_spatial; ++k) shape.push_back(kernel), fan_in *= kernel;
    Tensor w = Tensor::empty(shape);
    W = register_parameter("weight", kaiming_normal_(w, fan_in, rng));
    if (bias) b = register_parameter("bias", Tensor::zeros({out}));
}

Tensor Conv::forward(const Tensor& x) {
    check(x.ndim() == n_spatial_ + 2, "Conv", n_spatial_, "d: expected input (N, C", n_spatial_ == 1 ? ", L)"
          : n_spatial_ == 2 ? ", H, W)" : ", D, H, W)", ", got shape ", x.shape_str());
    return conv(x, W, b, params_);
}

}  // namespace convlab::nn
