// src/ops/distance.hpp
//
// Encodings and the distances between them: face verification compares d(x1, x2) = ||f(x1) - f(x2)||^2
// with a threshold tau; recognition finds the database entry with the smallest d.
//                                                      [lecture: "Siamese Network", "Triplet Loss"]
#pragma once

#include "core/tensor.hpp"

namespace convlab {

// x / sqrt(sum x^2 + eps) along `dim`: every encoding f(x) put on the unit sphere, so that
// ||f(x1) - f(x2)||^2 = 2 - 2 f(x1).f(x2) lies in [0, 4]. eps keeps the zero vector finite (it stays 0).
// Built from differentiable ops, so its gradient comes from autodiff.
Tensor l2_normalize(const Tensor& x, int dim, float eps = 1e-10f);

// A: (N, D), B: (M, D) -> (N, M) with
//   D_ij = ||a_i - b_j||^2 = sum_k (a_ik - b_jk)^2        (the lecture's d(x1, x2) between encodings)
// computed from the differences themselves (not ||a||^2 + ||b||^2 - 2 a.b, which cancels catastrophically
// for close encodings and can go negative), so it is exact to float rounding and >= 0 by construction.
// Backward: dA_ik = 2 sum_j dD_ij (a_ik - b_jk),   dB_jk = 2 sum_i dD_ij (b_jk - a_ik).
Tensor pairwise_sq_distances(const Tensor& A, const Tensor& B);

}  // namespace convlab
