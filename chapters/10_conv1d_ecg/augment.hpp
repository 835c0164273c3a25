// chapters/10_conv1d_ecg/augment.hpp
//
// Data augmentation for heartbeats: 100 training beats are few, so each epoch sees every beat a little
// changed in ways that do not change its diagnosis (Le Guennec, Malinowski and Tavenard, 2016, "Data
// augmentation for time series classification using convolutional neural networks": window warping).
#pragma once

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace convlab {

struct BeatAugment {
    float warp = 0.2f;    // time stretched by a factor s in [1 - warp, 1 + warp] around a random instant c
    float shift = 4.0f;   // and moved by d in [-shift, shift] samples
    float gain = 0.1f;    // amplitude scaled by g in [1 - gain, 1 + gain]
    float noise = 0.05f;  // plus Gaussian noise of this standard deviation
};

// batch: (N, C, L) -> the same shape, each series (all its channels alike) resampled as
//   x'(t) = g * x(c + s (t - c) + d) + noise,   t = 0 .. L-1
// with linear interpolation between samples and the ends held beyond the edges.
Tensor augment_beats(const Tensor& batch, Rng& rng, const BeatAugment& a = {});

}  // namespace convlab
