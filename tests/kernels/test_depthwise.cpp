// tests/kernels/test_depthwise.cpp: the depthwise kernel (kernels/conv_depthwise.hpp) against the direct
// convolution (ops/conv_naive.cpp): hand-computed rows; odd shapes through each of its paths (3, 3x3, 5x5
// taps compiled for, other filters at run time; stride 1, 2, 3 split into phases; short rows a layer at a
// time and long ones a row at a time; dilation; 1D, 2D, 3D; padding or none; channel multiplier 1, 2, 3;
// batches); that ops/conv.cpp takes it; the same bits for 1 and 2 threads; an empty batch.
#include "kernels/conv_depthwise.hpp"
#include "ops/conv.hpp"
#include "tests/core/conv_cases.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::ConvCase;
using convlab::testing::max_relative_error;
using convlab::testing::random_tensor;

namespace {

ConvCase depthwise(Shape x, int64_t m, Shape f, ConvParams p) {
    Shape W{x[1] * m, 1};
    W.insert(W.end(), f.begin(), f.end());
    p.groups = x[1];
    return {std::move(x), std::move(W), std::move(p)};
}

const std::vector<ConvCase> cases = {
    depthwise({1, 3, 17, 19}, 1, {3, 3}, ConvParams::same_for(2, 1, 1)),      // 3x3, stride 1, padding 1
    depthwise({2, 4, 18, 21}, 2, {3, 3}, ConvParams::same_for(2, 2, 1)),      // stride 2, multiplier 2
    depthwise({1, 5, 16, 16}, 1, {3, 3}, ConvParams::same_for(2, 2, 0)),      // stride 2 on a pre-padded input
    depthwise({1, 2, 9, 40}, 3, {3, 3}, ConvParams::same_for(2)),             // valid, multiplier 3
    depthwise({1, 3, 13, 14}, 1, {5, 5}, ConvParams::same_for(2, 1, 2)),      // 5x5
    depthwise({2, 2, 15, 13}, 1, {5, 5}, ConvParams::same_for(2, 2, 2)),
    depthwise({1, 3, 11, 12}, 1, {3, 3}, ConvParams::same_for(2, 1, 2, 2)),   // dilation 2
    depthwise({1, 4, 14, 15}, 2, {3, 3}, ConvParams::same_for(2, 3, 1)),      // stride 3: the run-time row
    depthwise({2, 3, 10, 11}, 1, {2, 4}, ConvParams{{1, 2}, {1, 0}, {1, 1}}), // 2 x 4, uneven params
    depthwise({1, 3, 8, 9}, 2, {3, 1}, ConvParams::same_for(2, 1, 1)),        // 3 x 1: 3 taps down a column
    depthwise({3, 4, 50}, 1, {3}, ConvParams::same_for(1, 1, 1)),             // 1D, 3 taps
    depthwise({1, 2, 31}, 2, {3}, ConvParams::same_for(1, 2, 0)),
    depthwise({1, 3, 40}, 1, {7}, ConvParams::same_for(1, 1, 3)),
    depthwise({1, 2, 5, 4}, 1, {1, 3}, ConvParams{{1, 3}, {0, 2}, {1, 1}}),   // stride 3, 3 phases of a row
    depthwise({2, 2, 3, 1}, 2, {3, 3}, ConvParams::same_for(2, 2, 1)),        // a phase all padding
    depthwise({1, 2, 70, 66}, 1, {3, 3}, ConvParams::same_for(2, 1, 1)),      // long rows, one at a time
    depthwise({1, 2, 5, 6, 7}, 1, {3, 3, 3}, ConvParams::same_for(3, 1, 1)),  // 3D
    depthwise({2, 3, 6, 5, 7}, 2, {2, 3, 3}, ConvParams{{2, 1, 2}, {0, 1, 1}, {1, 1, 1}}),
};

}  // namespace

