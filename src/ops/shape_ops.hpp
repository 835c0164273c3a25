// src/ops/shape_ops.hpp
//
// Ops that move elements without changing them. reshape (of a contiguous tensor), slice, transpose and
// permute are views: they share the data and only change shape/strides/offset. concat and pad copy.
// Each one's backward puts the gradient back where the elements came from.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

Tensor reshape(const Tensor& x, const Shape& shape);              // one size may be -1
Tensor slice(const Tensor& x, int dim, int64_t start, int64_t end);  // [start, end) along dim
Tensor select(const Tensor& x, int dim, int64_t index);            // slice of size 1 with dim dropped
Tensor transpose(const Tensor& x, int dim0, int dim1);
Tensor transpose(const Tensor& x);                                 // swaps the last two dims
Tensor permute(const Tensor& x, const std::vector<int>& order);
Tensor concat(const std::vector<Tensor>& xs, int dim);
Tensor stack(const std::vector<Tensor>& xs, int dim = 0);          // new dim of size xs.size()

// Zero padding: pads[2*i], pads[2*i+1] = values added before and after dim i, for the LAST
// pads.size()/2 dims (pad({1,1,2,2}) pads H by 1 and W by 2 of an (N, C, H, W) tensor).
Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, float value = 0.0f);

}  // namespace convlab
