// src/ops/pool_naive.cpp
//
// Pooling by its definition: every output value looks at its window directly.      [lecture (course 4,
// week 1): "Pooling layers"]. As in conv_naive.cpp, sizes are lifted to 3 spatial dims (D, H, W), so one
// loop nest serves 1D, 2D and 3D. Window (i, j, k) covers the input positions
//   (iz, iy, ix) = (i s_D + u - p_D,  j s_H + v - p_H,  k s_W + w - p_W),   0 <= u < f_D, 0 <= v < f_H, 0 <= w < f_W
// and positions in the padding are left out: of the max, and of the average's count.
#include <algorithm>
#include <limits>

#include "kernels/im2col.hpp"
#include "ops/pool.hpp"

namespace convlab {
namespace {

enum class Pool { max, average };

Tensor pool_naive(const char* op, Pool kind, const Tensor& x_in, const std::vector<int64_t>& kernel,
                  const std::vector<int64_t>& stride, const std::vector<int64_t>& padding) {
    const Tensor x = x_in.contiguous();
    const size_t n_spatial = kernel.size();
    check(x.ndim() == static_cast<int>(n_spatial) + 2, op, ": expected x (N, C, *spatial) with ", n_spatial,
          " spatial dims, got ", x.shape_str());
    const ConvGeometry g = conv_geometry(op, 1, Shape(x.shape().begin() + 2, x.shape().end()), kernel,
                                         stride.empty() ? kernel : stride,
                                         padding.empty() ? std::vector<int64_t>(n_spatial, 0) : padding,
                                         std::vector<int64_t>(n_spatial, 1));
    const int64_t planes = x.dim(0) * x.dim(1);
    Tensor Y = Tensor::empty(g.out_shape(x.dim(0), x.dim(1)));
    float* y = Y.data();
    // BEGIN SOLUTION core.pool_naive
    for (int64_t plane = 0; plane < planes; ++plane) {
        const float* a = x.data() + plane * g.in_numel();
        for (int64_t i = 0; i < g.out[0]; ++i)
            for (int64_t j = 0; j < g.out[1]; ++j)
                for (int64_t k = 0; k < g.out[2]; ++k) {
                    double best = -std::numeric_limits<double>::infinity(), total = 0.0;
                    int64_t count = 0;
                    for (int64_t u = 0; u < g.f[0]; ++u)
                        for (int64_t v = 0; v < g.f[1]; ++v)
                            for (int64_t w = 0; w < g.f[2]; ++w) {
                                const int64_t iz = i * g.s[0] + u - g.p[0], iy = j * g.s[1] + v - g.p[1],
                                              ix = k * g.s[2] + w - g.p[2];
                                if (iz < 0 || iz >= g.n[0] || iy < 0 || iy >= g.n[1] || ix < 0 || ix >= g.n[2])
                                    continue;  // padding
                                const double value = a[(iz * g.n[1] + iy) * g.n[2] + ix];
                                best = std::max(best, value);
                                total += value;
                                ++count;
                            }
                    *y++ = static_cast<float>(kind == Pool::max ? best : total / count);
                }
    }
    // END SOLUTION
    return Y;
}

}  // namespace

// Y[n, c, i, j, k] = max over the window of X[n, c, iz, iy, ix]
Tensor max_pool_naive(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                      const std::vector<int64_t>& padding) {
    return pool_naive("max_pool_naive", Pool::max, x, kernel, stride, padding);
}

// Y[n, c, i, j, k] = (1 / |window without padding|) * sum over the window of X[n, c, iz, iy, ix]
Tensor avg_pool_naive(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                      const std::vector<int64_t>& padding) {
    return pool_naive("avg_pool_naive", Pool::average, x, kernel, stride, padding);
}

}  // namespace convlab
