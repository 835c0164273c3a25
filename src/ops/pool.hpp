// src/ops/pool.hpp
//
// Pooling over every spatial dim of (N, C, *spatial), 1 to 3 spatial dims, each channel on its own.
//                                                                          [lecture: "Pooling layers"]
//   max:  Y[n, c, i, j] = max_{u, v} X[n, c, i*s + u - p, j*s + v - p]        (u, v over the f x f window)
//   avg:  Y[n, c, i, j] = mean of the same window's values
//   out = floor((n + 2p - f) / s) + 1, as for a convolution; no parameters to learn.
//
// Padding: positions outside the input are not values. max ignores them (as if -infinity); avg leaves them
// out of the average, dividing by the number of input values the window really covers (so an average near
// the border is not pulled toward 0). padding <= f/2, so every window covers at least one input value.
//
// Backward: max sends dY[n, c, i, j] to the one input that won its window (the first in row-major order on
// a tie); avg spreads it evenly, dY / (values in the window), over the window's inputs.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// kernel: the window f, one size per spatial dim. stride: one per spatial dim, or empty for stride = f.
// padding: one per spatial dim, or empty for none.
Tensor max_pool(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride = {},
                const std::vector<int64_t>& padding = {});
Tensor avg_pool(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride = {},
                const std::vector<int64_t>& padding = {});

// The same window f, stride (-1: stride = f) and padding along every spatial dim of
// x: (N, C, L), (N, C, H, W) or (N, C, D, H, W).
Tensor max_pool1d(const Tensor& x, int64_t f, int64_t stride = -1, int64_t padding = 0);
Tensor max_pool2d(const Tensor& x, int64_t f, int64_t stride = -1, int64_t padding = 0);
Tensor max_pool3d(const Tensor& x, int64_t f, int64_t stride = -1, int64_t padding = 0);
Tensor avg_pool1d(const Tensor& x, int64_t f, int64_t stride = -1, int64_t padding = 0);
Tensor avg_pool2d(const Tensor& x, int64_t f, int64_t stride = -1, int64_t padding = 0);
Tensor avg_pool3d(const Tensor& x, int64_t f, int64_t stride = -1, int64_t padding = 0);

// The definitions as direct loops (ops/pool_naive.cpp), the references the fast kernels are tested against;
// same arguments as max_pool / avg_pool, forward only, no autodiff.
Tensor max_pool_naive(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride = {},
                      const std::vector<int64_t>& padding = {});
Tensor avg_pool_naive(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride = {},
                      const std::vector<int64_t>& padding = {});

// (N, C, *spatial) -> (N, C): the mean of each channel over all its positions.
Tensor global_avg_pool(const Tensor& x);

}  // namespace convlab
