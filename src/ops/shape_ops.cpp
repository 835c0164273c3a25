// src/ops/shape_ops.cpp
#include "ops/shape_ops.hpp"

#include <numeric>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab {
namespace {

// A view of x's storage with another shape/strides/offset.
Tensor view(const Tensor& x, const Shape& shape, const Shape& strides, int64_t offset) {
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = x.impl()->storage;
    impl->offset = offset;
    impl->shape = shape;
    impl->strides = strides;
    return Tensor(std::move(impl));
}

Shape infer_shape(const Shape& shape, int64_t numel, const Shape& from) {
    Shape out = shape;
    int64_t known = 1;
    int unknown = -1;
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i] == -1) {
            check(unknown < 0, "reshape: more than one -1 in ", shape_str(shape));
            unknown = static_cast<int>(i);
        } else {
            known *= out[i];
        }
    }
    if (unknown >= 0 && known > 0 && numel % known == 0) out[unknown] = numel / known;
    check(shape_numel(out) == numel, "reshape: cannot view shape ", shape_str(from), " (", numel,
          " elements) as ", shape_str(shape));
    return out;
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape_in) {
    const Shape shape = infer_shape(shape_in, x.numel(), x.shape());
    check(shape.size() <= static_cast<size_t>(kMaxDims), "reshape: at most ", kMaxDims, " dims, got ",
          shape_str(shape));
    const Tensor xc = x.contiguous();
    Tensor y = view(xc, shape, contiguous_strides(shape), xc.impl()->offset);
    return record(y, "reshape", {xc}, [from = x.shape()](const Tensor& dY) {
        return std::vector<Tensor>{reshape(dY, from)};
    });
}

Tensor slice(const Tensor& x, int dim, int64_t start, int64_t end) {
    const int d = normalize_dim(dim, x.ndim(), "slice");
    check(0 <= start && start <= end && end <= x.dim(d), "slice: range [", start, ", ", end, ") out of bounds ",
          "for dim ", dim, " of shape ", x.shape_str());
    Shape shape = x.shape();
    shape[d] = end - start;
    Tensor y = view(x, shape, x.strides(), x.impl()->offset + start * x.strides()[d]);
    return record(y, "slice", {x}, [from = x.shape(), d, start](const Tensor& dY) {
        std::vector<int64_t> pads(2 * (from.size() - d), 0);
        pads[0] = start;
        pads[1] = from[d] - start - dY.dim(d);
        return std::vector<Tensor>{pad(dY, pads)};
    });
}

Tensor select(const Tensor& x, int dim, int64_t index) {
    const int d = normalize_dim(dim, x.ndim(), "select");
    check(index >= 0 && index < x.dim(d), "select: index ", index, " out of range for dim ", dim, " of shape ",
          x.shape_str());
    Shape shape = x.shape();
    shape.erase(shape.begin() + d);
    const Tensor s = slice(x, d, index, index + 1);
    Shape strides = s.strides();
    strides.erase(strides.begin() + d);
    Tensor y = view(s, shape, strides, s.impl()->offset);
    return record(y, "select", {s}, [from = s.shape()](const Tensor& dY) {
        return std::vector<Tensor>{reshape(dY, from)};
    });
}

Tensor permute(const Tensor& x, const std::vector<int>& order) {
    const int nd = x.ndim();
    check(static_cast<int>(order.size()) == nd, "permute: order of ", order.size(), " dims for shape ",
          x.shape_str());
    std::vector<int> inverse(nd, -1);
    Shape shape(nd), strides(nd);
    for (int i = 0; i < nd; ++i) {
        const int d = normalize_dim(order[i], nd, "permute");
        check(inverse[d] < 0, "permute: dim ", d, " repeated");
        inverse[d] = i;
        shape[i] = x.dim(d);
        strides[i] = x.strides()[d];
    }
    Tensor y = view(x, shape, strides, x.impl()->offset);
    return record(y, "permute", {x}, [inverse](const Tensor& dY) {
        return std::vector<Tensor>{permute(dY, inverse)};
    });
}

Tensor transpose(const Tensor& x, int dim0, int dim1) {
    std::vector<int> order(x.ndim());
    std::iota(order.begin(), order.end(), 0);
    std::swap(order[normalize_dim(dim0, x.ndim(), "transpose")], order[normalize_dim(dim1, x.ndim(), "transpose")]);
    return permute(x, order);
}

Tensor transpose(const Tensor& x) {
    check(x.ndim() >= 2, "transpose: needs at least 2 dims, got shape ", x.shape_str());
    return transpose(x, -2, -1);
}

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
    // Copy x into the interior: a strided view of `out` at the offset of `before`.
    int64_t offset = 0;
    for (int d = 0; d < nd; ++d) offset += before[d] * out.strides()[d];
    {
        NoGradGuard no_grad;
        Tensor interior = view(out, x.shape(), out.strides(), offset);
        const Tensor xc = x.contiguous();
        const int64_t inner = nd ? x.dim(nd - 1) : 1;
        const int64_t rows = inner ? x.numel() / inner : 0;
        parallel_for(rows, [&](int64_t r0, int64_t r1) {
            for (int64_t r = r0; r < r1; ++r) {
                int64_t rem = r, off = 0;
                for (int d = nd - 2; d >= 0; --d) {
                    off += (rem % x.dim(d)) * interior.strides()[d];
                    rem /= x.dim(d);
                }
                std::copy(xc.data() + r * inner, xc.data() + (r + 1) * inner, interior.data() + off);
            }
        }, 64);
    }
    return record(out, "pad", {x}, [before, from = x.shape()](const Tensor& dY) {
        Tensor g = dY;
        for (size_t d = 0; d < from.size(); ++d)
            if (g.dim(static_cast<int>(d)) != from[d]) g = slice(g, static_cast<int>(d), before[d], before[d] + from[d]);
        return std::vector<Tensor>{g.contiguous()};
    });
}

// ---- Tensor members ------------------------------------------------------------------------------------

Tensor Tensor::reshape(const Shape& shape) const { return convlab::reshape(*this, shape); }
Tensor Tensor::flatten(int start_dim) const {
    const int s = normalize_dim(start_dim, ndim(), "flatten");
    Shape shape(this->shape().begin(), this->shape().begin() + s);
    shape.push_back(-1);
    return convlab::reshape(*this, shape);
}
Tensor Tensor::slice(int dim, int64_t start, int64_t end) const { return convlab::slice(*this, dim, start, end); }
Tensor Tensor::operator[](int64_t i) const { return convlab::select(*this, 0, i); }
Tensor Tensor::transpose(int dim0, int dim1) const { return convlab::transpose(*this, dim0, dim1); }
Tensor Tensor::permute(const std::vector<int>& order) const { return convlab::permute(*this, order); }

}  // namespace convlab
