// src/core/views.cpp
#include "core/views.hpp"

#include <numeric>

#include "core/autograd.hpp"
#include "core/error.hpp"

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
        Tensor dX = Tensor::zeros(from);  // 0 where the slice did not look, dY where it did
        dX.slice(d, start, start + dY.dim(d)).copy_(dY);
        return std::vector<Tensor>{dX};
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
