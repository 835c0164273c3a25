// src/face/pretrained/landmark_net.hpp
//
// face-api's 68-point face landmark net (FaceLandmark68Net): the 68 points of the iBUG 300-W markup (jaw 0-16,
// eyebrows 17-26, nose 27-35, eyes 36-47, mouth 48-67) regressed directly by a small ConvNet built of
// depthwise separable convolutions and dense connections.         [lecture: "Landmark Detection", "MobileNet"]
//
//  #   layer (weights prefix)  op                                                           output C x H x W
//  0   input                   (x - mean_rgb) / 255                                         3 x 112 x 112
//  1   dense0                  dense block; conv0 a plain conv 3x3/2 SAME 3 -> 32, + bias   32 x 56 x 56
//  2   dense1                  dense block 32 -> 64                                         64 x 28 x 28
//  3   dense2                  dense block 64 -> 128                                        128 x 14 x 14
//  4   dense3                  dense block 128 -> 256                                       256 x 7 x 7
//  5   -                       avg pool 7x7/2 VALID                                         256 x 1 x 1
//  6   fc                      a @ fc/weights (256, 136) + fc/bias                          136
//
// A dense block (face-api's denseBlock4) halves the map with conv0 (stride 2), then every conv sees the sum
// of all the outputs before it:
//   o1 = ReLU(conv0(x))          o2 = sep1(o1)          o3 = sep2(ReLU(o1 + o2))
//   o4 = sep3(ReLU(o1 + o2 + o3))                       y  = ReLU(o1 + o2 + o3 + o4)
// sep = depthwise separable conv: a depthwise 3x3 conv SAME (groups = C, one filter per channel), then a
// pointwise 1x1 conv C -> C', + bias (conv0 of dense1..3 too, with stride 2). SAME is TensorFlow's: the
// output has ceil(n / s) positions; when the padding is odd the extra zero goes at the bottom and right.
//
// The 136 outputs are x0, y0, x1, y1, ...: the points relative to the 112 x 112 input (0..1). detect()
// maps them back to the face image as face-api does (landmarks_in_face below).
//
// Weights: a convlab checkpoint of face-api's tensors under their tfjs names (make face-models;
// face/pretrained/models.hpp): dense0/conv0/filters (32, 3, 3, 3), dense0/conv0/bias; denseK/convJ/depthwise_filter
// (C, 1, 3, 3), denseK/convJ/pointwise_filter (C', C, 1, 1), denseK/convJ/bias (C'); fc/weights (256, 136),
// fc/bias (136).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "ops/same_padding.hpp"  // conv2d_tf_same
#include "face/pretrained/geometry.hpp"

namespace convlab {

class LandmarkNet {
public:
    // Reads the 49 tensors above from `ckpt`; a missing or misshapen one -> convlab::Error naming the file and
    // the tensor (with both shapes).
    static LandmarkNet load(const std::string& ckpt);

    // x (N, 3, 112, 112) RGB on the 0..255 scale -> (N, 136): x0, y0, x1, y1, ... relative to the input.
    // Records no gradients.
    Tensor forward(const Tensor& x) const;

    // face (3, H, W) in [0, 1], any size: padded to a square (centred, zeros), resized to 112 x 112 by
    // resize_bilinear_tf, forward, landmarks_in_face -> the 68 points in the face image's pixels.
    std::vector<Point> detect(const Tensor& face) const;

private:
    // One conv of a dense block: depthwise (C, 1, 3, 3) then pointwise W (C', C, 1, 1), + b; or, for dense0's
    // conv0, no depthwise and W the plain filters (32, 3, 3, 3).
    struct Conv {
        Tensor depthwise, W, b;
    };
    struct DenseBlock {
        Conv conv[4];
    };

    LandmarkNet() = default;
    static Tensor conv(const Tensor& x, const Conv& c, int64_t stride);
    static Tensor dense_block(const Tensor& x, const DenseBlock& d);  // (N, C, h, w) -> (N, C', h/2, w/2)
    DenseBlock dense_[4];
    Tensor fc_W_, fc_b_;  // (256, 136), (136,)
};


// face-api's postProcess with FaceLandmarks68's scaling: the net's output o (136 numbers, relative to the
// input_size square the face was padded and resized into) -> the 68 points in the pixels of the H x W face:
//   s = input_size / max(H, W),   w = W s,  h = H s                 (the face's size inside the square)
//   pad_x = (h - w) / 2 if w < h else 0,   pad_y = (w - h) / 2 if h < w else 0
//   x_k = (o_2k input_size - pad_x) / w * W,     y_k = (o_2k+1 input_size - pad_y) / h * H
// (face-api takes half the padding on each side here, even when padToSquare put the odd extra row or column
// after the face.)
std::vector<Point> landmarks_in_face(const std::vector<float>& o, int64_t H, int64_t W, int64_t input_size = 112);

}  // namespace convlab
