// src/kernels/conv_grid_passes.hpp
//
// The stride-1 convolution on the padded grid (kernels/conv_grid.hpp), pass by pass: the call cut into
// tasks, a sample and a block of its grid points each, whose columns are runs of the padded input read in
// place; no cols matrix at all for the forward pass.
//
//   grid_pays:             whether the grid beats im2col + gemm (kernels/conv_columns.hpp) for g
//   grid_forward:          Y (N, C_out, L) = W cols(x) + b
//   grid_backward_weight:  dW (C_out x K) = sum over samples and blocks of dY (spread onto the points) * cols^T
// (The input gradient at stride 1 is itself a forward pass: kernels/conv.cpp.) Groups 1, dense operands.
// Definitions: ops/conv_naive.cpp.
#pragma once

#include <cstdint>

#include "core/tensor.hpp"
#include "kernels/conv_geometry.hpp"

namespace convlab {

// True when g has stride 1 (grid_applies) and the grid's extra points cost less than im2col's copies.
bool grid_pays(const ConvGeometry& g, int64_t C_out);

// x (N, n_C, *n) dense, W (C_out, K) dense, b may be null.
void grid_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out, const float* b,
                  float* Y);

// dY (N, C_out, *out), x (N, n_C, *n) dense. Summed in an order that depends on the sizes only.
Tensor grid_backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out);

}  // namespace convlab
