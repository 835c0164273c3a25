// src/kernels/conv.hpp
//
// The engine room of the convolution op (ops/conv.cpp): the same values as the direct loops of
// ops/conv_naive.cpp (the definition, which the tests hold these to on odd shapes), computed fast.
//
//   Y  = conv_forward(x, W, b, g)          x (N, n_C, *n), W (C_out, n_C/G, *f), b (C_out,) or undefined
//   dX = conv_backward_input(dY, W, g)     dY (N, C_out, *out)  ->  (N, n_C, *n)
//   dW = conv_backward_weight(dY, x, g)    ->  (C_out, n_C/G, *f)
//
// g is the validated geometry (ops/conv.cpp's conv_geometry_for): these do not check shapes again. Results
// are the same bits for any thread count. How they are made fast: kernels/conv.cpp.
#pragma once

#include "core/tensor.hpp"
#include "kernels/conv_geometry.hpp"

namespace convlab::kernels {

Tensor conv_forward(const Tensor& x, const Tensor& W, const Tensor& b, const ConvGeometry& g);
Tensor conv_backward_input(const Tensor& dY, const Tensor& W, const ConvGeometry& g);
Tensor conv_backward_weight(const Tensor& dY, const Tensor& x, const ConvGeometry& g);

}  // namespace convlab::kernels
