// src/ops/reflect_pad.hpp
//
// Reflection padding: like pad() in ops/shape_ops.hpp, but the border is filled with a mirror image of the
// inside instead of zeros, so a convolution near the edge sees image-like values (style transfer networks
// use it to avoid dark frames around the output).
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// pads[2*i], pads[2*i+1] = values added before and after dim i of the LAST pads.size()/2 dims, as pad().
// The mirror does not repeat the edge value: [a b c d] padded by 2 on each side is [c b a b c d c b].
//   Y[.., i] = X[.., r(i - before)],  r(t) = -t if t < 0;  2(n - 1) - t if t >= n;  t otherwise
// so each pad must be smaller than the size n of its dim. Backward: dX adds up dY over every position that
// copied it (an edge-adjacent value gets its own and its mirror images' gradients).
Tensor reflect_pad(const Tensor& x, const std::vector<int64_t>& pads);

}  // namespace convlab
