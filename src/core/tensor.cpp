// src/core/tensor.cpp
#include "core/tensor.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "core/allocator.hpp"
#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab {

std::string shape_str(const Shape& s) {
    std::ostringstream out;
    out << "(";
    for (size_t i = 0; i < s.size(); ++i) out << (i ? ", " : "") << s[i];
    out << (s.size() == 1 ? ",)" : ")");
    return out.str();
}

int64_t shape_numel(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

Shape contiguous_strides(const Shape& s) {
    Shape strides(s.size());
    int64_t stride = 1;
    for (int i = static_cast<int>(s.size()) - 1; i >= 0; --i) {
        strides[i] = stride;
        stride *= s[i];
    }
    return strides;
}

int normalize_dim(int dim, int ndim, const char* op) {
    const int d = dim < 0 ? dim + ndim : dim;
    check(d >= 0 && d < std::max(ndim, 1), op, ": dim ", dim, " out of range for a tensor of ", ndim, " dims");
    return d;
}

Storage::Storage(size_t n) : ptr(alloc_floats(n)), size(n) {}
Storage::~Storage() { free_floats(ptr, size); }

// ---- factories -----------------------------------------------------------------------------------------

Tensor Tensor::empty(const Shape& shape) {
    check(shape.size() <= static_cast<size_t>(kMaxDims), "Tensor: at most ", kMaxDims, " dims, got shape ",
          convlab::shape_str(shape));
    for (int64_t d : shape) check(d >= 0, "Tensor: negative size in shape ", convlab::shape_str(shape));
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = std::make_shared<Storage>(static_cast<size_t>(shape_numel(shape)));
    impl->shape = shape;
    impl->strides = contiguous_strides(shape);
    return Tensor(std::move(impl));
}

Tensor Tensor::full(const Shape& shape, float value) {
    Tensor t = empty(shape);
    t.fill_(value);
    return t;
}
Tensor Tensor::zeros(const Shape& shape) { return full(shape, 0.0f); }
Tensor Tensor::ones(const Shape& shape) { return full(shape, 1.0f); }
Tensor Tensor::scalar(float value) { return full({}, value); }

Tensor Tensor::from(const Shape& shape, const std::vector<float>& values) {
    check(static_cast<int64_t>(values.size()) == shape_numel(shape), "Tensor::from: shape ",
          convlab::shape_str(shape), " needs ", shape_numel(shape), " values, got ", values.size());
    Tensor t = empty(shape);
    std::copy(values.begin(), values.end(), t.data());
    return t;
}

Tensor Tensor::randn(const Shape& shape, Rng& rng, float stddev) {
    Tensor t = empty(shape);
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = stddev * rng.normal();
    return t;
}

Tensor Tensor::rand(const Shape& shape, Rng& rng, float lo, float hi) {
    Tensor t = empty(shape);
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = rng.uniform(lo, hi);
    return t;
}

Tensor Tensor::arange(int64_t n) {
    Tensor t = empty({n});
    for (int64_t i = 0; i < n; ++i) t.data()[i] = static_cast<float>(i);
    return t;
}

// ---- shape ---------------------------------------------------------------------------------------------

static const TensorImpl& must(const std::shared_ptr<TensorImpl>& impl) {
    check(impl != nullptr, "Tensor: use of an undefined tensor");
    return *impl;
}

int Tensor::ndim() const { return static_cast<int>(must(impl_).shape.size()); }
int64_t Tensor::dim(int i) const { return must(impl_).shape[normalize_dim(i, ndim(), "Tensor::dim")]; }
const Shape& Tensor::shape() const { return must(impl_).shape; }
const Shape& Tensor::strides() const { return must(impl_).strides; }
int64_t Tensor::numel() const { return shape_numel(shape()); }

bool Tensor::is_contiguous() const {
    const TensorImpl& t = must(impl_);
    int64_t expected = 1;
    for (int i = static_cast<int>(t.shape.size()) - 1; i >= 0; --i) {
        if (t.shape[i] != 1 && t.strides[i] != expected) return false;
        expected *= t.shape[i];
    }
    return true;
}

// ---- data ----------------------------------------------------------------------------------------------

float* Tensor::data() { return must(impl_).storage->ptr + impl_->offset; }
const float* Tensor::data() const { return must(impl_).storage->ptr + impl_->offset; }

// Calls fn(r, offset) for every row r of t's last dim, in parallel: offset is where row r starts, counted
// from t.data(). Rows are numbered in row-major order. t has at least one dim.
template <typename F>
static void for_each_strided_row(const Tensor& t, F fn) {
    const Shape& shape = t.shape();
    const Shape& strides = t.strides();
    const int nd = t.ndim();
    const int64_t inner = shape[nd - 1];
    const int64_t rows = t.numel() / std::max<int64_t>(inner, 1);
    parallel_for(rows, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            int64_t rem = r, off = 0;  // unravel r over dims 0..nd-2
            for (int d = nd - 2; d >= 0; --d) {
                off += (rem % shape[d]) * strides[d];
                rem /= shape[d];
            }
            fn(r, off);
        }
    }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(inner, 1)));
}

