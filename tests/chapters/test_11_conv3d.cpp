// tests/chapters/test_11_conv3d.cpp: the 3D shape walk-throughs of chapter 11, and conv3d against direct loops.
#include "chapters/11_conv3d_volumes/conv3d_shape.hpp"
#include "ops/conv.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::max_relative_error;
using convlab::testing::random_tensor;

TEST_CASE("conv3d_shape: the lecture's volume and the quiz's two layers" * doctest::test_suite("ch11.conv3d_shape")) {
    INFO("each axis n_out = floor((n + 2p - f) / s) + 1; the answer is channels last, (n_D, n_H, n_W, n_filters)");
    CHECK(conv3d_shape({14, 14, 14, 1}, 16, 5) == Shape{10, 10, 10, 16});
    CHECK(conv3d_shape({32, 32, 32, 16}, 32, 3) == Shape{30, 30, 30, 32});
    CHECK(conv3d_shape({64, 64, 64, 3}, 16, 4, 2) == Shape{31, 31, 31, 16});
    CHECK(conv3d_shape({8, 16, 12, 2}, 4, 3, 1, 1) == Shape{8, 16, 12, 4});  // "same" padding, unequal sides
    CHECK_THROWS_WITH_AS(conv3d_shape({14, 14, 14}, 16, 5),
                         "conv3d_shape: expected a volume (n_D, n_H, n_W, n_C), got (14, 14, 14)", Error);
}

TEST_CASE("conv3d_parameters: f^3 n_C weights and a bias per filter" * doctest::test_suite("ch11.conv3d_parameters")) {
    INFO("(f^3 n_C + 1) n_filters: each filter has f x f x f x n_C weights and one bias");
    CHECK(conv3d_parameters(1, 16, 5) == 2016);          // (125 + 1) * 16
    CHECK(conv3d_parameters(16, 32, 3) == 13856);        // (27 * 16 + 1) * 32
    CHECK(conv3d_parameters(3, 16, 4) == 3088);          // (64 * 3 + 1) * 16
    CHECK_THROWS_AS(conv3d_parameters(0, 16, 5), Error);
}

TEST_CASE("conv3d: agrees with the direct loops on odd shapes" * doctest::test_suite("core.conv_forward_naive")) {
    struct Case { int64_t N, C, D, H, W, O, f, s, p, d; };
    for (const Case& c : {Case{1, 1, 7, 7, 7, 3, 5, 1, 0, 1}, Case{2, 3, 5, 9, 6, 4, 3, 2, 1, 1},
                         Case{1, 2, 9, 5, 7, 5, 2, 1, 0, 3}, Case{3, 1, 6, 6, 6, 2, 3, 3, 2, 1}}) {
        const Tensor x = random_tensor({c.N, c.C, c.D, c.H, c.W}, 5), W = random_tensor({c.O, c.C, c.f, c.f, c.f}, 6),
                     b = random_tensor({c.O}, 7);
        const Tensor fast = conv3d(x, W, b, c.s, c.p, c.d);
        const Tensor naive = conv_forward_naive(x, W, b, ConvParams::same_for(3, c.s, c.p, c.d));
        REQUIRE(fast.shape() == naive.shape());
        CHECK(max_relative_error(fast.values(), naive.values()) < 1e-5);
    }
}

TEST_CASE("conv3d: a 2x2x2 box filter sums each cube" * doctest::test_suite("ch11.conv3d")) {
    // x[k, i, j] = 100 k + 10 i + j on 3x3x3; a box of ones over the cube at (k, i, j) sums its 8 corners:
    // 8 (100 k + 10 i + j) + 4 (100 + 10 + 1) = 800 k + 80 i + 8 j + 444
    std::vector<float> v;
    for (int k = 0; k < 3; ++k)
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) v.push_back(100.0f * k + 10.0f * i + j);
    const Tensor y = conv3d(Tensor::from({1, 1, 3, 3, 3}, v), Tensor::ones({1, 1, 2, 2, 2}));
    CHECK(y.shape() == Shape{1, 1, 2, 2, 2});
    CHECK(y.values() == std::vector<float>{444, 452, 524, 532, 1244, 1252, 1324, 1332});
}
