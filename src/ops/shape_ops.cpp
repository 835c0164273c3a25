// src/ops/shape_ops.cpp
#include "ops/shape_ops.hpp"

#include "core/autograd.hpp"
#include "core/error.hpp"

namespace convlab {

Tensor concat(const std::vector<Tensor>& xs, int dim) {
    check(!xs.empty(), "concat: no tensors");
    const int d = normalize_dim(dim, xs[0].ndim(), "concat");
    Shape shape = xs[0].shape();
    shape[d] = 0;
    for (const Tensor& x : xs) {
        Shape a = x.shape(), b = xs[0].shape();
        check(x.ndim() == xs[0].ndim(), "concat: shapes ", xs[0].shape_str(), " and ", x.shape_str());
        a[d] = b[d] = 0;
        check(a == b, "concat: shapes ", xs[0].shape_str(), " and ", x.shape_str(), " differ outside dim ", dim);
        shape[d] += x.dim(d);
    }
    Tensor out = Tensor::empty(shape);
    const int64_t outer = shape_numel(Shape(shape.begin(), shape.begin() + d));
    const int64_t inner = shape_numel(Shape(shape.begin() + d + 1, shape.end()));
    int64_t at = 0;
    std::vector<int64_t> starts;  // where each x begins along d; the last entry is the end
    for (const Tensor& x : xs) {
        const Tensor xc = x.contiguous();
        const int64_t len = x.dim(d) * inner;
        for (int64_t o = 0; o < outer; ++o)
            std::copy(xc.data() + o * len, xc.data() + (o + 1) * len, out.data() + o * shape[d] * inner + at * inner);
        starts.push_back(at);
        at += x.dim(d);
    }
    starts.push_back(at);
    return record(out, "concat", xs, [starts, d](const Tensor& dY) {
        std::vector<Tensor> dX;
        for (size_t i = 0; i + 1 < starts.size(); ++i)
            dX.push_back(slice(dY, d, starts[i], starts[i + 1]).contiguous());
        return dX;
    });
}

Tensor stack(const std::vector<Tensor>& xs, int dim) {
    check(!xs.empty(), "stack: no tensors");
    std::vector<Tensor> expanded;
    for (const Tensor& x : xs) {
        Shape s = x.shape();
        const int d = dim < 0 ? dim + x.ndim() + 1 : dim;
        check(d >= 0 && d <= x.ndim(), "stack: dim ", dim, " out of range for shape ", x.shape_str());
        s.insert(s.begin() + d, 1);
        expanded.push_back(reshape(x, s));
    }
    return concat(expanded, dim < 0 ? dim + xs[0].ndim() + 1 : dim);
}

Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, float value) {
    const int nd = x.ndim(), n_padded = static_cast<int>(pads.size()) / 2;
    check(pads.size() % 2 == 0 && n_padded <= nd, "pad: ", pads.size(), " pad values for shape ", x.shape_str());
    Shape shape = x.shape();
    std::vector<int64_t> before(nd, 0);
    for (int i = 0; i < n_padded; ++i) {
        const int d = nd - n_padded + i;
        check(pads[2 * i] >= 0 && pads[2 * i + 1] >= 0, "pad: negative padding");
        before[d] = pads[2 * i];
        shape[d] += pads[2 * i] + pads[2 * i + 1];
    }
    Tensor out = Tensor::full(shape, value);
    {
        NoGradGuard no_grad;
        Tensor interior = out;  // the view of `out` that x is copied into
        for (int d = 0; d < nd; ++d) interior = interior.slice(d, before[d], before[d] + x.dim(d));
        interior.copy_(x);
    }
    return record(out, "pad", {x}, [before, from = x.shape()](const Tensor& dY) {
        Tensor g = dY;
        for (size_t d = 0; d < from.size(); ++d)
            if (g.dim(static_cast<int>(d)) != from[d]) g = slice(g, static_cast<int>(d), before[d], before[d] + from[d]);
        return std::vector<Tensor>{g.contiguous()};
    });
}

}  // namespace convlab
