// tests/chapters/test_10_conv1d.cpp: the 1D shape arithmetic of chapter 10, and conv1d against direct loops.
#include "chapters/10_conv1d_ecg/conv_shape.hpp"
#include "ops/conv.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::max_relative_error;
using convlab::testing::random_tensor;

TEST_CASE("conv_output_size: the lecture's and the quiz's numbers" * doctest::test_suite("ch10.conv_output_size")) {
    INFO("n_out = floor((n + 2p - f) / s) + 1");
    CHECK(conv_output_size(14, 5) == 10);           // 14-sample ECG, filters of 5
    CHECK(conv_output_size(32, 3) == 30);           // quiz: 32^3 volume, 3^3 filters
    CHECK(conv_output_size(64, 4, 2) == 31);        // quiz: 64^3 volume, 4^3 filters, stride 2: floor(60/2) + 1
    CHECK(conv_output_size(7, 3, 2, 1) == 4);       // (7 + 2 - 3) / 2 + 1
    CHECK(conv_output_size(96, 7, 1, 3) == 96);     // "same" padding p = (f - 1) / 2
    CHECK(conv_output_size(5, 5) == 1);
    CHECK_THROWS_WITH_AS(conv_output_size(4, 7),
                         "conv_output_size: filter of size 7 does not fit in 4 inputs padded by 0 on each side", Error);
    CHECK_THROWS_AS(conv_output_size(10, 3, 0), Error);
}

TEST_CASE("conv_output_size agrees with the engine's conv_output_shape" * doctest::test_suite("ch10.conv_output_size")) {
    Rng rng(1);
    for (int trial = 0; trial < 50; ++trial) {
        const int64_t n = 1 + rng.randint(30), f = 1 + rng.randint(6), s = 1 + rng.randint(3), p = rng.randint(3);
        if (f > n + 2 * p) continue;
        const Shape y = conv_output_shape({2, 3, n}, {4, 3, f}, ConvParams::same_for(1, s, p));
        CHECK_MESSAGE(conv_output_size(n, f, s, p) == y[2], "n " << n << " f " << f << " s " << s << " p " << p);
    }
}

TEST_CASE("conv1d_shape: 14 samples, 16 filters of 5 -> 10 x 16" * doctest::test_suite("ch10.conv1d_shape")) {
    INFO("x is (1, n_C, n) and W (n_filters, n_C, f) in the engine's order; the answer is channels last, "
         "(n_out, n_filters)");
    CHECK(conv1d_shape(14, 1, 16, 5) == Shape{10, 16});
    CHECK(conv1d_shape(14, 1, 16, 5, 2, 2) == Shape{7, 16});   // (14 + 4 - 5) / 2 + 1
    CHECK(conv1d_shape(96, 8, 32, 3, 1, 1) == Shape{96, 32});  // "same" padding keeps the length
    CHECK(lecture_shape({1, 16, 10, 10, 10}) == Shape{10, 10, 10, 16});
    CHECK_THROWS_AS(conv1d_shape(4, 1, 16, 5), Error);         // the engine names both shapes
}

TEST_CASE("conv1d: a hand-computed edge detector" * doctest::test_suite("ch10.conv1d")) {
    // y_i = sum_u w_u x_{i+u}:  x = 1 2 4 8, w = 1 0 -1  ->  1 - 4, 2 - 8  (no flip: cross-correlation)
    const Tensor x = Tensor::from({1, 1, 4}, {1, 2, 4, 8});
    const Tensor W = Tensor::from({1, 1, 3}, {1, 0, -1});
    CHECK(conv1d(x, W).values() == std::vector<float>{-3, -6});
    CHECK(conv1d(x, W, Tensor::from({1}, {10}), 1, 1).values() == std::vector<float>{8, 7, 4, 14});  // 0 1 2 4 8 0
}

TEST_CASE("conv1d: agrees with the direct loops on odd shapes" * doctest::test_suite("core.conv_forward_naive")) {
    struct Case { int64_t N, C, L, O, f, s, p, d; };
    for (const Case& c : {Case{1, 1, 14, 16, 5, 1, 0, 1}, Case{3, 5, 97, 7, 7, 2, 3, 1}, Case{2, 3, 31, 4, 3, 3, 0, 2},
                         Case{5, 2, 9, 3, 9, 1, 4, 1}}) {
        const Tensor x = random_tensor({c.N, c.C, c.L}, 2), W = random_tensor({c.O, c.C, c.f}, 3),
                     b = random_tensor({c.O}, 4);
        const Tensor fast = conv1d(x, W, b, c.s, c.p, c.d);
        const Tensor naive = conv_forward_naive(x, W, b, ConvParams::same_for(1, c.s, c.p, c.d));
        REQUIRE(fast.shape() == naive.shape());
        CHECK(max_relative_error(fast.values(), naive.values()) < 1e-5);
    }
}
