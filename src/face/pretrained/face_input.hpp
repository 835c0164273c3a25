// src/face/pretrained/face_input.hpp
//
// What face-api does to a face image before its recognition and landmark networks see it
// (NetInput.toBatchTensor(size, isCenterInputs = true), then ops/normalize):
//
//   face (3, H, W) in [0, 1]
//   -> x 255                                    face-api works on 0..255
//   -> pad to a square with zeros, centred      (face-api's padToSquare)
//   -> resize_bilinear_tf to size x size        (tf.image.resizeBilinear; skipped when already that size)
//   -> (1, 3, size, size)                       the networks' forward()
//   -> (x - mean_rgb) / 255                     inside forward(): normalise_face_input
//
// The landmark net maps its points back through the same padding (landmark_net.hpp).
#pragma once

#include <cstdint>

#include "core/tensor.hpp"

namespace convlab {

// The mean of dlib's training faces per channel R, G, B, on the 0..255 scale; both networks subtract it.
constexpr float kFaceMeanRgb[3] = {122.782f, 117.001f, 104.298f};

// Zeros added before and after the shorter side to make an image of size H x W square: with d = |H - W|,
//   after = round(d / 2) (a half rounds up, as JavaScript's Math.round),   before = d - after
// so for odd d the extra row or column goes after (at the bottom or on the right).
struct SquarePadding {
    int64_t top = 0, bottom = 0, left = 0, right = 0;
};
SquarePadding square_padding(int64_t H, int64_t W);

// (C, H, W) -> (C, n, n), n = max(H, W), the image placed by square_padding among zeros.
// A square image comes back unchanged (the same tensor).
Tensor pad_to_square(const Tensor& image);

// face (3, H, W) in [0, 1], any size -> (1, 3, size, size) on the 0..255 scale: x 255, pad_to_square,
// resize_bilinear_tf. No autodiff (preprocessing).
Tensor face_net_input(const Tensor& face, int64_t size);

// x (N, 3, H, W) on the 0..255 scale -> (x - kFaceMeanRgb[c]) / 255 per channel c, in one pass.
Tensor normalise_face_input(const Tensor& x);

}  // namespace convlab
