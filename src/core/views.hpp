// src/core/views.hpp
//
// Views: tensors that share x's data and differ only in shape, strides and offset. No element moves (a
// reshape of a strided tensor copies it first, to make it contiguous). Each one's backward puts the
// gradient back where the elements came from. Tensor's members reshape, flatten, slice, operator[],
// transpose and permute call these.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

Tensor reshape(const Tensor& x, const Shape& shape);                 // one size may be -1
Tensor slice(const Tensor& x, int dim, int64_t start, int64_t end);  // [start, end) along dim
Tensor select(const Tensor& x, int dim, int64_t index);              // slice of size 1 with dim dropped
Tensor transpose(const Tensor& x, int dim0, int dim1);
Tensor transpose(const Tensor& x);                                   // swaps the last two dims
Tensor permute(const Tensor& x, const std::vector<int>& order);

}  // namespace convlab
