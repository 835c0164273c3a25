// src/ops/shape_ops.hpp
//
// Ops that move elements without changing them and copy them into a new tensor: concat, stack, pad.
// Each one's backward puts the gradient back where the elements came from. The views (reshape, slice,
// select, transpose, permute), which share the data instead, are in core/views.hpp, included here.
#pragma once

#include <vector>

#include "core/tensor.hpp"
#include "core/views.hpp"

namespace convlab {

Tensor concat(const std::vector<Tensor>& xs, int dim);
Tensor stack(const std::vector<Tensor>& xs, int dim = 0);          // new dim of size xs.size()

// Zero padding: pads[2*i], pads[2*i+1] = values added before and after dim i, for the LAST
// pads.size()/2 dims (pad({1,1,2,2}) pads H by 1 and W by 2 of an (N, C, H, W) tensor).
Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, float value = 0.0f);

}  // namespace convlab
