// src/ops/same_padding.cpp
#include "ops/same_padding.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "ops/conv.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

SamePadding tf_same_padding(int64_t n, int64_t f, int64_t stride) {
    check(n >= 1 && f >= 1 && stride >= 1, "tf_same_padding: expected input size, filter size and stride >= 1, got n = ",
          n, ", f = ", f, ", stride = ", stride);
    const int64_t out = (n + stride - 1) / stride;  // ceil(n / s)
    const int64_t total = std::max<int64_t>((out - 1) * stride + f - n, 0);
    return {total / 2, total - total / 2};
}

Tensor pad_same2d(const Tensor& x, int64_t f_H, int64_t f_W, int64_t stride) {
    check(x.defined() && x.ndim() == 4, "pad_same2d: expected x (N, C, H, W), got ",
          x.defined() ? x.shape_str() : "an undefined tensor");
    const SamePadding h = tf_same_padding(x.dim(2), f_H, stride), w = tf_same_padding(x.dim(3), f_W, stride);
    return pad(x, {h.before, h.after, w.before, w.after});
}

// When the padding is the same on every side conv2d pads by itself (no copy); otherwise (an even map with
// stride 2: none before, one after) pad_same2d pads first.
Tensor conv2d_tf_same(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t groups) {
    check(x.ndim() == 4 && W.ndim() == 4, "conv2d_tf_same: expected x (N, C, H, W) and W (C', C/groups, f_H, f_W), ",
          "got x ", x.shape_str(), " and W ", W.shape_str());
    const SamePadding ph = tf_same_padding(x.dim(2), W.dim(2), stride), pw = tf_same_padding(x.dim(3), W.dim(3), stride);
    if (ph.before == ph.after && pw.before == pw.after && ph.before == pw.before)
        return conv2d(x, W, b, stride, ph.before, /*dilation=*/1, groups);
    return conv2d(pad_same2d(x, W.dim(2), W.dim(3), stride), W, b, stride, 0, 1, groups);
}

}  // namespace convlab
