// src/nn/init.cpp
#include "nn/init.hpp"

#include <cmath>

#include "core/error.hpp"

namespace convlab::nn {

Tensor& kaiming_normal_(Tensor& W, int64_t fan_in, Rng& rng) {
    check(fan_in > 0, "kaiming_normal_: fan_in must be > 0, got ", fan_in);
    check(W.is_contiguous(), "kaiming_normal_: W must be contiguous, got shape ", W.shape_str());
    const float stddev = std::sqrt(2.0f / static_cast<float>(fan_in));
    float* w = W.data();
    for (int64_t i = 0; i < W.numel(); ++i) w[i] = stddev * rng.normal();
    return W;
}

Tensor& xavier_uniform_(Tensor& W, int64_t fan_in, int64_t fan_out, Rng& rng) {
    check(fan_in > 0 && fan_out > 0, "xavier_uniform_: fan_in and fan_out must be > 0, got ", fan_in, " and ",
          fan_out);
    check(W.is_contiguous(), "xavier_uniform_: W must be contiguous, got shape ", W.shape_str());
    const float a = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
    float* w = W.data();
    for (int64_t i = 0; i < W.numel(); ++i) w[i] = rng.uniform(-a, a);
    return W;
}

}  // namespace convlab::nn
