// src/kernels/map.hpp
//
// The loops behind the elementwise ops (src/ops/elementwise.cpp has the formulas and autodiff): y = f(x)
// and y = f(a, b) over every element, broadcasting a and b as NumPy does. Elements are shared among the
// threads in pieces of at least kTaskGrain; each y[i] is computed once, by one thread, so any split gives
// the same bits.
#pragma once

#include <algorithm>

#include "core/parallel.hpp"
#include "core/tensor.hpp"

namespace convlab::kernels {

// Strides of t seen as a tensor of shape `out` (aligned at the right), 0 along the broadcast dims.
Shape broadcast_strides(const Tensor& t, const Shape& out);

// y[i] = f(x[i]); x and y dense, of the same shape.
template <typename F>
void unary_map(const Tensor& x, Tensor& y, F f) {
    const float* px = x.data();
    float* py = y.data();
    parallel_for(y.numel(), [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) py[i] = f(px[i]);
    }, kTaskGrain);
}

// y = f(a, b) with y dense, of the broadcast shape of a and b (any strides).
template <typename F>
void binary_map(const Tensor& a, const Tensor& b, Tensor& y, F f) {
    const Shape& out_shape = y.shape();
    const float* pa = a.data();
    const float* pb = b.data();
    float* py = y.data();
    if (a.shape() == b.shape() && a.is_contiguous() && b.is_contiguous()) {  // the common case
        parallel_for(y.numel(), [&](int64_t lo, int64_t hi) {
            for (int64_t i = lo; i < hi; ++i) py[i] = f(pa[i], pb[i]);
        }, kTaskGrain);
        return;
    }
    // General case: walk rows of the output's last dim, with stride 0 along broadcast dims.
    const Shape sa = broadcast_strides(a, out_shape), sb = broadcast_strides(b, out_shape);
    const int nd = static_cast<int>(out_shape.size());
    const int64_t inner = nd ? out_shape[nd - 1] : 1;
    const int64_t ia = nd ? sa[nd - 1] : 0, ib = nd ? sb[nd - 1] : 0;
    const int64_t rows = inner ? y.numel() / inner : 0;
    parallel_for(rows, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            int64_t rem = r, oa = 0, ob = 0;
            for (int d = nd - 2; d >= 0; --d) {
                const int64_t i = rem % out_shape[d];
                rem /= out_shape[d];
                oa += i * sa[d];
                ob += i * sb[d];
            }
            float* yr = py + r * inner;
            for (int64_t j = 0; j < inner; ++j) yr[j] = f(pa[oa + j * ia], pb[ob + j * ib]);
        }
    }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(inner, 1)));
}

}  // namespace convlab::kernels
