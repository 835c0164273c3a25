// src/ops/upsample.cpp
#include "ops/upsample.hpp"

#include <algorithm>
#include <memory>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "kernels/gather.hpp"

namespace convlab {

//   Y[q, o] = X[q, source[o]]        dX[q, t] = sum of dY[q, o] over every o with source[o] = t
Tensor copy_within_planes(const Tensor& x_in, const Shape& out_shape, int64_t planes, std::vector<int64_t> source_in,
                          const char* op) {
    const Tensor x = x_in.contiguous();
    const auto source = std::make_shared<const std::vector<int64_t>>(std::move(source_in));
    const int64_t P_in = x.numel() / std::max<int64_t>(1, planes), P_out = static_cast<int64_t>(source->size());
    check(planes * P_out == shape_numel(out_shape) && planes * P_in == x.numel(), op, ": ", planes, " planes of ",
          P_out, " do not make the output shape ", shape_str(out_shape), " from x ", x.shape_str());
    Tensor Y = Tensor::empty(out_shape);
    kernels::gather_within_planes(x.data(), P_in, *source, planes, Y.data());
    return record(Y, op, {x_in}, [source, x_shape = x.shape(), planes, P_in](const Tensor& dY) {
        Tensor dX = Tensor::zeros(x_shape);
        kernels::scatter_add_within_planes(dY.contiguous().data(), *source, planes, P_in, dX.data());
        return std::vector<Tensor>{dX};
    });
}

// Sizes lifted to 3 spatial dims (D, H, W) with leading 1s; a dim that was not given keeps size 1 (factor 1).
Tensor upsample_nearest(const Tensor& x, int64_t scale) {
    check(x.ndim() >= 3 && x.ndim() <= 5, "upsample_nearest: expected x (N, C, *spatial) with 1 to 3 spatial dims, ",
          "got ", x.shape_str());
    check(scale >= 1, "upsample_nearest: expected scale >= 1, got ", scale);
    const int n_spatial = x.ndim() - 2;
    int64_t n[3] = {1, 1, 1}, factor[3] = {1, 1, 1};
    Shape out_shape = x.shape();
    for (int a = 0; a < n_spatial; ++a) {
        n[3 - n_spatial + a] = x.dim(2 + a);
        factor[3 - n_spatial + a] = scale;
        out_shape[2 + a] *= scale;
    }
    std::vector<int64_t> source;
    source.reserve(static_cast<size_t>(n[0] * n[1] * n[2] * factor[0] * factor[1] * factor[2]));
    for (int64_t i = 0; i < n[0] * factor[0]; ++i)
        for (int64_t j = 0; j < n[1] * factor[1]; ++j)
            for (int64_t k = 0; k < n[2] * factor[2]; ++k)
                source.push_back(((i / factor[0]) * n[1] + j / factor[1]) * n[2] + k / factor[2]);
    return copy_within_planes(x, out_shape, x.dim(0) * x.dim(1), std::move(source), "upsample_nearest");
}

}  // namespace convlab
