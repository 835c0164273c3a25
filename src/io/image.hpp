// src/io/image.hpp
//
// Images as tensors: an image is a (C, H, W) float tensor with values in [0, 1], C = 1 (grey) or 3 (RGB);
// a batch is (N, C, H, W). This is the layout the network eats (the lecture writes (n_H, n_W, n_C); only the
// order differs). Files are decoded and encoded by stb (PNG, JPEG, BMP, binary PGM/PPM).
//
// These functions prepare and show data; they record no autodiff history.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.hpp"

namespace convlab {

// Decodes an image file into (C, H, W) floats in [0, 1] (byte / 255).
//   channels = 0: keep the file's (grey stays grey, RGB stays RGB; an alpha channel is dropped),
//   channels = 1: grey (to_grey of a colour file),  channels = 3: RGB (to_rgb of a grey file).
// A missing, truncated or undecodable file -> convlab::Error naming the file and the decoder's reason.
Tensor load_image(const std::string& path, int channels = 0);

// Encodes (C, H, W) with C = 1 or 3, or (H, W), as an 8-bit PNG: byte = round(255 * clamp(x, 0, 1)),
// NaN -> 0. The file is written atomically. Its directory must exist (app::ensure_dir creates it).
void save_png(const std::string& path, const Tensor& image);

// The same pixels as binary PGM (P5, C = 1) or PPM (P6, C = 3): a header and the raw bytes.
void save_pnm(const std::string& path, const Tensor& image);

// (C, H, W) or (N, C, H, W) -> the same with C = 1, by ITU-R BT.601 luma:
//   Y = 0.299 R + 0.587 G + 0.114 B.      A grey image comes back unchanged (the same tensor).
Tensor to_grey(const Tensor& image);

// (C, H, W) or (N, C, H, W) -> the same with C = 3: grey is copied into R, G and B. RGB comes back unchanged.
Tensor to_rgb(const Tensor& image);

// Bilinear resize of the last two dims of (C, H, W) or (N, C, H, W) to (H, W), align_corners = false:
// output pixel i covers the same stretch of the picture as input pixels i * in/out .. (i + 1) * in/out,
// so its centre maps to the input coordinate
//   s = (i + 0.5) * in / out - 0.5      (clamped to [0, in - 1])
// and the value blends the two input pixels floor(s) and floor(s) + 1 by the fraction of s.
// (PyTorch's F.interpolate(mode="bilinear", align_corners=False), OpenCV's INTER_LINEAR.) Shrinking by more
// than 2x skips input pixels (no anti-aliasing); shrink in steps of 2x when that matters.
Tensor resize_bilinear(const Tensor& image, int64_t H, int64_t W);

// The same with TensorFlow's rule (tf.image.resizeBilinear, alignCorners = false, halfPixelCenters = false,
// as face-api preprocesses its inputs): output pixel i maps to s = i * in / out, no half-pixel offset, so
// pixel 0 is input pixel 0 and the picture drifts towards the top left; it blends floor(s) and
// min(floor(s) + 1, in - 1) by the fraction of s. No autodiff (preprocessing).
Tensor resize_bilinear_tf(const Tensor& image, int64_t H, int64_t W);

// Rows top .. top + h - 1 and columns left .. left + w - 1 of the last two dims of any tensor of >= 2 dims,
// as a new contiguous tensor. The window must lie inside the image.
Tensor crop(const Tensor& image, int64_t top, int64_t left, int64_t h, int64_t w);

// Min-max scaling of the whole tensor to [0, 1]: (x - min) / (max - min), to show filters and activations.
// A constant tensor becomes 0.5 everywhere.
Tensor normalize_to_unit(const Tensor& x);

}  // namespace convlab
