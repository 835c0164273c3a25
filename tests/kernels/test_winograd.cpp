// tests/kernels/test_winograd.cpp: 3x3 and 3x3x3 convolutions by F(2x2, 3x3) and F(2x2x2, 3x3x3)
// (kernels/winograd_conv.hpp) against the direct convolution (ops/conv_naive.cpp): hand-computed values on one
// tile; odd shapes (odd output sizes, whose last tiles hang over; channels that are not whole vectors;
// padding 0, 1, 2 and uneven across dims; several tile layers per task and blocks per layer); an empty batch;
// the same bits for 1 and 2 threads; gradients against central differences through conv2d and conv3d; the
// cost model's choices; bad input.
#include <cmath>
#include <utility>

#include "kernels/winograd.hpp"
#include "kernels/winograd_conv.hpp"
#include "ops/conv.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::max_relative_error;
using convlab::testing::random_tensor;

namespace {

struct Case {
    Shape x;
    int64_t C_out;
    ConvParams p;
};

// 3D, then 2D. The kernels are called directly, so the cases may be too small for ops/conv.cpp to choose
// Winograd; those it does choose are also run through ops (at_scale).
const std::vector<Case> cases = {
    {{2, 12, 7, 6, 5}, 13, ConvParams::same_for(3, 1, 1)},          // odd outputs 7 x 6 x 5, 13 filters
    {{1, 17, 5, 9, 8}, 16, ConvParams::same_for(3, 1, 2)},          // 17 channels: two vectors, one nearly empty
    {{3, 16, 10, 4, 12}, 32, ConvParams::same_for(3)},              // the figure's channels, valid
    {{1, 12, 3, 3, 3}, 12, ConvParams::same_for(3)},                // a single output: one tile, 7 of 8 dropped
    {{2, 9, 6, 7, 8}, 16, ConvParams{{1, 1, 1}, {0, 1, 2}, {1, 1, 1}}},  // padding differs across dims
    {{1, 12, 30, 6, 6}, 12, ConvParams::same_for(3)},               // 14 tile layers: several per task
    {{1, 12, 4, 24, 24}, 12, ConvParams::same_for(3)},              // 121 tiles a layer: three blocks
    {{2, 33, 9, 7}, 40, ConvParams::same_for(2, 1, 1)},             // odd 9 x 7; 3 chunks in, a panel and a half out
    {{1, 17, 12, 11}, 20, ConvParams::same_for(2, 1, 2)},           // padding 2: 14 x 13
    {{3, 24, 10, 13}, 32, ConvParams::same_for(2)},                 // valid: 8 x 11
    {{2, 20, 4, 4}, 24, ConvParams::same_for(2)},                   // one tile a sample
    {{1, 16, 3, 5}, 16, ConvParams::same_for(2)},                   // 1 x 3: one row of tiles, half dropped
    {{2, 9, 6, 7}, 16, ConvParams{{1, 1}, {0, 2}, {1, 1}}},         // padding differs across dims
    {{1, 16, 5, 300}, 16, ConvParams::same_for(2, 1, 1)},           // rows of 302 padded columns
    {{1, 32, 40, 40}, 32, ConvParams::same_for(2, 1, 1)},           // 400 tiles: several runs of rows, blocks
    {{2, 64, 28, 23}, 128, ConvParams::same_for(2, 1, 1)},          // the face CNN's third layer, 2 images
};

int rank_of(const Case& c) { return int(c.x.size()) - 2; }

Shape filter_shape(int64_t C_out, int64_t C_in, int rank) {
    Shape W{C_out, C_in, 3, 3};
    if (rank == 3) W.push_back(3);
    return W;
}

// One case's inputs, for the comparisons against the naive kernels below; and the input gradient as the
// forward convolution ops/conv.cpp makes of it: dY padded by 2 - p, filters flipped and transposed,
//   W'[c, o, u'] = W[o, c, taps - 1 - u'].
struct Operands {
    ConvGeometry g, back;
    Shape W_shape;
    Tensor x, W, b, dY, W_flipped;
    // ops/conv.cpp takes Winograd for all three passes
    bool at_scale;
};
Operands operands(const Case& c) {
    const int rank = rank_of(c);
    const Shape W_shape = filter_shape(c.C_out, c.x[1], rank), out = conv_output_shape(c.x, W_shape, c.p);
    const ConvGeometry g = conv_geometry_for(c.x, W_shape, c.p);
    std::vector<int64_t> padding;
    for (int a = 3 - rank; a < 3; ++a) padding.push_back(2 - g.p[a]);
    const ConvGeometry back = conv_geometry_for(out, filter_shape(c.x[1], c.C_out, rank),
                                                ConvParams{std::vector<int64_t>(size_t(rank), 1), padding, {}});
    const Tensor W = random_tensor(W_shape, 2);
    std::vector<float> flipped(size_t(W.numel()));
    const int64_t taps = rank == 3 ? 27 : 9;
    for (int64_t i = 0; i < W.numel(); ++i) {  // i = (o C_in + c) taps + u
        const int64_t o = i / taps / c.x[1], ch = i / taps % c.x[1];
        flipped[size_t((ch * c.C_out + o) * taps + taps - 1 - i % taps)] = W.data()[i];
    }
    const bool at_scale = winograd_pays(g, c.x[0], c.C_out) && winograd_pays(back, c.x[0], c.x[1]) &&
                          winograd_pays(g, c.x[0], c.C_out, /*weight_gradient=*/true);
    return {g, back, W_shape, random_tensor(c.x, 1), W, random_tensor({c.C_out}, 3), random_tensor(out, 4),
            Tensor::from(filter_shape(c.x[1], c.C_out, rank), flipped), at_scale};
}

Tensor forward(const Operands& o, const Case& c) {
    Tensor Y = Tensor::empty(o.dY.shape());
    winograd_conv_forward(o.x.data(), c.x[0], o.g, o.W.data(), c.C_out, o.b.data(), Y.data());
    return Y;
}

Tensor input_gradient(const Operands& o, const Case& c) {
    Tensor dX = Tensor::empty(c.x);
    winograd_conv_forward(o.dY.data(), c.x[0], o.back, o.W_flipped.data(), c.x[1], nullptr, dX.data());
    return dX;
}

Tensor weight_gradient(const Operands& o, const Case& c) {
    return winograd_conv_backward_weight(o.dY.data(), o.x.data(), c.x[0], o.g, c.C_out);
}

// f(inputs) against autodiff along a random direction V_i of each input i, by central differences:
//   (f(.., x_i + h V_i, ..) - f(.., x_i - h V_i, ..)) / 2h  =  sum(df/dx_i * V_i)
// (exact up to rounding: a convolution is linear in each input). The whole gradient seen along one
// direction, for convolutions too large to perturb one element at a time (Winograd pays only from some size).
void check_gradient_along_directions(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                                     std::vector<Tensor> inputs, double h = 0.1, double tolerance = 1e-3) {
    for (Tensor& x : inputs) x = x.detach().clone().requires_grad_();
    f(inputs).backward();
    NoGradGuard no_grad;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const Tensor V = random_tensor(inputs[i].shape(), 100 + i), x = inputs[i];
        const double analytic = sum(x.grad() * V).item();
        inputs[i] = x + V * float(h);
        const double up = f(inputs).item();
        inputs[i] = x - V * float(h);
        const double down = f(inputs).item();
        inputs[i] = x;
        const double numeric = (up - down) / (2 * h);
        CHECK_MESSAGE(std::fabs(numeric - analytic) <= tolerance * std::max(1.0, std::fabs(numeric)),
                      "input " << i << ": autodiff " << analytic << ", central difference " << numeric);
    }
}

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

