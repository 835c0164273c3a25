// src/ops/reduce.hpp
//
// Reductions. Sums are accumulated in double in a fixed order, so they are the same for any thread count.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

Tensor sum(const Tensor& x);                                             // all elements -> shape ()
Tensor sum(const Tensor& x, const std::vector<int>& dims, bool keepdim = false);
Tensor mean(const Tensor& x);                                            // all elements -> shape ()
Tensor mean(const Tensor& x, const std::vector<int>& dims, bool keepdim = false);
// Largest value along `dim`; its gradient goes to the first position holding the maximum.
Tensor max(const Tensor& x, int dim, bool keepdim = false);
// Index of the largest value along `dim` (as floats), not differentiable.
Tensor argmax(const Tensor& x, int dim);

// Sums a broadcast gradient back to `shape`: over leading dims that `shape` lacks and over dims where
// `shape` has size 1. The backward of every broadcasting op.
Tensor sum_to(const Tensor& x, const Shape& shape);

}  // namespace convlab
