// chapters/10_conv1d_ecg/conv_shape.hpp
//
// The shape arithmetic of one convolution layer, in 1D (this chapter) and 3D (chapter 11).
//                                                                      [lecture: "1D and 3D Generalizations"]
// Shapes here are in the lecture's order, channels last: a signal is (n, n_C), an image (n_H, n_W, n_C),
// a volume (n_D, n_H, n_W, n_C). The engine keeps channels first, (N, n_C, ...); lecture_shape converts.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.hpp"

namespace convlab {

// Positions of a filter of size f on n inputs, with padding p on each side and stride s:
//   n_out = floor((n + 2p - f) / s) + 1
int64_t conv_output_size(int64_t n, int64_t f, int64_t stride = 1, int64_t padding = 0);

// Engine order (N, n_C, n_1, ..., n_k) -> lecture order (n_1, ..., n_k, n_C), dropping the batch.
Shape lecture_shape(const Shape& engine_shape);

// A shape as the lecture writes it: (10, 10, 16) -> "10 x 10 x 16".
std::string dims_str(const Shape& shape);

// One conv1d layer run by the engine: a signal (n, n_C) and n_filters filters (f, n_C) -> (n_out, n_filters).
// The lecture's example: a 14-sample ECG, 16 filters of size 5 -> (10, 16).
Shape conv1d_shape(int64_t n, int64_t n_C, int64_t n_filters, int64_t f, int64_t stride = 1, int64_t padding = 0);

}  // namespace convlab
