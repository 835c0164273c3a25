// src/kernels/pool.cpp
#include "kernels/pool.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab::kernels {
namespace {

// Runs fn(q) for every plane q in parallel, at least kTaskGrain window taps per task.
void for_each_plane(const PoolWindows& w, const std::function<void(int64_t q)>& fn) {
    const int64_t taps = std::max<int64_t>(1, static_cast<int64_t>(w.tap.size()));
    parallel_for(w.planes, [&](int64_t q0, int64_t q1) {
        for (int64_t q = q0; q < q1; ++q) fn(q);
    }, std::max<int64_t>(1, kTaskGrain / taps));
}

}  // namespace

PoolWindows pool_windows(const char* op, const Shape& x_shape, const std::vector<int64_t>& kernel,
                         const std::vector<int64_t>& stride_in, const std::vector<int64_t>& padding_in) {
    const size_t n_spatial = kernel.size();
    const std::string x_str = shape_str(x_shape);
    check(x_shape.size() >= 3 && x_shape.size() <= 5 && x_shape.size() == n_spatial + 2, op,
          ": expected x (N, C, *spatial) with as many spatial dims as the window (", n_spatial, "), got ", x_str);
    const std::vector<int64_t> stride = stride_in.empty() ? kernel : stride_in;
    const std::vector<int64_t> padding = padding_in.empty() ? std::vector<int64_t>(n_spatial, 0) : padding_in;
    const std::string what = std::string(op) + " of x " + x_str;
    PoolWindows w;
    w.g = conv_geometry(what.c_str(), 1, Shape(x_shape.begin() + 2, x_shape.end()), kernel, stride, padding,
                        std::vector<int64_t>(n_spatial, 1));
    for (size_t i = 0; i < n_spatial; ++i)
        check(2 * padding[i] <= kernel[i], what, ": padding ", padding[i], " is more than half the window ",
              kernel[i], " along spatial dim ", i, ", so a window could cover only padding");
    w.planes = x_shape[0] * x_shape[1];
    w.out_shape = w.g.out_shape(x_shape[0], x_shape[1]);
    const ConvGeometry& g = w.g;
    for (int64_t i = 0; i < g.out[0]; ++i)
        for (int64_t j = 0; j < g.out[1]; ++j)
            for (int64_t k = 0; k < g.out[2]; ++k) {
                w.start.push_back(static_cast<int64_t>(w.tap.size()));
                for (int64_t u = 0; u < g.f[0]; ++u)
                    for (int64_t v = 0; v < g.f[1]; ++v)
                        for (int64_t t = 0; t < g.f[2]; ++t) {
                            const int64_t iz = i * g.s[0] + u - g.p[0], iy = j * g.s[1] + v - g.p[1],
                                          ix = k * g.s[2] + t - g.p[2];
                            if (iz >= 0 && iz < g.n[0] && iy >= 0 && iy < g.n[1] && ix >= 0 && ix < g.n[2])
                                w.tap.push_back((iz * g.n[1] + iy) * g.n[2] + ix);
                        }
            }
    w.start.push_back(static_cast<int64_t>(w.tap.size()));
    return w;
}

void max_pool_forward(const PoolWindows& w, const float* x, float* y, int32_t* arg) {
    const int64_t L = w.g.out_numel(), plane = w.g.in_numel();
    const int64_t *start = w.start.data(), *tap = w.tap.data();
    for_each_plane(w, [&](int64_t q) {
        const float* xq = x + q * plane;
        for (int64_t o = 0; o < L; ++o) {
            int64_t best = tap[start[o]];
            for (int64_t t = start[o] + 1; t < start[o + 1]; ++t)
                if (xq[tap[t]] > xq[best]) best = tap[t];
            y[q * L + o] = xq[best];
            arg[q * L + o] = static_cast<int32_t>(best);
        }
    });
}

void max_pool_backward(const PoolWindows& w, const int32_t* arg, const float* dY, float* dX) {
    const int64_t L = w.g.out_numel(), plane = w.g.in_numel();
    for_each_plane(w, [&](int64_t q) {
        for (int64_t o = 0; o < L; ++o) dX[q * plane + arg[q * L + o]] += dY[q * L + o];
    });
}

void avg_pool_forward(const PoolWindows& w, const float* x, float* y) {
    const int64_t L = w.g.out_numel(), plane = w.g.in_numel();
    const int64_t *start = w.start.data(), *tap = w.tap.data();
    for_each_plane(w, [&](int64_t q) {
        const float* xq = x + q * plane;
        for (int64_t o = 0; o < L; ++o) {
            double acc = 0.0;
            for (int64_t t = start[o]; t < start[o + 1]; ++t) acc += xq[tap[t]];
            y[q * L + o] = static_cast<float>(acc / double(start[o + 1] - start[o]));
        }
    });
}

void avg_pool_backward(const PoolWindows& w, const float* dY, float* dX) {
    const int64_t L = w.g.out_numel(), plane = w.g.in_numel();
    const int64_t *start = w.start.data(), *tap = w.tap.data();
    for_each_plane(w, [&](int64_t q) {
        float* dxq = dX + q * plane;
        for (int64_t o = 0; o < L; ++o) {
            const float share = dY[q * L + o] / static_cast<float>(start[o + 1] - start[o]);
            for (int64_t t = start[o]; t < start[o + 1]; ++t) dxq[tap[t]] += share;
        }
    });
}

}  // namespace convlab::kernels
