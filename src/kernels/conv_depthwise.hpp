// src/kernels/conv_depthwise.hpp
//
// The depthwise convolution (groups = C_in, MobileNet's): every input channel c filtered on its own by m
// filters (the channel multiplier, m = C_out / C_in), output o = c m + j reading channel c = o / m alone:
//
//   Y[n, o, i, j, k] = b[o] + sum_u sum_v sum_w W[o, 0, u, v, w] * x[n, o / m, i s + u d - p, j s + v d - p,
//                                                                    k s + w d - p]
//
// Its definition is conv_forward_naive (ops/conv_naive.cpp) with groups = C_in; the tests hold this to it.
// A plane has only f_D f_H f_W multiply-adds per output (9 for 3x3), too few for a matrix product to pay:
// here each output row is computed in one pass along its W contiguous outputs (a vector of them at a time),
// every tap a multiply-add of a shifted row of x. Tasks are (sample, input channel) planes, their m outputs
// together: each output is summed by one thread in a fixed order, the same bits for any thread count.
#pragma once

#include <cstdint>

#include "kernels/conv_geometry.hpp"

namespace convlab {

// True for a depthwise g (groups = n_C, more than one channel): depthwise_forward computes it.
bool depthwise_applies(const ConvGeometry& g);

// Y (N, C_out, *out) from x (N, n_C, *n), W (C_out, 1, *f) dense; b may be null. C_out a multiple of n_C.
void depthwise_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                       const float* b, float* Y);

}  // namespace convlab
