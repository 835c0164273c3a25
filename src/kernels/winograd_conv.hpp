// src/kernels/winograd_conv.hpp
//
// 3x3 and 3x3x3 convolutions (stride 1, dilation 1, any padding) by F(2x2, 3x3) and F(2x2x2, 3x3x3)
// (kernels/winograd.hpp): the forward pass, and the weight gradient. (The input gradient is a forward pass
// too: of dY with the flipped filters, kernels/conv.cpp.) Used by kernels/conv.cpp where winograd_pays says
// so; its naive twin is the direct convolution of ops/conv_naive.cpp.
//
// The outputs are cut into 2x2x2 tiles (2x2 in 2D), T = ceil(out / 2) along each dim (an odd size computes
// one more row or column, dropped). A task takes one sample and a run of tile layers (along D; in 2D, of
// tile rows along H); it copies the part of the input these tiles read into a window, channels last and
// zero-padded, then takes its tiles a block at a time: transforms (V), 64 (16) products (M), inverse
// transforms, written out.
#pragma once

#include <cstdint>

#include "core/tensor.hpp"
#include "kernels/conv_geometry.hpp"

namespace convlab {

// True for g that F(2x2, 3x3) or F(2x2x2, 3x3x3) computes: 2 or 3 spatial dims, 3x3 or 3x3x3 filters,
// stride 1, dilation 1.
bool winograd_applies(const ConvGeometry& g);
// ... and where it beats the padded grid (kernels/conv_grid.hpp) for a batch of N samples and C_out filters,
// by a cost model of multiply-adds fitted to one-thread times (winograd_conv.cpp): enough channels that the
// transforms and the padding of the channels to whole vectors cost less than the multiplications saved
// (in 3D from about 16 -> 16 channels, in 2D from about 16 -> 32; never 8 -> 8), and enough tiles that computing U and
// reading it pay too (VGG's 512 -> 512 layers at 16 x 16 stay on the grid). weight_gradient: for
// winograd_conv_backward_weight, whose blocks also write dU.
bool winograd_pays(const ConvGeometry& g, int64_t N, int64_t C_out, bool weight_gradient = false);

// Y (N, C_out, *out) = conv(x, W) + b (b may be null), x (N, n_C, *n) and W (C_out, n_C, 3, 3[, 3]) dense.
void winograd_conv_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                           const float* b, float* Y);

// dW (C_out, n_C, 3, 3[, 3]) from dY (N, C_out, *out) and x (N, n_C, *n). Summed over the samples and tiles
// in an order that depends on the sizes only.
Tensor winograd_conv_backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g,
                                     int64_t C_out);

}  // namespace convlab
