// chapters/05_what_convnets_learn/top_patches.cpp
//
// Zeiler and Fergus's picture of what a unit learned: "Pick a unit in layer 1. Find the nine image patches
// that maximise the unit's activation. Repeat for other units."  [lecture: "What are deep ConvNets learning"]
// A unit sees only its receptive field (receptive_field.cpp), so the patch shown is exactly that field.
#include "chapters/05_what_convnets_learn/top_patches.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace convlab {

std::vector<PatchHit> top_patches(const Tensor& activations, int64_t k, int count) {
    check(activations.ndim() == 4 && k >= 0 && k < activations.dim(1), "top_patches: expected activations ",
          "(N, n_C, n_H, n_W) and a unit k < n_C, got ", activations.shape_str(), " and k = ", k);
    const Tensor a = activations.contiguous();
    const int64_t N = a.dim(0), n_C = a.dim(1), n_H = a.dim(2), n_W = a.dim(3);
    std::vector<PatchHit> best;  // one per image: where unit k fired most
    for (int64_t n = 0; n < N; ++n) {
        const float* p = a.data() + (n * n_C + k) * n_H * n_W;
        const int64_t at = std::max_element(p, p + n_H * n_W) - p;  // the first maximum on a tie
        best.push_back({n, at / n_W, at % n_W, p[at]});
    }
    // the strongest images first; on equal values the earlier image, so the result never depends on the sort
    std::stable_sort(best.begin(), best.end(),
                     [](const PatchHit& x, const PatchHit& y) { return x.activation > y.activation; });
    best.resize(std::min<size_t>(best.size(), size_t(std::max(count, 0))));
    return best;
}

Tensor receptive_field_patch(const Tensor& image, const ReceptiveField& rf, int64_t i, int64_t j) {
    check(image.ndim() == 3, "receptive_field_patch: expected an image (C, H, W), got ", image.shape_str());
    const Tensor src = image.contiguous();
    const int64_t C = src.dim(0), H = src.dim(1), W = src.dim(2), r = rf.size;
    Tensor patch = Tensor::full({C, r, r}, 0.5f);
    const int64_t top = rf.start + i * rf.jump, left = rf.start + j * rf.jump;
    const Window rows = input_window(rf, i, H), cols = input_window(rf, j, W);
    for (int64_t c = 0; c < C; ++c)
        for (int64_t y = rows.lo; y < rows.hi; ++y)
            for (int64_t x = cols.lo; x < cols.hi; ++x)
                patch.data()[(c * r + (y - top)) * r + (x - left)] = src.data()[(c * H + y) * W + x];
    return patch;
}

}  // namespace convlab