// Copies the strided elements of src, in row-major order, to the dense buffer dst.
static void gather_strided(const Tensor& src, float* dst) {
    if (src.ndim() == 0) {
        dst[0] = src.data()[0];
        return;
    }
    const int64_t inner = src.shape().back(), stride = src.strides().back();
    const float* base = src.data();
    for_each_strided_row(src, [&](int64_t r, int64_t off) {
        for (int64_t i = 0; i < inner; ++i) dst[r * inner + i] = base[off + i * stride];
    });
}

Tensor Tensor::clone() const {
    Tensor out = empty(shape());
    if (is_contiguous())
        std::memcpy(out.data(), data(), sizeof(float) * static_cast<size_t>(numel()));
    else
        gather_strided(*this, out.data());
    return record(out, "clone", {*this}, [](const Tensor& dY) { return std::vector<Tensor>{dY}; });
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

std::vector<float> Tensor::values() const {
    std::vector<float> v(static_cast<size_t>(numel()));
    if (is_contiguous())
        std::copy(data(), data() + numel(), v.begin());
    else
        gather_strided(*this, v.data());
    return v;
}

float Tensor::item() const {
    check(numel() == 1, "Tensor::item: expected a one-element tensor, got shape ", shape_str());
    return data()[0];
}

float Tensor::at(std::initializer_list<int64_t> index) const {
    check(static_cast<int>(index.size()) == ndim(), "Tensor::at: ", index.size(), " indices for shape ",
          shape_str());
    int64_t off = 0, d = 0;
    for (int64_t i : index) {
        check(i >= 0 && i < shape()[d], "Tensor::at: index ", i, " out of range for dim ", d, " of shape ",
              shape_str());
        off += i * strides()[d++];
    }
    return data()[off];
}

void Tensor::fill_(float value) {
    check(is_contiguous(), "Tensor::fill_: needs a contiguous tensor, got strides ",
          convlab::shape_str(strides()));
    float* p = data();
    parallel_for(numel(), [&](int64_t lo, int64_t hi) { std::fill(p + lo, p + hi, value); }, kTaskGrain);
}

// Copies the dense buffer src, in row-major order, to the strided elements of dst: gather_strided's inverse.
static void scatter_strided(const float* src, Tensor& dst) {
    if (dst.ndim() == 0) {
        dst.data()[0] = src[0];
        return;
    }
    const int64_t inner = dst.shape().back(), stride = dst.strides().back();
    float* base = dst.data();
    for_each_strided_row(dst, [&](int64_t r, int64_t off) {
        for (int64_t i = 0; i < inner; ++i) base[off + i * stride] = src[r * inner + i];
    });
}

void Tensor::copy_(const Tensor& src) {
    check(src.shape() == shape(), "Tensor::copy_: shape ", src.shape_str(), " into ", shape_str());
    if (!is_contiguous()) {  // a strided view (a slice, say): src and this must not overlap
        if (src.is_contiguous()) {
            scatter_strided(src.data(), *this);
        } else {
            const std::vector<float> dense = src.values();
            scatter_strided(dense.data(), *this);
        }
    } else if (src.is_contiguous()) {
        std::memmove(data(), src.data(), sizeof(float) * static_cast<size_t>(numel()));
    } else {
        gather_strided(src, data());
    }
}

bool Tensor::shares_storage(const Tensor& other) const {
    return defined() && other.defined() && impl_->storage == other.impl_->storage;
}

// ---- autodiff ------------------------------------------------------------------------------------------

Tensor& Tensor::requires_grad_(bool on) {
    check(must(impl_).grad_fn == nullptr, "requires_grad_: only leaf tensors can be marked (this one is the ",
          "result of an op; use detach() first)");
    impl_->requires_grad = on;
    return *this;
}

bool Tensor::requires_grad() const { return must(impl_).requires_grad; }

Tensor Tensor::grad() const { return must(impl_).grad ? Tensor(impl_->grad) : Tensor(); }

void Tensor::zero_grad() { must(impl_), impl_->grad.reset(); }

void Tensor::backward() const {
    check(numel() == 1, "backward: call it on a one-element loss, got shape ", shape_str(),
          " (or pass the upstream gradient)");
    run_backward(*this, Tensor::ones(shape()));
}

void Tensor::backward(const Tensor& dY) const { run_backward(*this, dY); }

Tensor Tensor::detach() const {
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = must(impl_).storage;
    impl->offset = impl_->offset;
    impl->shape = impl_->shape;
    impl->strides = impl_->strides;
    return Tensor(std::move(impl));
}

const std::shared_ptr<Node>& Tensor::grad_fn() const { return must(impl_).grad_fn; }

}  // namespace convlab
