// tests/chapters/test_11_synthetic_volumes.cpp: the CT-like volumes and the moving-blob clips of chapter 11.
#include "tests/support/check.hpp"

#include <algorithm>

#include "data/synthetic_volumes.hpp"

using namespace convlab;

TEST_CASE("synthetic_volumes: shape, labels, and a lesion makes a bright spot" * doctest::test_suite("data.synthetic")) {
    Rng rng(5);
    const VolumeSet s = synthetic_volumes(60, 12, rng, /*noise=*/0.0f);
    CHECK(s.X.shape() == Shape{60, 1, 12, 12, 12});
    CHECK(s.classes == std::vector<std::string>{"no lesion", "lesion"});
    // Without noise, tissue is 0.4 plus faint organs (+-0.1 each); a lesion adds 0.4..0.6 on top.
    const std::vector<float> peak = max(s.X.reshape({60, -1}), 1).values();
    int lesions = 0;
    for (int i = 0; i < 60; ++i) {
        lesions += s.label[i];
        CHECK_MESSAGE((peak[i] > 0.65f) == (s.label[i] == 1), "volume " << i << " peak " << peak[i]);
    }
    CHECK(lesions > 15);
    CHECK(lesions < 45);
    Rng again(5);
    CHECK(synthetic_volumes(60, 12, again, 0.0f).X.values() == s.X.values());
}

TEST_CASE("synthetic_clips: the blob moves one pixel a frame in the labelled direction" *
          doctest::test_suite("data.synthetic")) {
    // Without noise the clutter cancels in (last frame - first frame): what is left is the blob where it
    // ended (positive) and where it started (negative), whose centres are (frames - 1) pixels apart in the
    // direction of the label.
    Rng rng(9);
    const int64_t T = 6, S = 14;
    const VolumeSet s = synthetic_clips(40, T, S, rng, /*noise=*/0.0f);
    CHECK(s.X.shape() == Shape{40, 1, T, S, S});
    CHECK(s.classes == std::vector<std::string>{"right", "left", "down", "up"});
    const int dy[4] = {0, 0, 1, -1}, dx[4] = {1, -1, 0, 0};
    for (int64_t i = 0; i < 40; ++i) {
        const Tensor clip = s.X[i][0];
        const std::vector<float> d = (clip[T - 1] - clip[0]).values();
        double y = 0, x = 0, mass = 0;  // centre of the positive part minus centre of the negative part
        for (int64_t p = 0; p < S * S; ++p) {
            y += d[p] * (p / S);
            x += d[p] * (p % S);
            mass += std::max(d[p], 0.0f);
        }
        const int k = s.label[i];
        CHECK(y / mass == doctest::Approx(dy[k] * (T - 1)).epsilon(1e-4).scale(1));
        CHECK(x / mass == doctest::Approx(dx[k] * (T - 1)).epsilon(1e-4).scale(1));
    }
    CHECK_THROWS_AS(synthetic_clips(4, 8, 10, rng), Error);  // a path of 7 pixels does not fit in 10 - 4
}
