// src/data/synthetic_volumes.hpp
//
// 3D data drawn from a model, for the 3D-convolution chapter: the two examples of the lecture's
// "1D and 3D Generalizations", a CT scan (a stack of slices) and a movie (a stack of frames).
//
//   synthetic_volumes: CT-like volumes, n_D = n_H = n_W = size. A body (an ellipsoid of soft tissue in air)
//     holds a few large faint "organs"; half of the volumes also hold a lesion: a small bright sphere of
//     random radius (1.5..3 voxels) and position inside the body. Gaussian noise over everything.
//     label 1 = lesion, 0 = none. The lesion is what a 2D slice may miss and a 3D filter sees whole.
//
//   synthetic_clips: video clips of `frames` frames of size x size: a bright blob moves one pixel per frame
//     to the right, left, down or up over static clutter and noise; label 0..3 in that order. One frame
//     alone cannot tell the direction: a filter must span time.
//
// Both put one channel first: X is (N, 1, D, H, W) with D = depth (slices) or time (frames).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace convlab {

struct VolumeSet {
    Tensor X;                         // (N, 1, D, H, W)
    std::vector<int> label;           // class index 0..K-1
    std::vector<std::string> classes; // class names, K of them
};

VolumeSet synthetic_volumes(int64_t n, int64_t size, Rng& rng, float noise = 0.1f);
VolumeSet synthetic_clips(int64_t n, int64_t frames, int64_t size, Rng& rng, float noise = 0.1f);

}  // namespace convlab
