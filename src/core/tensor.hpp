// src/core/tensor.hpp
//
// Tensor: an N-d array of float32 (up to 6 dims), row-major, that can record the operations applied to it
// so gradients flow back through them (reverse-mode autodiff, define-by-run, as in PyTorch).
//
// A Tensor is a handle: copying it shares the same data. Its data lives in a Storage that several tensors
// can view: reshape of a contiguous tensor and slices are views (no copy), with their own shape, strides
// and offset. Kernels that need a dense buffer call contiguous(), which copies only when needed.
//
// Layout conventions: images and activations are (N, C, H, W) = (batch, n_C, n_H, n_W); 1D signals
// (N, C, L); volumes (N, C, D, H, W). The lecture writes (n_H, n_W, n_C); only the order differs.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"

namespace convlab {

constexpr int kMaxDims = 6;

using Shape = std::vector<int64_t>;

std::string shape_str(const Shape& s);    // "(2, 3, 4)"
int64_t shape_numel(const Shape& s);      // product of the sizes (1 for a scalar)
Shape contiguous_strides(const Shape& s); // row-major strides

// A buffer of floats from the caching allocator.
struct Storage {
    explicit Storage(size_t n);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;
    float* ptr;
    size_t size;
};

struct Node;  // core/autograd.hpp

struct TensorImpl {
    std::shared_ptr<Storage> storage;
    int64_t offset = 0;
    Shape shape, strides;
    // Autodiff: a leaf that requires grad accumulates into `grad`; a result of a recorded op has `grad_fn`.
    bool requires_grad = false;
    std::shared_ptr<TensorImpl> grad;
    std::shared_ptr<Node> grad_fn;
};

class Tensor {
public:
    Tensor() = default;  // undefined: defined() is false
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    // ---- factories -------------------------------------------------------------------------------------
    static Tensor empty(const Shape& shape);  // uninitialised
    static Tensor zeros(const Shape& shape);
    static Tensor ones(const Shape& shape);
    static Tensor full(const Shape& shape, float value);
    static Tensor scalar(float value);  // shape ()
    static Tensor from(const Shape& shape, const std::vector<float>& values);
    static Tensor randn(const Shape& shape, Rng& rng, float stddev = 1.0f);
    static Tensor rand(const Shape& shape, Rng& rng, float lo = 0.0f, float hi = 1.0f);
    static Tensor arange(int64_t n);  // 0, 1, ..., n-1

    // ---- shape -----------------------------------------------------------------------------------------
    bool defined() const { return impl_ != nullptr; }
    int ndim() const;
    int64_t dim(int i) const;  // negative i counts from the end
    const Shape& shape() const;
    const Shape& strides() const;
    int64_t numel() const;
    std::string shape_str() const { return convlab::shape_str(shape()); }
    bool is_contiguous() const;

    // ---- data ------------------------------------------------------------------------------------------
    // Pointer to the first element. Walk it with strides(), or call contiguous() first.
    float* data();
    const float* data() const;
    Tensor contiguous() const;            // this, if already contiguous; else a dense copy (autodiff-aware)
    Tensor clone() const;                 // a dense copy with its own storage (autodiff-aware)
    std::vector<float> values() const;    // all elements in row-major order
    float item() const;                   // the value of a one-element tensor
    float at(std::initializer_list<int64_t> index) const;
    void fill_(float value);              // in place, no autodiff
    void copy_(const Tensor& src);        // in place, same shape, no autodiff; this may be a strided view
    bool shares_storage(const Tensor& other) const;

    // ---- views (autodiff-aware; defined in core/views.cpp) -------------------------------------------------
    Tensor reshape(const Shape& shape) const;          // one size may be -1
    Tensor flatten(int start_dim = 1) const;           // (N, ...) -> (N, prod ...)
    Tensor slice(int dim, int64_t start, int64_t end) const;
    Tensor operator[](int64_t i) const;                // index dim 0, dropping it
    Tensor transpose(int dim0, int dim1) const;
    Tensor permute(const std::vector<int>& order) const;

    // ---- autodiff --------------------------------------------------------------------------------------
    Tensor& requires_grad_(bool on = true);  // mark a leaf as a parameter or input to differentiate
    bool requires_grad() const;
    Tensor grad() const;                     // accumulated gradient of a leaf (undefined if none yet)
    void zero_grad();
    void backward() const;                   // from a one-element tensor: d(this)/d(leaves) into grad()
    void backward(const Tensor& dY) const;   // from any tensor, with its upstream gradient
    Tensor detach() const;                   // same data, no history
    const std::shared_ptr<Node>& grad_fn() const;

    TensorImpl* impl() const { return impl_.get(); }
    const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

private:
    std::shared_ptr<TensorImpl> impl_;
};

// Resolves a possibly negative dim against ndim, or throws naming the op.
int normalize_dim(int dim, int ndim, const char* op);

}  // namespace convlab
