// src/kernels/pool.hpp
//
// The loops behind max and average pooling (src/ops/pool.cpp has the formulas, the checks and autodiff).
// Every (n, c) plane is pooled the same way, so the windows are listed once per call: which input offsets
// of a plane each output position covers, padding left out. Planes then run in parallel, each plane's
// outputs (and its part of dX) computed by one thread in a fixed order: the same bits for any thread count.
// The definitions these are tested against: max_pool_naive, avg_pool_naive (src/ops/pool_naive.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "kernels/im2col.hpp"

namespace convlab::kernels {

// Window o (output position (i, j, k) of a plane, row-major) covers the plane offsets
// tap[start[o] .. start[o+1]), listed in row-major order of the taps.
struct PoolWindows {
    ConvGeometry g;  // of one plane: n_C = 1
    std::vector<int64_t> start, tap;
    int64_t planes = 0;  // N * C
    Shape out_shape;     // (N, C, *out)
};

// The windows of x (N, C, *spatial), 1 to 3 spatial dims. kernel: one size per spatial dim; stride: one
// per spatial dim, or empty for stride = kernel; padding: one per spatial dim, or empty for none, at most
// half the window. Bad shapes or sizes -> convlab::Error naming `op` and x's shape.
PoolWindows pool_windows(const char* op, const Shape& x_shape, const std::vector<int64_t>& kernel,
                         const std::vector<int64_t>& stride, const std::vector<int64_t>& padding);

// x, y, dX, dY: dense buffers of the input's and the output's shape.
// y[q, o] = max over window o of x[q, t]; arg[q, o] = the offset t of the first maximum in the plane.
void max_pool_forward(const PoolWindows& w, const float* x, float* y, int32_t* arg);
// dX[q, arg[q, o]] += dY[q, o]   (dX zeroed by the caller)
void max_pool_backward(const PoolWindows& w, const int32_t* arg, const float* dY, float* dX);
// y[q, o] = mean over window o of x[q, t], summed in double
void avg_pool_forward(const PoolWindows& w, const float* x, float* y);
// dX[q, t] += dY[q, o] / |window o| for every t in window o   (dX zeroed by the caller)
void avg_pool_backward(const PoolWindows& w, const float* dY, float* dX);

}  // namespace convlab::kernels
