// src/face/whitening.hpp
//
// Within-class covariance normalisation (WCCN) of the encodings: a distance that counts less the
// directions in which photos of one person already vary.                        [Hatch et al. 2006]
//
// The encoder is trained so that one person's photos lie close together, but what is left of their
// spread is not round: some directions of the 128 (lighting, distance to the camera) still vary a lot
// within a person, others hardly at all. Measured on the training people's encodings e_i = f(x_i):
//
//   S_w = 1/N sum_i (e_i - mu_{y_i}) (e_i - mu_{y_i})^T           mu_c: mean encoding of person c   (D, D)
//   S   = (1 - lambda) S_w / s + lambda I,   s = tr(S_w) / D      (shrunk towards I: S_w from 30 people is
//                                                                   noisy; lambda = 1 gives back plain d)
//   d_W(x1, x2) = (f(x1) - f(x2))^T S^-1 (f(x1) - f(x2)) = ||P f(x1) - P f(x2)||^2,   P = L^-1, S = L L^T
//
// d_W is a Mahalanobis distance; with P fitted once on the training people, every photo's encoding is
// mapped to P f(x), and the rest (thresholds, the database, the ROC) works on those as on f(x).
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// On ORL's training people (inner cross-validation, docs/face-experiments.md) 0.5-0.8 all raised one-shot rank-1
// by ~0.01 and lowered the EER by ~0.004 over plain d, AUC +0.001; 0.7 is the middle of that plateau.
constexpr float kWhiteningLambda = 0.7f;

// E: (N, D) encodings of the training photos, labels: person of each row (at least one person with two
// photos) -> P: (D, D) lower triangular. lambda in [0, 1]. Throws naming the shapes, or when S is not
// positive definite (lambda = 0 with fewer photos than dimensions).
Tensor fit_whitening(const Tensor& E, const std::vector<int>& labels, float lambda);

// E: (N, D), P: (D, D) -> (N, D), row i = P e_i.
Tensor whiten(const Tensor& E, const Tensor& P);

}  // namespace convlab
