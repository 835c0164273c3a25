// src/face/score_norm.hpp
//
// Symmetric score normalisation against a cohort of other people's photos (adaptive s-norm).
//                                              [Auckenthaler et al. 2000; Matejka et al. 2017 "AS-norm"]
//
// One threshold tau on d(x1, x2) treats every photo alike, but photos are not alike: a photo taken in
// unusual light lies far from everybody, its genuine and impostor distances both large; another sits in
// a crowd of look-alikes. The cohort, photos of people who are certainly someone else (the training
// people), measures this for each photo x:
//
//   c(x)       = the distances d(x, y) to every cohort photo y of another person       (M values)
//   mu(x), sigma(x) = mean and standard deviation of the K smallest of them, K = fraction * M
//   s(x1, x2)  = 1/2 [ (d(x1,x2) - mu(x1)) / sigma(x1) + (d(x1,x2) - mu(x2)) / sigma(x2) ]
//
// s says how much closer x2 is to x1 than x1's nearest impostors are (in their standard deviations), and
// the same from x2's side. Like d, small means "same person"; s < tau is the decision. Only the K
// nearest impostors count ("adaptive"): those are the ones a probe could be confused with.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// On ORL's training people (inner cross-validation, docs/face-experiments.md) K = 30-50% of the cohort
// gave the best AUC for every seed measured; the whole cohort helped least. 0.4 is the middle.
constexpr float kCohortFraction = 0.4f;

// mu(x) and sigma(x) of each photo, in row order.
struct CohortStats {
    std::vector<float> mu, sigma;
};

// C: (N, M) distances of N photos to the M cohort photos; entries that are +inf are not in the photo's
// cohort (the photo's own person). K = max(2, round(fraction * cohort size)). Throws naming the shape
// when a row has fewer than 2 finite entries, or when fraction is not in (0, 1].
CohortStats cohort_stats(const Tensor& C, float fraction);

// C: (N, N) distances among the cohort photos themselves, labels: person of each row -> C with +inf where
// both photos are of one person: a training photo's cohort is the other training people.
Tensor without_own_person(const Tensor& C, const std::vector<int>& labels);

// D: (N, M) distances, rows: stats of the N row photos, cols: of the M column photos -> (N, M) of s.
Tensor s_norm(const Tensor& D, const CohortStats& rows, const CohortStats& cols);

}  // namespace convlab
