// src/ops/conv.hpp
//
// Convolution in 1, 2 or 3 spatial dims.                 [lecture: "Convolutions over volumes", "1D and 3D
//                                                         Generalizations"]
//   Y[n, o, i, j] = b[o] + sum_c sum_u sum_v W[o, c, u, v] * X[n, c, i*s + u*d - p, j*s + v*d - p]
//
// (2D shown; 1D drops j and v, 3D adds a third pair.) X outside [0, n) reads as 0 (zero padding).
// As in every deep learning framework this is a cross-correlation: the filter is not flipped.
//
// Groups G [lecture: "MobileNet"]: the channels are cut into G groups, and the outputs of group q read only
// the inputs of group q: c runs over the C_in/G channels q C_in/G + c, for o in [q C_out/G, (q+1) C_out/G).
// G = 1 is the plain convolution; G = C_in is the depthwise one (each channel filtered on its own, by
// C_out/C_in filters: the channel multiplier), which MobileNet follows with a 1x1 "pointwise" convolution.
//
// Shapes (the lecture writes (n_H, n_W, n_C); here channels come first):
//   x: (N, C_in, *spatial)  W: (C_out, C_in/G, *f)  b: (C_out,) or undefined  ->  Y: (N, C_out, *out)
//   out = floor((n + 2p - d(f-1) - 1) / s) + 1          (the lecture's (n + 2p - f)/s + 1 when d = 1)
// e.g. a 14-sample signal with 16 filters of size 5 gives (16, 10); a 14x14 image with 16 filters 5x5 gives
// 10x10x16; a 14x14x14 volume with 16 filters 5x5x5 gives 10x10x10x16.
//
// Backward (the same formula read the other way):
//   dX[n, c, .] = sum over every (o, u, v, i, j) that read it of dY[n, o, i, j] * W[o, c, u, v]
//   dW[o, c, u, v] = sum_n sum_i sum_j dY[n, o, i, j] * X[n, c, i*s + u*d - p, j*s + v*d - p]
// (with groups, o and c of the same group, and W's channel index c within the group)
//   db[o] = sum_n sum_i sum_j dY[n, o, i, j]
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "kernels/conv_geometry.hpp"

namespace convlab {

// Stride, padding and dilation: one value per spatial dim. An empty vector means the default along every
// dim (stride 1, padding 0, dilation 1), so ConvParams{} is the plain "valid" convolution. groups: see above
// (C_in and C_out must both be multiples of it).
struct ConvParams {
    std::vector<int64_t> stride, padding, dilation;
    int64_t groups = 1;
    // The same stride, padding and dilation along each of n_spatial dims.
    static ConvParams same_for(int n_spatial, int64_t stride = 1, int64_t padding = 0, int64_t dilation = 1,
                               int64_t groups = 1);
};

// Shape of conv(x, W, b, p) without computing it. Throws convlab::Error (naming both shapes) when x and W do
// not fit: wrong number of dims, channel mismatch, channels not divisible by groups, params of another
// length, a window larger than the padded input.
Shape conv_output_shape(const Shape& x_shape, const Shape& W_shape, const ConvParams& p);

// Autodiff-aware convolution; gradients flow to x, W and b (whichever require them).
Tensor conv(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p);
// x: (N, C_in, L)        W: (C_out, C_in/groups, f)
Tensor conv1d(const Tensor& x, const Tensor& W, const Tensor& b = {}, int64_t stride = 1, int64_t padding = 0,
              int64_t dilation = 1, int64_t groups = 1);
// x: (N, C_in, H, W)     W: (C_out, C_in/groups, f_H, f_W)
Tensor conv2d(const Tensor& x, const Tensor& W, const Tensor& b = {}, int64_t stride = 1, int64_t padding = 0,
              int64_t dilation = 1, int64_t groups = 1);
// x: (N, C_in, D, H, W)  W: (C_out, C_in/groups, f_D, f_H, f_W)
Tensor conv3d(const Tensor& x, const Tensor& W, const Tensor& b = {}, int64_t stride = 1, int64_t padding = 0,
              int64_t dilation = 1, int64_t groups = 1);

// ---- the passes on their own, no autodiff. Fast (kernels/conv.hpp) and naive (direct loops,
// ops/conv_naive.cpp) twins with the same contracts; the tests hold them to the same values. --------------

// Y = conv(x, W, b): (N, C_out, *out)
Tensor conv_forward(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p);
Tensor conv_forward_naive(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p);

// dX: (N, C_in, *spatial) = x_shape, from dY: (N, C_out, *out)
Tensor conv_backward_input(const Tensor& dY, const Tensor& W, const Shape& x_shape, const ConvParams& p);
Tensor conv_backward_input_naive(const Tensor& dY, const Tensor& W, const Shape& x_shape, const ConvParams& p);

// dW: (C_out, C_in/groups, *f) = W_shape, from dY: (N, C_out, *out)
Tensor conv_backward_weight(const Tensor& dY, const Tensor& x, const Shape& W_shape, const ConvParams& p);
Tensor conv_backward_weight_naive(const Tensor& dY, const Tensor& x, const Shape& W_shape, const ConvParams& p);

// db: (C_out,) = sum of dY over the batch and every output position.
Tensor conv_backward_bias(const Tensor& dY);

// Shared by the fast and naive kernels: validates x and W (as conv_output_shape does) and, when defined, b
// (C_out,) and dY (N, C_out, *out); returns their sizes lifted to 3 spatial dims (kernels/conv_geometry.hpp).
ConvGeometry conv_geometry_for(const Shape& x_shape, const Shape& W_shape, const ConvParams& p,
                               const Tensor& b = {}, const Tensor& dY = {});

}  // namespace convlab
