// src/kernels/gather.hpp
//
// The loops behind copy_within_planes (src/ops/upsample.hpp), which upsampling and reflection padding are
// made of. x is (planes, P_in) and y (planes, P_out), dense; source holds P_out offsets into a plane of x.
// Planes are shared among the threads; each plane of y (or dX) is written by one thread, in the order
// o = 0, 1, ..., so the result is the same bits for any thread count.
#pragma once

#include <cstdint>
#include <vector>

namespace convlab::kernels {

// y[q, o] = x[q, source[o]]
void gather_within_planes(const float* x, int64_t P_in, const std::vector<int64_t>& source, int64_t planes,
                          float* y);
// dX[q, source[o]] += dY[q, o]  for o = 0, 1, ..., P_out - 1   (dX zeroed by the caller)
void scatter_add_within_planes(const float* dY, const std::vector<int64_t>& source, int64_t planes, int64_t P_in,
                               float* dX);

}  // namespace convlab::kernels
