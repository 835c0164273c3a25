// chapters/11_conv3d_volumes/conv3d_shape.hpp
//
// One 3D convolution layer: its output shape and its number of parameters.
//                                                                      [lecture: "1D and 3D Generalizations"]
// Shapes in the lecture's order, channels last: a volume is (n_D, n_H, n_W, n_C), where n_D is depth
// (CT slices) or time (video frames).
#pragma once

#include <cstdint>

#include "core/tensor.hpp"

namespace convlab {

// A volume (n_D, n_H, n_W, n_C) and n_filters filters (f, f, f, n_C), stride s, padding p
//   -> (n_D', n_H', n_W', n_filters),  each n' = floor((n + 2p - f) / s) + 1.
// The lecture: 14x14x14x1 with 16 filters 5x5x5 -> 10x10x10x16.
Shape conv3d_shape(const Shape& volume, int64_t n_filters, int64_t f, int64_t stride = 1, int64_t padding = 0);

// Trainable numbers of that layer: each of the n_filters filters has f*f*f*n_C weights and one bias.
//   (f^3 n_C + 1) n_filters             e.g. 16 filters 5x5x5x1: (125 + 1) * 16 = 2016
int64_t conv3d_parameters(int64_t n_C, int64_t n_filters, int64_t f);

}  // namespace convlab
