// src/ops/reduce.hpp
//
// Reductions. Sums are accumulated in double (sum_floats) in a fixed order, so they are the same for any
// thread count.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// sum_i p[i] for i < n, as a double, in an order that depends on n only. The values are taken kRun at a
// time: a run is added up in float, kLanes values at a time into kLanes separate sums (lane t takes the i
// with i % kLanes == t), which the compiler keeps in vector registers; then each lane goes into its own
// double sum, and the double sums are added in order at the end. (In double all the way, one value after
// the other, every add waits for the one before: 4 cycles a value, against about what reading it costs.)
double sum_floats(const float* p, int64_t n);

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
