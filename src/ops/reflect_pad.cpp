// src/ops/reflect_pad.cpp
#include "ops/reflect_pad.hpp"

#include "core/error.hpp"
#include "ops/upsample.hpp"

namespace convlab {

// The padded dims are the last k; the dims before them index independent planes. For every output position
// of a plane, source holds the input offset it mirrors, built one padded dim at a time in row-major order.
Tensor reflect_pad(const Tensor& x, const std::vector<int64_t>& pads) {
    const int nd = x.ndim(), k = static_cast<int>(pads.size() / 2);
    check(pads.size() % 2 == 0 && k >= 1 && k <= nd, "reflect_pad: expected 2 pad values per padded dim for x ",
          x.shape_str(), ", got ", pads.size(), " values");
    Shape out_shape = x.shape();
    std::vector<int64_t> source{0};
    for (int i = 0; i < k; ++i) {
        const int d = nd - k + i;
        const int64_t n = x.dim(d), before = pads[2 * i], after = pads[2 * i + 1];
        check(before >= 0 && after >= 0 && before < n && after < n, "reflect_pad: padding (", before, ", ", after,
              ") of dim ", d, " of x ", x.shape_str(), " must be >= 0 and smaller than its size ", n);
        out_shape[d] = before + n + after;
        std::vector<int64_t> next;
        next.reserve(source.size() * static_cast<size_t>(out_shape[d]));
        for (const int64_t offset : source)
            for (int64_t t = -before; t < n + after; ++t)
                next.push_back(offset * n + (t < 0 ? -t : t >= n ? 2 * (n - 1) - t : t));
        source = std::move(next);
    }
    const int64_t planes = shape_numel(Shape(x.shape().begin(), x.shape().end() - k));
    return copy_within_planes(x, out_shape, planes, std::move(source), "reflect_pad");
}

}  // namespace convlab
