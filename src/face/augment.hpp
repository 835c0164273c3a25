// src/face/augment.hpp
//
// Data augmentation for training the encoder: every training step sees each photo slightly moved,
// turned, zoomed, mirrored and re-lit, so the encoder learns that these do not change who it is.
// (Only training photos are augmented; test photos are used as they are.)
#pragma once

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace convlab {

struct AugmentConfig {
    float max_shift = 0.06f;       // fraction of the image size, each direction
    float max_angle = 0.14f;       // radians (about 8 degrees)
    float min_scale = 0.92f, max_scale = 1.08f;
    bool flip = true;              // mirror left-right with probability 1/2 (faces are nearly symmetric)
    float max_brightness = 0.1f;   // added to every pixel
    float max_contrast = 0.2f;     // (x - 0.5) * (1 +- this) + 0.5
    // Light from one side: x * (1 + g_x u + g_y v), u and v in [-1, 1] from the left (top) edge to the right
    // (bottom) one, g_x within +-this, g_y within +-this/2. The first-order shading of a face lit from
    // off-centre, which brightness and contrast alone do not imitate. On ORL's training people (inner
    // cross-validation, docs/face-experiments.md) 0.4 raised AUC from 0.9855 to 0.9933, in 6 of 6 runs.
    float max_light_gradient = 0.4f;
};

// images: (N, C, H, W) in [0, 1] -> a new (N, C, H, W): each image warped by its own random similarity
// transform (bilinear sampling, edges repeated outward), maybe mirrored, then lit from one side,
// brightness and contrast changed, and clamped to [0, 1]. All random draws come from rng, in image order,
// before any pixel is computed, so the result is the same for any thread count.
Tensor augment(const Tensor& images, const AugmentConfig& config, Rng& rng);

// images: (N, C, H, W) -> the same mirrored left-right (column j <- column W - 1 - j).
Tensor mirror(const Tensor& images);

// images: (N, C, H, W), H, W >= 2 -> every image scaled by `scale` about its centre (> 1: zoom in),
// bilinear, edges repeated outward. zoom(x, 1) equals x up to rounding.
Tensor zoom(const Tensor& images, float scale);

}  // namespace convlab
