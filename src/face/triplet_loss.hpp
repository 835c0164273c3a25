// src/face/triplet_loss.hpp                                                  [lecture: "Triplet Loss"]
//
// Chapter 03's lecture function (exercise ch03.triplet_loss). It lives in the face library, below the
// chapters, because the programs of chapters 01, 02, 04 and 05 train their encoders with it too.
#pragma once

#include "core/tensor.hpp"

namespace convlab {

// f_A, f_P, f_N: encodings of m anchors, positives (same person as the anchor) and negatives (another
// person), each (m, D).  Returns the scalar
//   J = sum_i L(A_i, P_i, N_i),   L(A, P, N) = max(||f(A) - f(P)||^2 - ||f(A) - f(N)||^2 + alpha, 0)
// alpha is the margin: d(A, N) must beat d(A, P) by at least alpha before a triplet stops contributing.
Tensor triplet_loss(const Tensor& f_A, const Tensor& f_P, const Tensor& f_N, float alpha);

}  // namespace convlab