TEST_CASE("winograd: hand-computed 4x4 tile, its transform and a filter of ones" *
          doctest::test_suite("kernels.winograd")) {
    // d[y][x] = 4 y + x in every lane. B^T d along y (rows d0 - d2, d1 + d2, d2 - d1, d1 - d3):
    //   (-8, -8, -8, -8), (12, 14, 16, 18), (4, 4, 4, 4), (-8, -8, -8, -8); then the same along x:
    //   V = [0 -16 0 0 | -4 30 2 -4 | 0 8 0 0 | 0 -16 0 0]
    constexpr int L = kWinogradLanes;
    std::vector<float> d(16 * L), V(16 * L);
    for (int p = 0; p < 16 * L; ++p) d[size_t(p)] = float(p / L);  // point (y, x) = p / 16 at d + (4 y + x) 16
    winograd_input_tile(2, d.data(), 4 * L, 0, 0, 1, V.data(), 0);
    const float expected[16] = {0, -16, 0, 0, -4, 30, 2, -4, 0, 8, 0, 0, 0, -16, 0, 0};
    for (int p = 0; p < 16 * L; ++p) CHECK(V[size_t(p)] == expected[p / L]);
    // x = that tile as a 4 x 4 image, W = 1: Y[i][j] = 9 (4 (i+1) + (j+1)) + b = 9 (5 + 4 i + j) + 1/2
    const Tensor x = Tensor::arange(16).reshape({1, 1, 4, 4}), W = Tensor::ones({1, 1, 3, 3});
    const ConvGeometry g = conv_geometry_for(x.shape(), W.shape(), ConvParams::same_for(2));
    Tensor Y = Tensor::empty({1, 1, 2, 2});
    const float b = 0.5f;
    winograd_conv_forward(x.data(), 1, g, W.data(), 1, &b, Y.data());
    CHECK(Y.values() == std::vector<float>{45.5f, 54.5f, 81.5f, 90.5f});
    // dY = 1: dW[u][v] = sum of the 2x2 box of x at (u, v) = 4 (4 (u + 1/2) + v + 1/2) = 16 u + 4 v + 10
    const Tensor dY = Tensor::ones({1, 1, 2, 2});
    const Tensor dW = winograd_conv_backward_weight(dY.data(), x.data(), 1, g, 1);
    CHECK(dW.shape() == Shape{1, 1, 3, 3});
    CHECK(dW.values() == std::vector<float>{10, 14, 18, 26, 30, 34, 42, 46, 50});
}

