// tests/chapters/test_10_synthetic_ecg.cpp: the heartbeat generator behind chapter 10's default data.
#include "tests/support/check.hpp"

#include <algorithm>
#include <cmath>

#include "data/synthetic_ecg.hpp"

using namespace convlab;

TEST_CASE("synthetic_ecg: UCR form, z-normalised, seeded" * doctest::test_suite("data.synthetic")) {
    Rng rng(3), again(3);
    const UcrSet s = synthetic_ecg(200, rng);
    CHECK(s.X.shape() == Shape{200, 1, 96});
    CHECK(ucr_classes(s.label) == std::vector<int>{-1, 1});
    const auto abnormal = std::count(s.label.begin(), s.label.end(), -1);
    CHECK(abnormal > 70);   // half of 200 on average; 70..130 is more than 4 standard deviations
    CHECK(abnormal < 130);
    const std::vector<float> v = s.X.values();
    for (int64_t i : {0, 57, 199}) {
        double mean = 0, sq = 0;
        for (int k = 0; k < 96; ++k) mean += v[i * 96 + k];
        mean /= 96;
        for (int k = 0; k < 96; ++k) sq += (v[i * 96 + k] - mean) * (v[i * 96 + k] - mean);
        CHECK(mean == doctest::Approx(0.0).epsilon(1e-5).scale(1));
        CHECK(std::sqrt(sq / 96) == doctest::Approx(1.0).epsilon(1e-4));
    }
    CHECK(synthetic_ecg(200, again).X.values() == v);
    CHECK_THROWS_AS(synthetic_ecg(0, rng), Error);
}

TEST_CASE("synthetic_ecg: a normal beat without noise or jitter peaks at its R wave" *
          doctest::test_suite("data.synthetic")) {
    // R sits at 30% of the window: sample 0.3 * 96 = 28.8, so the largest of the first half is 29 (or 28).
    // (The next beat's R may enter the second half at a fast heart rate.)
    Rng rng(11);
    const UcrSet s = synthetic_ecg(50, rng, EcgOptions{96, 0.0f, 0.0f, 0});
    CHECK(std::all_of(s.label.begin(), s.label.end(), [](int y) { return y == 1; }));
    const Tensor peak = argmax(s.X.reshape({50, 96}).slice(1, 0, 48), 1);
    for (const float k : peak.values()) CHECK((k == 28.0f || k == 29.0f));
}
