// src/ops/upsample.hpp
//
// Nearest-neighbour upsampling, and the copy op it shares with reflect_pad (ops/reflect_pad.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// x: (N, C, *spatial) with 1 to 3 spatial dims  ->  (N, C, *spatial * scale): each value becomes a
// scale x scale (x scale) block.
//   Y[n, c, i, j] = X[n, c, floor(i / scale), floor(j / scale)]
// Backward: dX[n, c, i, j] = the sum of dY over the block copied from X[n, c, i, j].
Tensor upsample_nearest(const Tensor& x, int64_t scale);

// The op upsample_nearest and reflect_pad are made of: every output element copies one element of the same
// plane of the input. x, seen as (planes, P_in), gives y of shape out_shape, seen as (planes, P_out):
//   Y[q, o] = X[q, source[o]]             (source: P_out offsets into a plane of x, each in [0, P_in))
// Backward: dX[q, t] = sum of dY[q, o] over every o with source[o] = t. `op` names the node.
Tensor copy_within_planes(const Tensor& x, const Shape& out_shape, int64_t planes, std::vector<int64_t> source,
                          const char* op);

}  // namespace convlab
