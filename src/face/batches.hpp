// src/face/batches.hpp
//
// Training batches for face encoders. Triplet mining needs several photos of each person in the same
// batch (anchors and positives) and several people (negatives), so a batch is P people x K photos each
// ("PK sampling", as in FaceNet's "around 40 faces per identity per mini-batch", scaled down).
#pragma once

#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace convlab {

// One epoch of batches: the people (labels 0..n-1) are shuffled and cut into groups of P (the last group
// may be smaller but has at least 2 people); from each person K photos are drawn without replacement
// (all of them if fewer). Returns image indices per batch.
std::vector<std::vector<int64_t>> pk_batches(const std::vector<int>& labels, int P, int K, Rng& rng);

// Rows idx of E: (N, D) -> (len(idx), D), differentiable (as a product with a one-hot matrix, so the
// gradient of a row that is used several times adds up).
Tensor take_rows(const Tensor& E, const std::vector<int64_t>& idx);

// Rows idx of any (N, ...) tensor (images, encodings), copied, no autodiff.
Tensor take_copy(const Tensor& images, const std::vector<int64_t>& idx);

}  // namespace convlab