TEST_CASE("depthwise: a hand-computed 3x3 at stride 1 and 2" * doctest::test_suite("kernels.depthwise")) {
    // One channel x[r, c] = 4 r + c (4 x 4), the filter [[0 0 0] [0 1 1] [0 0 0]]: y = x[r, c] + x[r, c + 1],
    // zero past the right edge with padding 1: rows [1 3 5 3], [9 11 13 7], ...; b = 0.5
    const Tensor x = Tensor::arange(16).reshape({1, 1, 4, 4});
    const Tensor W = Tensor::from({1, 1, 3, 3}, {0, 0, 0, 0, 1, 1, 0, 0, 0});
    const ConvGeometry g = conv_geometry_for(x.shape(), W.shape(), ConvParams::same_for(2, 1, 1, 1, 1));
    REQUIRE_FALSE(depthwise_applies(g));  // one channel: the plain convolution
    // two channels, the second all ones (the filter adds its two taps: 2)
    const Tensor x2 = concat({x, Tensor::ones({1, 1, 4, 4})}, 1);
    const Tensor W2 = concat({W, W}, 0);
    const ConvGeometry g2 = conv_geometry_for(x2.shape(), W2.shape(), ConvParams::same_for(2, 1, 1, 1, 2));
    REQUIRE(depthwise_applies(g2));
    const float b[2] = {0.5f, 0.0f};
    Tensor Y = Tensor::empty({1, 2, 4, 4});
    depthwise_forward(x2.data(), 1, g2, W2.data(), 2, b, Y.data());
    CHECK(Y.values() == std::vector<float>{1.5f, 3.5f, 5.5f, 3.5f, 9.5f, 11.5f, 13.5f, 7.5f, 17.5f, 19.5f, 21.5f, 11.5f,
                                           25.5f, 27.5f, 29.5f, 15.5f,  //
                                           2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1});
    // stride 2: rows 0 and 2, columns 0 and 2 of the above (without b for channel 0 here)
    const ConvGeometry s2 = conv_geometry_for(x2.shape(), W2.shape(), ConvParams::same_for(2, 2, 1, 1, 2));
    Tensor Y2 = Tensor::empty({1, 2, 2, 2});
    depthwise_forward(x2.data(), 1, s2, W2.data(), 2, nullptr, Y2.data());
    CHECK(Y2.values() == std::vector<float>{1, 5, 17, 21, 2, 2, 2, 2});
}

TEST_CASE("depthwise: matches the naive convolution on odd shapes, and ops/conv.cpp takes it" *
          doctest::test_suite("core.conv_forward_naive")) {
    for (const ConvCase& c : cases) {
        CAPTURE(shape_str(c.x));
        CAPTURE(shape_str(c.W));
        const ConvGeometry g = conv_geometry_for(c.x, c.W, c.p);
        REQUIRE(depthwise_applies(g));
        const Tensor x = random_tensor(c.x, 1), W = random_tensor(c.W, 2), b = random_tensor({c.W[0]}, 3);
        Tensor Y = Tensor::empty(conv_output_shape(c.x, c.W, c.p));
        depthwise_forward(x.data(), c.x[0], g, W.data(), c.W[0], b.data(), Y.data());
        CHECK(max_relative_error(Y.values(), conv_forward_naive(x, W, b, c.p).values()) <= 1e-5);
        CHECK(conv_forward(x, W, b, c.p).values() == Y.values());  // the same bits: ops takes this kernel
        convlab::testing::check_forward_matches_naive(c);
    }
}

TEST_CASE("depthwise: backwards match the naive ones" * doctest::test_suite("core.conv_backward_naive")) {
    for (const ConvCase& c : cases) convlab::testing::check_backwards_match_naive(c);
}

TEST_CASE("depthwise: same bits for 1 and 2 threads; an empty batch" * doctest::test_suite("kernels.depthwise")) {
    const std::vector<ConvCase> wide = {
        depthwise({1, 64, 20, 24}, 1, {3, 3}, ConvParams::same_for(2, 1, 1)),   // many small planes
        depthwise({2, 3, 70, 75}, 2, {3, 3}, ConvParams::same_for(2, 2, 1)),    // few large ones
        depthwise({1, 8, 30, 30}, 1, {3, 5}, ConvParams::same_for(2, 1, 1)),    // the run-time row
    };
    for (const ConvCase& c : wide) {
        CAPTURE(shape_str(c.W));
        const Tensor x = random_tensor(c.x, 4), W = random_tensor(c.W, 5), b = random_tensor({c.W[0]}, 6);
        convlab::testing::check_same_bits_for_1_and_2_threads([&] { return conv_forward(x, W, b, c.p).values(); });
    }
    const ConvCase none = depthwise({0, 4, 6, 6}, 1, {3, 3}, ConvParams::same_for(2, 1, 1));
    CHECK(conv_forward(Tensor::zeros(none.x), random_tensor(none.W, 7), {}, none.p).shape() == Shape{0, 4, 6, 6});
}
