// src/nn/conv.hpp
//
// Convolutional layers: n_C' filters of size f (x f (x f)) over all n_C input channels, plus a bias per
// filter; the layer's output is (N, n_C', *out). See ops/conv.hpp for the formula and the output size
//   out = floor((n + 2p - d(f - 1) - 1) / s) + 1.           [lecture: "One Layer of a Convolutional Network"]
//
// W: (out, in, f [, f [, f]]) ~ kaiming_normal_ with fan_in = in * f^n_spatial (the values one output
// reads); b: (out,) = 0. Parameters "weight" and "bias".
#pragma once

#include "core/random.hpp"
#include "nn/module.hpp"
#include "ops/conv.hpp"

namespace convlab::nn {

// One class serves 1, 2 and 3 spatial dims; Conv1d/2d/3d below fix n_spatial.
class Conv : public Module {
public:
    Conv(int n_spatial, int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
         bool bias, Rng& rng);
    Tensor forward(const Tensor& x) override;

    Tensor W, b;  // b is undefined without bias

private:
    int n_spatial_;
    ConvParams params_;
};

// Conv1d, Conv2d, Conv3d, each with two spellings: every argument in the brief's order, or the sizes,
// the Rng and optional settings:
//   Conv2d(3, 8, 3, /*stride=*/1, /*padding=*/1, /*dilation=*/1, /*bias=*/true, rng)
//   Conv2d(3, 8, 3, rng, /*stride=*/1, /*padding=*/1)
template <int n_spatial>
class ConvNd : public Conv {
public:
    ConvNd(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation, bool bias,
           Rng& rng)
        : Conv(n_spatial, in, out, kernel, stride, padding, dilation, bias, rng) {}
    ConvNd(int64_t in, int64_t out, int64_t kernel, Rng& rng, int64_t stride = 1, int64_t padding = 0,
           int64_t dilation = 1, bool bias = true)
        : Conv(n_spatial, in, out, kernel, stride, padding, dilation, bias, rng) {}
};
using Conv1d = ConvNd<1>;  // x: (N, in, L)
using Conv2d = ConvNd<2>;  // x: (N, in, H, W)
using Conv3d = ConvNd<3>;  // x: (N, in, D, H, W)

}  // namespace convlab::nn
