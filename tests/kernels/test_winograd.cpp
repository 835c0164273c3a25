// tests/kernels/test_winograd.cpp: 3x3x3 convolutions by F(2x2x2, 3x3x3) (kernels/winograd_conv.hpp)
// against the direct convolution (ops/conv_naive.cpp): hand-computed values on one tile; odd shapes (odd
// output sizes, whose last tiles hang over; channels that are not whole vectors; padding 0, 1, 2 and uneven
// across dims; several tile layers per task and blocks per layer); the same bits for 1 and 2 threads;
// gradients against central differences through conv3d; bad input.
#include "kernels/winograd_conv.hpp"
#include "ops/conv.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::max_relative_error;
using convlab::testing::random_tensor;

namespace {

struct Case {
    Shape x;
    int64_t C_out;
    ConvParams p;
};

// Every one has channels enough that ops/conv.cpp takes the Winograd path for the forward pass and both
// gradients (winograd_pays).
const std::vector<Case> cases = {
    {{2, 12, 7, 6, 5}, 13, ConvParams::same_for(3, 1, 1)},          // odd outputs 7 x 6 x 5, 13 filters
    {{1, 17, 5, 9, 8}, 16, ConvParams::same_for(3, 1, 2)},          // 17 channels: two vectors, one nearly empty
    {{3, 16, 10, 4, 12}, 32, ConvParams::same_for(3)},              // the figure's channels, valid
    {{1, 12, 3, 3, 3}, 12, ConvParams::same_for(3)},                // a single output: one tile, 7 of 8 dropped
    {{2, 9, 6, 7, 8}, 16, ConvParams{{1, 1, 1}, {0, 1, 2}, {1, 1, 1}}},  // padding differs across dims
    {{1, 12, 30, 6, 6}, 12, ConvParams::same_for(3)},               // 14 tile layers: several per task
    {{1, 12, 4, 24, 24}, 12, ConvParams::same_for(3)},              // 121 tiles a layer: three blocks
};

ConvGeometry geometry(const Case& c) { return conv_geometry_for(c.x, {c.C_out, c.x[1], 3, 3, 3}, c.p); }

}  // namespace

TEST_CASE("winograd: hand-computed 4x4x4 input, filter of ones" * doctest::test_suite("kernels.winograd")) {
    // x[z][y][x] = 16 z + 4 y + x, W = 1: each output is the sum of a 3x3x3 box, 27 times its centre value
    //   Y[i][j][k] = 27 (16 (i+1) + 4 (j+1) + (k+1)) = 27 (21 + 16 i + 4 j + k)
    const Tensor x = Tensor::arange(64).reshape({1, 1, 4, 4, 4}), W = Tensor::ones({1, 1, 3, 3, 3});
    const ConvGeometry g = conv_geometry_for(x.shape(), W.shape(), ConvParams::same_for(3));
    Tensor Y = Tensor::empty({1, 1, 2, 2, 2});
    const float b = 0.5f;
    winograd_conv_forward(x.data(), 1, g, W.data(), 1, &b, Y.data());
    CHECK(Y.values() == std::vector<float>{567.5f, 594.5f, 675.5f, 702.5f, 999.5f, 1026.5f, 1107.5f, 1134.5f});
    // dY = 1: dW[u][v][w] = sum of the 2x2x2 box of x at (u, v, w) = 8 x (16 (u + 1/2) + 4 (v + 1/2) + w + 1/2)
    //   = 128 u + 32 v + 8 w + 84
    const Tensor dY = Tensor::ones({1, 1, 2, 2, 2});
    const std::vector<float> dW = winograd_conv_backward_weight(dY.data(), x.data(), 1, g, 1).values();
    for (int u = 0; u < 3; ++u)
        for (int v = 0; v < 3; ++v)
            for (int w = 0; w < 3; ++w) CHECK(dW[(u * 3 + v) * 3 + w] == float(128 * u + 32 * v + 8 * w + 84));
}

// One odd-shape case's inputs, for the comparisons against the naive kernels below.
struct Operands {
    ConvGeometry g;
    Shape W_shape;
    Tensor x, W, b, dY;
};
Operands operands(const Case& c) {
    const ConvGeometry g = geometry(c);
    REQUIRE(winograd_pays(g, c.C_out));
    const Shape W_shape{c.C_out, c.x[1], 3, 3, 3};
    return {g, W_shape, random_tensor(c.x, 1), random_tensor(W_shape, 2), random_tensor({c.C_out}, 3),
            random_tensor(conv_output_shape(c.x, W_shape, c.p), 4)};
}

// The naive kernels are exercises (core.conv_forward_naive, core.conv_backward_naive): each comparison is in
// its exercise's suite, as in tests/core/test_conv.cpp, so the grader counts it there.
TEST_CASE("winograd: forward matches the direct convolution on odd shapes" *
          doctest::test_suite("core.conv_forward_naive")) {
    for (const Case& c : cases) {
        CAPTURE(shape_str(c.x));
        CAPTURE(c.C_out);
        const Operands o = operands(c);
        Tensor Y = Tensor::empty(o.dY.shape());
        winograd_conv_forward(o.x.data(), c.x[0], o.g, o.W.data(), c.C_out, o.b.data(), Y.data());
        CHECK(max_relative_error(Y.values(), conv_forward_naive(o.x, o.W, o.b, c.p).values()) <= 1e-4);
        // through ops/conv.cpp: the same path
        CHECK(max_relative_error(conv_forward(o.x, o.W, o.b, c.p).values(), Y.values()) == 0);
    }
}