// The naive kernels are exercises (core.conv_forward_naive, core.conv_backward_naive): each comparison is in
// its exercise's suite, as in tests/core/test_conv.cpp, so the grader counts it there.
TEST_CASE("winograd: forward matches the direct convolution on odd shapes" *
          doctest::test_suite("core.conv_forward_naive")) {
    for (const Case& c : cases) {
        CAPTURE(shape_str(c.x));
        CAPTURE(c.C_out);
        const Operands o = operands(c);
        const Tensor Y = forward(o, c);
        CHECK(max_relative_error(Y.values(), conv_forward_naive(o.x, o.W, o.b, c.p).values()) <= 1e-4);
        if (o.at_scale)  // through ops/conv.cpp: the same path
            CHECK(max_relative_error(conv_forward(o.x, o.W, o.b, c.p).values(), Y.values()) == 0);
    }
}

TEST_CASE("winograd: both gradients match the direct convolution on odd shapes" *
          doctest::test_suite("core.conv_backward_naive")) {
    for (const Case& c : cases) {
        CAPTURE(shape_str(c.x));
        CAPTURE(c.C_out);
        const Operands o = operands(c);
        const Tensor dX = input_gradient(o, c), dW = weight_gradient(o, c);
        CHECK(dW.shape() == o.W_shape);
        CHECK(max_relative_error(dX.values(), conv_backward_input_naive(o.dY, o.W, c.x, c.p).values()) <= 1e-4);
        CHECK(max_relative_error(dW.values(), conv_backward_weight_naive(o.dY, o.x, o.W_shape, c.p).values()) <= 1e-4);
        if (o.at_scale) {  // through ops/conv.cpp: the same paths
            CHECK(max_relative_error(conv_backward_input(o.dY, o.W, c.x, c.p).values(), dX.values()) == 0);
            CHECK(max_relative_error(conv_backward_weight(o.dY, o.x, o.W_shape, c.p).values(), dW.values()) == 0);
        }
    }
}

TEST_CASE("winograd: the cases at scale go through ops/conv.cpp" * doctest::test_suite("kernels.winograd")) {
    for (const Case& c : {cases[14], cases[15]}) {
        CAPTURE(shape_str(c.x));
        CHECK(operands(c).at_scale);
    }
}

TEST_CASE("winograd: an empty batch gives an empty output and a zero weight gradient" *
          doctest::test_suite("kernels.winograd")) {
    for (const Shape& x_shape : {Shape{0, 16, 6, 6, 6}, Shape{0, 16, 9, 7}}) {
        CAPTURE(shape_str(x_shape));
        const int rank = int(x_shape.size()) - 2;
        const Shape W_shape = filter_shape(32, 16, rank);
        const ConvGeometry g = conv_geometry_for(x_shape, W_shape, ConvParams::same_for(rank, 1, 1));
        const Tensor W = random_tensor(W_shape, 5);
        winograd_conv_forward(nullptr, 0, g, W.data(), 32, nullptr, nullptr);  // nothing to write
        const std::vector<float> dW = winograd_conv_backward_weight(nullptr, nullptr, 0, g, 32).values();
        CHECK(dW == std::vector<float>(size_t(shape_numel(W_shape)), 0.0f));
    }
}

TEST_CASE("winograd: same bits for 1 and 2 threads" * doctest::test_suite("kernels.winograd")) {
    for (const Case& c : {cases[0], cases[5], cases[6], cases[7], cases[13], cases[14]}) {
        CAPTURE(shape_str(c.x));
        const Operands o = operands(c);
        convlab::testing::check_same_bits_for_1_and_2_threads([&] {
            std::vector<float> all = forward(o, c).values();
            for (const Tensor& t : {input_gradient(o, c), weight_gradient(o, c)})
                for (float v : t.values()) all.push_back(v);
            return all;
        });
    }
}

