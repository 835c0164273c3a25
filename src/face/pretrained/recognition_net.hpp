// src/face/pretrained/recognition_net.hpp
//
// face-api's face recognition net: its port of dlib's dlib_face_recognition_resnet_model_v1, a ResNet-34
// with a few layers removed and the widths halved, trained on about 3 million faces with a metric loss.
// It maps a face to a 128-d encoding f(x); two photos are the same person when ||f(x1) - f(x2)|| < 0.6
// (dlib's threshold; Euclidean, not squared, and f(x) is not normalised: its norm is about 1.3 to 1.5).
//                                          [lecture: "Siamese Network", "Face Verification"; He et al., 2015]
//
//  #     layer (weights prefix)  op                                                            output C x H x W
//  0     input                   (x - mean_rgb) / 255                                          3 x 150 x 150
//  1     conv32_down             conv 7x7/2 VALID 3 -> 32, + bias, scale, ReLU                 32 x 72 x 72
//  2     -                       max pool 3x3/2 VALID                                          32 x 35 x 35
//  3-5   conv32_1 .. conv32_3    residual (3x3 32 -> 32, twice)                                32 x 35 x 35
//  6     conv64_down             residual down (3x3/2 VALID 32 -> 64, 3x3 64 -> 64)            64 x 17 x 17
//  7-9   conv64_1 .. conv64_3    residual 64                                                   64 x 17 x 17
//  10    conv128_down            residual down 64 -> 128                                       128 x 8 x 8
//  11-12 conv128_1, conv128_2    residual 128                                                  128 x 8 x 8
//  13    conv256_down            residual down 128 -> 256 (main branch 3x3, padded to 4x4)     256 x 4 x 4
//  14-15 conv256_1, conv256_2    residual 256                                                  256 x 4 x 4
//  16    conv256_down_out        residual down 256 -> 256 (main branch 1x1, padded to 2x2)     256 x 2 x 2
//  17    -                       mean over H, W                                                256
//  18    fc                      f(x) = a @ fc, fc (256, 128), no bias, no normalisation       128
//
// Each "conv" is face-api's conv layer: y = (conv(x, W) + b) * s + t, the scale layer s, t (per output
// channel) being dlib's affine layer (a frozen batch norm). It is linear in the convolution, so load()
// folds it in:  y = conv(x, W') + b'  with  W'[o] = W[o] * s[o],  b' = b * s + t.
//
//   residual(x)      = ReLU(x + conv2(ReLU(conv1(x))))                conv1, conv2: 3x3/1 SAME (pad 1)
//   residual_down(x) = ReLU(pad(conv2(ReLU(conv1(x)))) + [avg_pool_2x2/2(x), 0])
//                      conv1: 3x3 stride 2 VALID. The shortcut (x averaged over 2x2 blocks) gets zero channels
//                      appended when the block widens; the main branch one zero row at the bottom and one
//                      zero column on the right when it came out smaller: face-api's emulation of dlib's
//                      add_prev on tensors of different shapes.
//
// Weights: a convlab checkpoint of face-api's tensors under their tfjs names (make face-models;
// face/pretrained/models.hpp): <block>/conv/filters (C_out, C_in, f, f), <block>/conv/bias, <block>/scale/weights,
// <block>/scale/biases (C_out,) for the stem; <block>/conv1/... and <block>/conv2/... for the residual blocks;
// fc (256, 128).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

class RecognitionNet {
public:
    // Reads the 117 tensors above from `ckpt`; a missing or misshapen one -> convlab::Error naming the file
    // and the tensor (with both shapes).
    static RecognitionNet load(const std::string& ckpt);

    // x (N, 3, 150, 150) RGB on the 0..255 scale -> f(x) (N, 128). Records no gradients.
    Tensor forward(const Tensor& x) const;

    // face (3, H, W) in [0, 1], any size: padded to a square (centred, zeros), resized to 150 x 150 by
    // resize_bilinear_tf, forward (face-api's computeFaceDescriptor) -> the 128 numbers of f(face).
    std::vector<float> describe(const Tensor& face) const;

private:
    // A conv layer with its scale layer folded in: Y = conv(x, W) + b. The 256-channel blocks, whose maps are
    // at most 4x4, keep W^T instead, for conv2d_small_map.
    struct Conv {
        Tensor W;   // (C_out, C_in, 3, 3), or undefined when Wt is set
        Tensor Wt;  // W seen as (C_in 3 3, C_out), dense
        Tensor b;   // (C_out,)
    };
    struct ResidualBlock {
        std::string name;  // "conv64_down"
        bool down;         // residual_down (first conv 3x3/2 VALID, pooled shortcut) or residual
        Conv conv1, conv2;
    };

    RecognitionNet() = default;
    static Tensor conv(const Tensor& x, const Conv& c, int64_t stride, int64_t padding);
    static Tensor residual(const Tensor& x, const ResidualBlock& r);       // (N, C, h, w) -> the same
    static Tensor residual_down(const Tensor& x, const ResidualBlock& r);  // (N, C, h, w) -> (N, C', h/2, w/2)

    Conv stem_;
    std::vector<ResidualBlock> blocks_;
    Tensor fc_;  // (256, 128)
};

// Y = conv2d(x, W, b, stride, padding) on a map of a few positions, L <= 16 (the 256-channel blocks: 4x4,
// 3x3 and 1x1). conv2d computes it as  Y (C_out, L) = W (C_out, K) @ cols (K, L)  (K = C_in f f): a product
// with too few columns for the fast kernels' 32-column tiles, which then mostly multiply padding. The same
// product the other way round keeps its tiles full:
//   Y^T (N L, C_out) = cols^T (N L, K) @ W^T (K, C_out) + b
// with Wt = W^T = small_map_filters(W) made once, at load time (a transposed view of W would be repacked at
// every call). x (N, C_in, H, W), f x f filters, b (C_out,) -> (N, C_out, out_H, out_W).
Tensor conv2d_small_map(const Tensor& x, const Tensor& Wt, const Tensor& b, int64_t f, int64_t stride,
                        int64_t padding);
// W (C_out, C_in, f, f) -> W^T (C_in f f, C_out), dense.
Tensor small_map_filters(const Tensor& W);

// The merge of residual_down, on its own (for the tests): main (N, C_out, h, w) is the main branch's output,
// x (N, C_in, H, W) the block's input:
//   ReLU(main padded at the bottom and right to H/2 x W/2  +  avg_pool_2x2/2(x) with C_out - C_in zero channels
//   appended).
Tensor residual_down_merge(const Tensor& main, const Tensor& x);

}  // namespace convlab