TEST_CASE("winograd: both gradients match the direct convolution on odd shapes" *
          doctest::test_suite("core.conv_backward_naive")) {
    for (const Case& c : cases) {
        CAPTURE(shape_str(c.x));
        CAPTURE(c.C_out);
        const Operands o = operands(c);
        CHECK(max_relative_error(winograd_conv_backward_weight(o.dY.data(), o.x.data(), c.x[0], o.g, c.C_out).values(),
                                 conv_backward_weight_naive(o.dY, o.x, o.W_shape, c.p).values()) <= 1e-4);
        // through ops/conv.cpp: the input gradient as a Winograd forward of the flipped filters
        CHECK(max_relative_error(conv_backward_input(o.dY, o.W, c.x, c.p).values(),
                                 conv_backward_input_naive(o.dY, o.W, c.x, c.p).values()) <= 1e-4);
    }
}

TEST_CASE("winograd: same bits for 1 and 2 threads" * doctest::test_suite("kernels.winograd")) {
    for (const Case& c : {cases[0], cases[5], cases[6]}) {
        CAPTURE(shape_str(c.x));
        const Shape W_shape{c.C_out, c.x[1], 3, 3, 3};
        const Tensor x = random_tensor(c.x, 5), W = random_tensor(W_shape, 6), b = random_tensor({c.C_out}, 7);
        const Tensor dY = random_tensor(conv_output_shape(c.x, W_shape, c.p), 8);
        convlab::testing::check_same_bits_for_1_and_2_threads([&] {
            std::vector<float> all = conv_forward(x, W, b, c.p).values();
            for (float v : conv_backward_input(dY, W, c.x, c.p).values()) all.push_back(v);
            for (float v : conv_backward_weight(dY, x, W_shape, c.p).values()) all.push_back(v);
            return all;
        });
    }
}

TEST_CASE("winograd: conv3d gradients match central differences" * doctest::test_suite("kernels.winograd")) {
    // 12 channels in and out, so that all three passes take the Winograd path; an odd size with padding 1
    const ConvGeometry g = conv_geometry_for({1, 12, 3, 4, 3}, {12, 12, 3, 3, 3}, ConvParams::same_for(3, 1, 1));
    REQUIRE(winograd_pays(g, 12));
    check_gradient([](const std::vector<Tensor>& in) {
        return convlab::testing::weighted_sum(conv3d(in[0], in[1], in[2], 1, 1));
    }, {random_tensor({1, 12, 3, 4, 3}, 9), random_tensor({12, 12, 3, 3, 3}, 10, -0.2f, 0.2f),
        random_tensor({12}, 11)});
}

TEST_CASE("winograd: taken where it pays" * doctest::test_suite("kernels.winograd")) {
    const auto pays = [](int64_t C_in, int64_t C_out) {
        return winograd_pays(conv_geometry_for({1, C_in, 8, 8, 8}, {C_out, C_in, 3, 3, 3}, ConvParams::same_for(3)),
                             C_out);
    };
    // 27 C_in C_out multiply-adds per position on the grid against 8 Cp_in Cp_out + 48 (Cp_in + Cp_out)
    CHECK(pays(16, 32));        // the figure's second layer: 13824 > 4096 + 2304
    CHECK(pays(32, 16));        // and its input gradient
    CHECK(pays(12, 12));        // 3888 > 2048 + 1536
    CHECK_FALSE(pays(8, 8));    // 1728: padded to 16 channels, Winograd multiplies more than the grid
    CHECK_FALSE(pays(1, 16));   // the figure's first layer would be 5x5x5 anyway; 432
    CHECK_FALSE(winograd_pays(conv_geometry_for({1, 16, 8, 8}, {16, 16, 3, 3}, ConvParams::same_for(2)), 16));
}

TEST_CASE("winograd: a geometry it cannot compute throws an Error" * doctest::test_suite("kernels.winograd")) {
    const ConvGeometry strided = conv_geometry_for({1, 8, 6, 6, 6}, {8, 8, 3, 3, 3}, ConvParams::same_for(3, 2));
    const ConvGeometry flat = conv_geometry_for({1, 8, 6, 6}, {8, 8, 3, 3}, ConvParams::same_for(2));
    CHECK_FALSE(winograd_applies(strided));
    CHECK_FALSE(winograd_applies(flat));
    std::vector<float> x(8 * 216), W(8 * 8 * 27), Y(8 * 8);
    const std::string msg = convlab::testing::error_of(
        [&] { winograd_conv_forward(x.data(), 1, strided, W.data(), 8, nullptr, Y.data()); });
    CHECK(msg.find("winograd") != std::string::npos);
    CHECK(msg.find("stride (2, 2, 2)") != std::string::npos);
    CHECK_THROWS_AS(winograd_conv_backward_weight(Y.data(), x.data(), 1, flat, 8), Error);
}
