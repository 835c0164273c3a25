// src/ops/pool.cpp
//
// Every (n, c) plane is pooled the same way, so the windows are listed once per call (which input offsets
// of a plane each output position covers, padding left out), then planes run in parallel: each output value
// and each plane of dX is computed by one thread in a fixed order, the same bits for any thread count.
#include "ops/pool.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <string>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/im2col.hpp"
#include "ops/reduce.hpp"

namespace convlab {
namespace {

// Window o (output position (i, j, k), row-major) covers the plane offsets tap[start[o] .. start[o+1]), which
// are listed in row-major order of the taps.
struct Windows {
    ConvGeometry g;  // one plane: n_C = 1
    std::vector<int64_t> start, tap;
    int64_t planes;  // N * C
};

Windows windows_of(const char* op, const Tensor& x, const std::vector<int64_t>& kernel,
                   const std::vector<int64_t>& stride_in, const std::vector<int64_t>& padding_in) {
    const size_t n_spatial = kernel.size();
    check(x.ndim() >= 3 && x.ndim() <= 5 && static_cast<size_t>(x.ndim()) == n_spatial + 2, op,
          ": expected x (N, C, *spatial) with as many spatial dims as the window (", n_spatial, "), got ",
          x.shape_str());
    const std::vector<int64_t> stride = stride_in.empty() ? kernel : stride_in;
    const std::vector<int64_t> padding = padding_in.empty() ? std::vector<int64_t>(n_spatial, 0) : padding_in;
    const std::string what = std::string(op) + " of x " + x.shape_str();
    Windows win;
    win.g = conv_geometry(what.c_str(), 1, Shape(x.shape().begin() + 2, x.shape().end()), kernel, stride, padding,
                        std::vector<int64_t>(n_spatial, 1));
    for (size_t i = 0; i < n_spatial; ++i)
        check(2 * padding[i] <= kernel[i], what, ": padding ", padding[i], " is more than half the window ",
              kernel[i], " along spatial dim ", i, ", so a window could cover only padding");
    win.planes = x.dim(0) * x.dim(1);
    const ConvGeometry& g = win.g;
    for (int64_t i = 0; i < g.out[0]; ++i)
        for (int64_t j = 0; j < g.out[1]; ++j)
            for (int64_t k = 0; k < g.out[2]; ++k) {
                win.start.push_back(static_cast<int64_t>(win.tap.size()));
                for (int64_t u = 0; u < g.f[0]; ++u)
                    for (int64_t v = 0; v < g.f[1]; ++v)
                        for (int64_t w = 0; w < g.f[2]; ++w) {
                            const int64_t iz = i * g.s[0] + u - g.p[0], iy = j * g.s[1] + v - g.p[1],
                                          ix = k * g.s[2] + w - g.p[2];
                            if (iz >= 0 && iz < g.n[0] && iy >= 0 && iy < g.n[1] && ix >= 0 && ix < g.n[2])
                                win.tap.push_back((iz * g.n[1] + iy) * g.n[2] + ix);
                        }
            }
    win.start.push_back(static_cast<int64_t>(win.tap.size()));
    return win;
}

// Runs fn(q) for every plane q in parallel, chunked by the taps a plane visits.
void for_each_plane(const Windows& win, const std::function<void(int64_t q)>& fn) {
    const int64_t work = std::max<int64_t>(1, static_cast<int64_t>(win.tap.size()));
    parallel_for(win.planes, [&](int64_t q0, int64_t q1) {
        for (int64_t q = q0; q < q1; ++q) fn(q);
    }, std::max<int64_t>(1, kTaskGrain / work));
}

Shape out_shape(const Windows& win, const Tensor& x) { return win.g.out_shape(x.dim(0), x.dim(1)); }

// Y[q, o] = max over window o of X[q, t]; arg[q, o] = the offset t of the first maximum.
Tensor max_pool_of(const char* op, const Tensor& x_in, const std::vector<int64_t>& kernel,
                   const std::vector<int64_t>& stride, const std::vector<int64_t>& padding) {
    const auto win = std::make_shared<const Windows>(windows_of(op, x_in, kernel, stride, padding));
    const int64_t L = win->g.out_numel(), plane = win->g.in_numel();
    const Tensor x = x_in.contiguous();
    Tensor Y = Tensor::empty(out_shape(*win, x));
    check(plane <= std::numeric_limits<int32_t>::max(), op, ": a plane of ", plane,
          " values is more than the 32-bit offsets of the winners can address");
    // 32-bit offsets: half the memory traffic of 64-bit ones, in a pass that is bound by memory
    auto arg = std::make_shared<std::vector<int32_t>>(static_cast<size_t>(win->planes * L));
    const int64_t *start = win->start.data(), *tap = win->tap.data();
    const float* px = x.data();
    float* py = Y.data();
    for_each_plane(*win, [&](int64_t q) {
        const float* xq = px + q * plane;
        int32_t* arg_q = arg->data() + q * L;
        for (int64_t o = 0; o < L; ++o) {
            int64_t best = tap[start[o]];
            for (int64_t t = start[o] + 1; t < start[o + 1]; ++t)
                if (xq[tap[t]] > xq[best]) best = tap[t];
            py[q * L + o] = xq[best];
            arg_q[o] = static_cast<int32_t>(best);
        }
    });
    return record(Y, op, {x_in}, [win, arg, x_shape = x_in.shape()](const Tensor& dY_in) {
        const int64_t L = win->g.out_numel(), plane = win->g.in_numel();
        const Tensor dY = dY_in.contiguous();
        Tensor dX = Tensor::zeros(x_shape);
        const float* pg = dY.data();
        float* pd = dX.data();
        for_each_plane(*win, [&](int64_t q) {
            const int32_t* arg_q = arg->data() + q * L;
            for (int64_t o = 0; o < L; ++o) pd[q * plane + arg_q[o]] += pg[q * L + o];
        });
        return std::vector<Tensor>{dX};
    });
}

// Y[q, o] = (1 / |window o|) sum over window o of X[q, t]
Tensor avg_pool_of(const char* op, const Tensor& x_in, const std::vector<int64_t>& kernel,
                   const std::vector<int64_t>& stride, const std::vector<int64_t>& padding) {
    const auto win = std::make_shared<const Windows>(windows_of(op, x_in, kernel, stride, padding));
    const int64_t L = win->g.out_numel(), plane = win->g.in_numel();
    const Tensor x = x_in.contiguous();
    Tensor Y = Tensor::empty(out_shape(*win, x));
    const int64_t *start = win->start.data(), *tap = win->tap.data();
    const float* px = x.data();
    float* py = Y.data();
    for_each_plane(*win, [&](int64_t q) {
        const float* xq = px + q * plane;
        for (int64_t o = 0; o < L; ++o) {
            double acc = 0.0;
            for (int64_t t = start[o]; t < start[o + 1]; ++t) acc += xq[tap[t]];
            py[q * L + o] = static_cast<float>(acc / double(start[o + 1] - start[o]));
        }
    });
    return record(Y, op, {x_in}, [win, x_shape = x_in.shape()](const Tensor& dY_in) {
        const int64_t L = win->g.out_numel(), plane = win->g.in_numel();
        const Tensor dY = dY_in.contiguous();
        Tensor dX = Tensor::zeros(x_shape);
        const int64_t *start = win->start.data(), *tap = win->tap.data();
        const float* pg = dY.data();
        float* pd = dX.data();
        for_each_plane(*win, [&](int64_t q) {
            float* dxq = pd + q * plane;
            for (int64_t o = 0; o < L; ++o) {
                const float share = pg[q * L + o] / static_cast<float>(start[o + 1] - start[o]);
                for (int64_t t = start[o]; t < start[o + 1]; ++t) dxq[tap[t]] += share;
            }
        });
        return std::vector<Tensor>{dX};
    });
}

// The n-d forms with one window size, stride and padding for every spatial dim.
using PoolFn = Tensor (*)(const char*, const Tensor&, const std::vector<int64_t>&, const std::vector<int64_t>&,
                          const std::vector<int64_t>&);
Tensor pool_nd(PoolFn pool, const char* op, int n_spatial, const Tensor& x, int64_t f, int64_t stride,
               int64_t padding) {
    check(x.ndim() == n_spatial + 2, op, ": expected x (N, C, *spatial) with ", n_spatial, " spatial dims, got ",
          x.shape_str());
    const size_t k = static_cast<size_t>(n_spatial);
    return pool(op, x, std::vector<int64_t>(k, f), std::vector<int64_t>(k, stride == -1 ? f : stride),
                std::vector<int64_t>(k, padding));
}

}  // namespace

Tensor max_pool(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                const std::vector<int64_t>& padding) {
    return max_pool_of("max_pool", x, kernel, stride, padding);
}
Tensor avg_pool(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                const std::vector<int64_t>& padding) {
    return avg_pool_of("avg_pool", x, kernel, stride, padding);
}

Tensor max_pool1d(const Tensor& x, int64_t f, int64_t stride, int64_t padding) {
    return pool_nd(max_pool_of, "max_pool1d", 1, x, f, stride, padding);
}
Tensor max_pool2d(const Tensor& x, int64_t f, int64_t stride, int64_t padding) {
    return pool_nd(max_pool_of, "max_pool2d", 2, x, f, stride, padding);
}
Tensor max_pool3d(const Tensor& x, int64_t f, int64_t stride, int64_t padding) {
    return pool_nd(max_pool_of, "max_pool3d", 3, x, f, stride, padding);
}
Tensor avg_pool1d(const Tensor& x, int64_t f, int64_t stride, int64_t padding) {
    return pool_nd(avg_pool_of, "avg_pool1d", 1, x, f, stride, padding);
}
Tensor avg_pool2d(const Tensor& x, int64_t f, int64_t stride, int64_t padding) {
    return pool_nd(avg_pool_of, "avg_pool2d", 2, x, f, stride, padding);
}
Tensor avg_pool3d(const Tensor& x, int64_t f, int64_t stride, int64_t padding) {
    return pool_nd(avg_pool_of, "avg_pool3d", 3, x, f, stride, padding);
}

Tensor global_avg_pool(const Tensor& x) {
    check(x.ndim() >= 3, "global_avg_pool: expected x (N, C, *spatial), got ", x.shape_str());
    std::vector<int> spatial(static_cast<size_t>(x.ndim() - 2));
    std::iota(spatial.begin(), spatial.end(), 2);
    return mean(x, spatial);
}

}  // namespace convlab
