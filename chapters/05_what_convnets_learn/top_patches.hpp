// chapters/05_what_convnets_learn/top_patches.hpp
#pragma once

#include <vector>

#include "chapters/05_what_convnets_learn/receptive_field.hpp"
#include "core/tensor.hpp"

namespace convlab {

// Where a unit fired most in one image.
struct PatchHit {
    int64_t image;       // index into the image set
    int64_t i, j;        // the unit's position in the layer's n_H x n_W grid
    float activation;    // its value there
};

// For unit (channel) k of a layer: the `count` images whose largest activation of k is largest, best first,
// each with where that maximum is (one patch per image: nine patches from nine different images).
// activations: (N, n_C, n_H, n_W) of N images.     [lecture: "What are deep ConvNets learning"]
std::vector<PatchHit> top_patches(const Tensor& activations, int64_t k, int count = 9);

// The part of image (C, H, W) that unit (i, j) sees, rf.size x rf.size; where the field hangs over the
// image's border (the zero padding the network saw), the patch is grey.
Tensor receptive_field_patch(const Tensor& image, const ReceptiveField& rf, int64_t i, int64_t j);

}  // namespace convlab
