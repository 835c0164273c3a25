// src/kernels/gather.cpp
#include "kernels/gather.hpp"

#include <algorithm>

#include "core/parallel.hpp"

namespace convlab::kernels {
namespace {

// Planes per task: at least kTaskGrain values copied.
int64_t planes_per_task(int64_t P_out) { return std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(1, P_out)); }

}  // namespace

void gather_within_planes(const float* x, int64_t P_in, const std::vector<int64_t>& source, int64_t planes,
                          float* y) {
    const int64_t P_out = static_cast<int64_t>(source.size());
    const int64_t* src = source.data();
    parallel_for(planes, [&](int64_t q0, int64_t q1) {
        for (int64_t q = q0; q < q1; ++q)
            for (int64_t o = 0; o < P_out; ++o) y[q * P_out + o] = x[q * P_in + src[o]];
    }, planes_per_task(P_out));
}

void scatter_add_within_planes(const float* dY, const std::vector<int64_t>& source, int64_t planes, int64_t P_in,
                               float* dX) {
    const int64_t P_out = static_cast<int64_t>(source.size());
    const int64_t* src = source.data();
    parallel_for(planes, [&](int64_t q0, int64_t q1) {
        for (int64_t q = q0; q < q1; ++q)
            for (int64_t o = 0; o < P_out; ++o) dX[q * P_in + src[o]] += dY[q * P_out + o];
    }, planes_per_task(P_out));
}

}  // namespace convlab::kernels
