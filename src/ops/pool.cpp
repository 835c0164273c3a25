// src/ops/pool.cpp
//
// Pooling, each channel on its own.                                        [lecture: "Pooling layers"]
//
//   max:  Y[n, c, o] = max over window o of X[n, c, t]      dX[n, c, t] += dY[n, c, o] for the first t that won
//   avg:  Y[n, c, o] = (1 / |window o|) sum over window o of X[n, c, t]
//                                                            dX[n, c, t] += dY[n, c, o] / |window o|
//
// x (N, C, *n)  ->  Y (N, C, *out), out = floor((n + 2p - f) / s) + 1; positions in the padding are not in
// any window. How the windows are listed and the planes shared among threads: src/kernels/pool.hpp.
#include "ops/pool.hpp"

#include <limits>
#include <memory>
#include <numeric>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "kernels/pool.hpp"
#include "ops/reduce.hpp"

namespace convlab {
namespace {

Tensor max_pool_of(const char* op, const Tensor& x_in, const std::vector<int64_t>& kernel,
                   const std::vector<int64_t>& stride, const std::vector<int64_t>& padding) {
    const auto win = std::make_shared<const kernels::PoolWindows>(
        kernels::pool_windows(op, x_in.shape(), kernel, stride, padding));
    check(win->g.in_numel() <= std::numeric_limits<int32_t>::max(), op, ": a plane of ", win->g.in_numel(),
          " values is more than the 32-bit offsets of the winners can address");
    const Tensor x = x_in.contiguous();
    Tensor Y = Tensor::empty(win->out_shape);
    // where each window's maximum was: 32-bit offsets, half the memory traffic of 64-bit ones
    auto arg = std::make_shared<std::vector<int32_t>>(static_cast<size_t>(Y.numel()));
    kernels::max_pool_forward(*win, x.data(), Y.data(), arg->data());
    return record(Y, op, {x_in}, [win, arg, x_shape = x_in.shape()](const Tensor& dY_in) {
        const Tensor dY = dY_in.contiguous();
        Tensor dX = Tensor::zeros(x_shape);
        kernels::max_pool_backward(*win, arg->data(), dY.data(), dX.data());
        return std::vector<Tensor>{dX};
    });
}

Tensor avg_pool_of(const char* op, const Tensor& x_in, const std::vector<int64_t>& kernel,
                   const std::vector<int64_t>& stride, const std::vector<int64_t>& padding) {
    const auto win = std::make_shared<const kernels::PoolWindows>(
        kernels::pool_windows(op, x_in.shape(), kernel, stride, padding));
    const Tensor x = x_in.contiguous();
    Tensor Y = Tensor::empty(win->out_shape);
    kernels::avg_pool_forward(*win, x.data(), Y.data());
    return record(Y, op, {x_in}, [win, x_shape = x_in.shape()](const Tensor& dY_in) {
        const Tensor dY = dY_in.contiguous();
        Tensor dX = Tensor::zeros(x_shape);
        kernels::avg_pool_backward(*win, dY.data(), dX.data());
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
