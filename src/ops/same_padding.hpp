// src/ops/same_padding.hpp
//
// TensorFlow's "SAME" padding, as the pretrained face networks (face-api, tfjs) were trained with.
//                                                                         [lecture: "Padding", "Strided convolutions"]
// A SAME convolution with stride s gives ceil(n / s) outputs. With a filter of size f that takes
//
//   total = max((ceil(n / s) - 1) s + f - n, 0)       before = total / 2,   after = total - before
//
// zeros: when total is odd, TF puts the extra one after (bottom, right), where the lecture's symmetric
// padding p = (f - 1) / 2 would need it on both sides. e.g. n = 112, f = 3, s = 2: total 1, so (0, 1);
// n = 7, f = 3, s = 1: (1, 1), the lecture's "same"; a 1x1 filter needs none.
#pragma once

#include <cstdint>

#include "core/tensor.hpp"

namespace convlab {

struct SamePadding {
    int64_t before, after;
};

// The padding of one spatial dim of size n for a filter of size f and stride s (all >= 1).
SamePadding tf_same_padding(int64_t n, int64_t f, int64_t stride);

// x (N, C, H, W) zero-padded along H and W (ops/shape_ops.hpp's pad, so autodiff-aware) such that a VALID
// convolution (padding 0) with an f_H x f_W filter and this stride gives TF's SAME output, ceil(H / s) x
// ceil(W / s).
Tensor pad_same2d(const Tensor& x, int64_t f_H, int64_t f_W, int64_t stride);

// TensorFlow's SAME convolution of x (N, C, n_H, n_W) by W (C', C / groups, f_H, f_W): out = ceil(n / stride)
// along each dim, the input padded by tf_same_padding (ops/same_padding.hpp); when that padding is odd, the
// extra zero row and column go at the bottom and right (PyTorch-style symmetric padding would shift the
// windows of a stride-2 conv on an even map by one pixel).
Tensor conv2d_tf_same(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t groups = 1);

}  // namespace convlab