TEST_CASE("winograd: conv2d and conv3d gradients match central differences" *
          doctest::test_suite("kernels.winograd")) {
    // Shapes at which ops/conv.cpp takes Winograd for all three passes (checked), with padding 1; 2D with odd
    // sizes
    for (const Case& c : {Case{{2, 32, 21, 23}, 32, ConvParams::same_for(2, 1, 1)},
                          Case{{1, 16, 8, 7, 8}, 16, ConvParams::same_for(3, 1, 1)}}) {
        CAPTURE(shape_str(c.x));
        REQUIRE(operands(c).at_scale);
        const int rank = rank_of(c);
        check_gradient_along_directions([rank](const std::vector<Tensor>& in) {
            const Tensor y = rank == 2 ? conv2d(in[0], in[1], in[2], 1, 1) : conv3d(in[0], in[1], in[2], 1, 1);
            return convlab::testing::weighted_sum(y);
        }, {random_tensor(c.x, 9), random_tensor(filter_shape(c.C_out, c.x[1], rank), 10, -0.2f, 0.2f),
            random_tensor({c.C_out}, 11)});
    }
}

TEST_CASE("winograd: taken where it pays" * doctest::test_suite("kernels.winograd")) {
    const auto pays = [](const Shape& x, int64_t C_out, bool weight_gradient = false) {
        const int rank = int(x.size()) - 2;
        const ConvGeometry g = conv_geometry_for(x, filter_shape(C_out, x[1], rank), ConvParams::same_for(rank, 1, 1));
        return winograd_pays(g, x[0], C_out, weight_gradient);
    };
    // 3D: 27 C_in C_out multiply-adds a position on the grid against 8 Cp_in Cp_out + 48 (Cp_in + Cp_out)
    CHECK(pays({8, 16, 28, 28, 28}, 32));        // the figure's second layer: 13824 > 4096 + 2304
    CHECK(pays({8, 32, 28, 28, 28}, 16));        // and its input gradient
    CHECK(pays({8, 16, 28, 28, 28}, 32, true));
    CHECK_FALSE(pays({2, 8, 24, 24, 24}, 8));    // 1728: padded to 16 channels, Winograd multiplies more
    // 2D: 9 C_in C_out against 4 Cp_in Cp_out + 48 (Cp_in + Cp_out), and U's transform and passes
    for (const int64_t C : {32, 64, 128}) {      // the face CNN, 32 images of 112 x 92: 56 x 46, 28 x 23, 14 x 11
        const Shape x{32, C, 112 * 32 / C / 2, 92 * 32 / C / 2};
        CAPTURE(shape_str(x));
        const int64_t C_out = std::min<int64_t>(2 * C, 128);
        CHECK(pays(x, C_out));
        CHECK(pays({32, C_out, x[2], x[3]}, C));  // its input gradient
        CHECK(pays(x, C_out, true));
    }
    CHECK_FALSE(pays({32, 1, 112, 92}, 32));      // its first layer stays on the grid
    for (int64_t C = 64, side = 256; C <= 512; C *= 2, side /= 2) {  // VGG-19 at 256^2
        CAPTURE(C);
        CHECK(pays({1, C, side, side}, C));
    }
    CHECK_FALSE(pays({1, 512, 16, 16}, 512));      // conv5_1: 64 tiles do not pay for U (4M floats)
    CHECK_FALSE(pays({1, 3, 256, 256}, 64));       // conv1_1
    CHECK_FALSE(pays({4, 8, 64, 64}, 8));          // 576 against 1024 + 1536
}

TEST_CASE("winograd: a geometry it cannot compute throws an Error" * doctest::test_suite("kernels.winograd")) {
    const ConvGeometry strided = conv_geometry_for({1, 8, 6, 6, 6}, {8, 8, 3, 3, 3}, ConvParams::same_for(3, 2));
    const ConvGeometry wide = conv_geometry_for({1, 8, 6, 6}, {8, 8, 3, 5}, ConvParams::same_for(2));
    const ConvGeometry dilated = conv_geometry_for({1, 8, 6, 6}, {8, 8, 3, 3}, ConvParams::same_for(2, 1, 0, 2));
    const ConvGeometry line = conv_geometry_for({1, 8, 6}, {8, 8, 3}, ConvParams::same_for(1));
    CHECK(winograd_applies(conv_geometry_for({1, 8, 6, 6}, {8, 8, 3, 3}, ConvParams::same_for(2))));
    for (const ConvGeometry* g : {&strided, &wide, &dilated, &line}) CHECK_FALSE(winograd_applies(*g));
    std::vector<float> x(8 * 216), W(8 * 8 * 27), Y(8 * 8);
    const std::string msg = convlab::testing::error_of(
        [&] { winograd_conv_forward(x.data(), 1, strided, W.data(), 8, nullptr, Y.data()); });
    CHECK(msg.find("winograd") != std::string::npos);
    CHECK(msg.find("stride (2, 2, 2)") != std::string::npos);
    CHECK_THROWS_AS(winograd_conv_backward_weight(Y.data(), x.data(), 1, wide, 8), Error);
    CHECK_THROWS_AS(winograd_conv_backward_weight(Y.data(), x.data(), 1, line, 8), Error);
}
