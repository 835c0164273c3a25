// tests/face/test_score_norm.cpp
//
// Symmetric score normalisation (face/score_norm.hpp): hand-computed cohort statistics (the K nearest,
// +inf entries left out, K at least 2), the own person left out, a hand-computed s, its invariance to the
// scale and offset of d, and the errors.
#include <cmath>
#include <limits>

#include "face/score_norm.hpp"
#include "ops/elementwise.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::testing;

namespace {
constexpr float kInf = std::numeric_limits<float>::infinity();

// Two photos' distances to 5 cohort photos; +inf: the photo's own person, not in its cohort.
//   row 0: 10, 2, 1, 3      K = 2 (half of 4): 1, 2 -> mu 1.5, sigma 0.5
//                           all 4:  mu 4, sigma^2 = (100 + 4 + 1 + 9) / 4 - 16 = 12.5
//   row 1: 5, 3, 7, 9       K = 2: 3, 5 -> mu 4, sigma 1
//                           all 4:  mu 6, sigma^2 = (25 + 9 + 49 + 81) / 4 - 36 = 5
const Tensor kC = Tensor::from({2, 5}, {10, 2, 1, 3, kInf, 5, kInf, 3, 7, 9});
}  // namespace

TEST_CASE("cohort_stats: mean and standard deviation of the K nearest cohort photos" *
          doctest::test_suite("face.score_norm")) {
    const CohortStats half = cohort_stats(kC, 0.5f);
    CHECK(half.mu == std::vector<float>{1.5f, 4.0f});
    CHECK(half.sigma == std::vector<float>{0.5f, 1.0f});
    const CohortStats all = cohort_stats(kC, 1.0f);
    CHECK(all.mu == std::vector<float>{4.0f, 6.0f});
    CHECK(all.sigma[0] == doctest::Approx(std::sqrt(12.5)).epsilon(1e-6));
    CHECK(all.sigma[1] == doctest::Approx(std::sqrt(5.0)).epsilon(1e-6));
    // K is at least 2, so that sigma means something: 0.1 x 4 rounds to 0
    CHECK(cohort_stats(kC, 0.1f).mu == half.mu);
    // a cohort at one distance has sigma 0: kept finite (1e-6), so s stays finite
    const CohortStats flat = cohort_stats(Tensor::from({1, 3}, {2, 2, 2}), 1.0f);
    CHECK(flat.sigma[0] > 0.0f);
    CHECK(std::isfinite(s_norm(Tensor::from({1, 1}, {3}), flat, flat).values()[0]));
}

TEST_CASE("without_own_person: a training photo's cohort is the other training people" *
          doctest::test_suite("face.score_norm")) {
    // photos 0, 1 of person 7, photo 2 of person 3
    const Tensor C = Tensor::from({3, 3}, {0, 1, 2, 1, 0, 3, 2, 3, 0});
    CHECK(without_own_person(C, {7, 7, 3}).values() == std::vector<float>{kInf, kInf, 2, kInf, kInf, 3, 2, 3, kInf});
    CHECK(C.values()[1] == 1.0f);  // C itself unchanged
    CHECK_THROWS_WITH_AS(without_own_person(C, {7, 7}),
                         doctest::Contains("expected distances (N, N) and N labels, got (3, 3) and 2 labels"), Error);
}

TEST_CASE("s_norm: hand-computed s, symmetric, unchanged by the scale and offset of d" *
          doctest::test_suite("face.score_norm")) {
    // s = 1/2 [(d - mu_1) / sigma_1 + (d - mu_2) / sigma_2] with the stats above, d = 2:
    //   1/2 [(2 - 1.5) / 0.5 + (2 - 4) / 1] = 1/2 (1 - 2) = -0.5
    const CohortStats stats = cohort_stats(kC, 0.5f);
    const Tensor D = Tensor::from({2, 2}, {0, 2, 2, 0});
    const std::vector<float> s = s_norm(D, stats, stats).values();
    CHECK(s[1] == doctest::Approx(-0.5));
    CHECK(s[2] == s[1]);
    CHECK(s[0] == doctest::Approx(-3.0));  // (0 - 1.5) / 0.5 from both sides
    CHECK(s[3] == doctest::Approx(-4.0));  // (0 - 4) / 1
    // d -> 3 d + 1 everywhere (the cohort distances too): every s stays the same, so s needs no tau of
    // its own per encoder scale
    const Tensor C = random_tensor({6, 9}, /*seed=*/4, 0.5f, 2.0f), Dr = random_tensor({6, 6}, /*seed=*/5, 0.5f, 2.0f);
    const CohortStats a = cohort_stats(C, 0.4f), b = cohort_stats(C * 3.0f + 1.0f, 0.4f);
    const std::vector<float> s1 = s_norm(Dr, a, a).values(), s2 = s_norm(Dr * 3.0f + 1.0f, b, b).values();
    for (size_t i = 0; i < s1.size(); ++i) CHECK(s2[i] == doctest::Approx(s1[i]).epsilon(1e-4));
}

TEST_CASE("cohort_stats and s_norm: errors name the shapes" * doctest::test_suite("face.score_norm")) {
    CHECK_THROWS_WITH_AS(cohort_stats(Tensor::zeros({4}), 0.5f),
                         doctest::Contains("expected distances to the cohort (N, M)"), Error);
    CHECK_THROWS_WITH_AS(cohort_stats(kC, 0.0f), doctest::Contains("fraction must be in (0, 1], got 0"), Error);
    CHECK_THROWS_WITH_AS(cohort_stats(kC, 1.5f), doctest::Contains("fraction must be in (0, 1], got 1.5"), Error);
    CHECK_THROWS_WITH_AS(cohort_stats(Tensor::from({1, 3}, {1, kInf, kInf}), 0.5f),
                         doctest::Contains("photo 0 has 1 cohort distances in (1, 3); need at least 2"), Error);
    const CohortStats stats = cohort_stats(kC, 0.5f);
    CHECK_THROWS_WITH_AS(s_norm(Tensor::zeros({3, 2}), stats, stats),
                         doctest::Contains("expected distances (N, M) with N row and M column stats, got (3, 2) "
                                           "with 2 and 2"),
                         Error);
}
