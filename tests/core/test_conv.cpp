// tests/core/test_conv.cpp: convolution in 1D, 2D and 3D: hand-computed values, the lecture's shapes, fast
// against naive kernels, gradients against central differences, thread-count independence, bad input; and
// reflection padding, the border a convolution can be given instead of zeros.
#include <algorithm>
#include <cstring>

#include "kernels/im2col.hpp"
#include "kernels/winograd_conv.hpp"
#include "ops/conv.hpp"
#include "ops/reflect_pad.hpp"
#include "tests/core/conv_cases.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::max_relative_error;
using convlab::testing::random_tensor;

using Inputs = std::vector<Tensor>;

using convlab::testing::weighted_sum;

// The message of the Error f throws ("" if it throws none).
using convlab::testing::error_of;

TEST_CASE("conv2d: hand-computed 3x3 input, 2x2 filter" * doctest::test_suite("core.conv")) {
    // x = [[1 2 3]    W = [[1 2]
    //      [4 5 6]         [3 4]]
    //      [7 8 9]]
    const Tensor x = Tensor::from({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    const Tensor W = Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4});
    // Y[0,0] = 1*1 + 2*2 + 4*3 + 5*4 = 37;  Y[0,1] = 2 + 6 + 15 + 24 = 47;  Y[1,0] = 67;  Y[1,1] = 77; plus b = 1
    CHECK(conv2d(x, W, Tensor::from({1}, {1})).values() == std::vector<float>{38, 48, 68, 78});
    // padding 1, stride 2: out = floor((3 + 2 - 2) / 2) + 1 = 2; the windows start at rows/cols -1 and 1:
    //   (0,0) sees only x[0,0] under W[1,1]: 1*4 = 4       (0,1) sees x[0,1], x[0,2] under W[1,0], W[1,1]: 6 + 12 = 18
    //   (1,0) sees x[1,0], x[2,0] under W[0,1], W[1,1]: 8 + 28 = 36    (1,1) = 5 + 12 + 24 + 36 = 77
    CHECK(conv2d(x, W, {}, 2, 1).values() == std::vector<float>{4, 18, 36, 77});
    // dilation 2: the 2x2 filter's taps are 2 apart, so it spans the 3x3 input once: 1*1 + 3*2 + 7*3 + 9*4 = 64
    CHECK(conv2d(x, W, {}, 1, 0, 2).values() == std::vector<float>{64});
    // empty params mean stride 1, padding 0, dilation 1
    CHECK(conv(x, W, {}, ConvParams{}).values() == std::vector<float>{37, 47, 67, 77});
    CHECK(conv(x, W, {}, ConvParams{{2, 2}, {}, {}}).values() == std::vector<float>{37});
}

TEST_CASE("conv: the lecture's 1D, 2D and 3D shapes" * doctest::test_suite("core.conv")) {
    // 14-sample signal (an ECG), 16 filters of size 5 -> 10 x 16
    CHECK(conv1d(random_tensor({1, 1, 14}, 1), random_tensor({16, 1, 5}, 2)).shape() == Shape{1, 16, 10});
    // 14 x 14 image, 16 filters 5 x 5 -> 10 x 10 x 16
    CHECK(conv2d(random_tensor({1, 1, 14, 14}, 3), random_tensor({16, 1, 5, 5}, 4)).shape() == Shape{1, 16, 10, 10});
    // 14 x 14 x 14 x 1 volume (a CT scan), 16 filters 5 x 5 x 5 -> 10 x 10 x 10 x 16
    CHECK(conv3d(random_tensor({1, 1, 14, 14, 14}, 5), random_tensor({16, 1, 5, 5, 5}, 6)).shape() ==
          Shape{1, 16, 10, 10, 10});
    // The quiz: 32^3 x 16 with 32 filters 3^3 -> 30^3 x 32; 64^3 x 3 with 16 filters 4^3, stride 2 -> 31^3 x 16
    CHECK(conv_output_shape({1, 16, 32, 32, 32}, {32, 16, 3, 3, 3}, ConvParams::same_for(3)) ==
          Shape{1, 32, 30, 30, 30});
    CHECK(conv_output_shape({1, 3, 64, 64, 64}, {16, 3, 4, 4, 4}, ConvParams::same_for(3, 2)) ==
          Shape{1, 16, 31, 31, 31});
    // and a real forward of the same kind at a small size: floor((10 - 4) / 2) + 1 = 4
    const Tensor y = conv3d(random_tensor({1, 3, 10, 10, 10}, 7), random_tensor({16, 3, 4, 4, 4}, 8), {}, 2);
    CHECK(y.shape() == Shape{1, 16, 4, 4, 4});
    CHECK(y.shape() == conv_output_shape({1, 3, 10, 10, 10}, {16, 3, 4, 4, 4}, ConvParams::same_for(3, 2)));
}

using convlab::testing::ConvCase;

// Odd shapes in 1D, 2D and 3D with stride, padding and dilation, uneven across dims, and the 1x1 shortcut.
static const std::vector<ConvCase> odd_cases = {
    {{2, 3, 17}, {5, 3, 4}, ConvParams::same_for(1, 2, 3, 1)},
    {{3, 2, 13}, {4, 2, 3}, ConvParams::same_for(1, 1, 2, 3)},
    {{2, 3, 11, 7}, {5, 3, 3, 2}, ConvParams{{2, 1}, {1, 0}, {1, 2}}},
    {{1, 4, 9, 10}, {3, 4, 4, 5}, ConvParams{{3, 2}, {2, 3}, {2, 1}}},
    {{2, 5, 6, 7}, {3, 5, 1, 1}, ConvParams::same_for(2)},  // 1x1, stride 1, no padding: no im2col
    {{2, 5, 6, 7}, {3, 5, 1, 1}, ConvParams::same_for(2, 2, 1)},
    {{2, 2, 5, 6, 7}, {3, 2, 2, 3, 2}, ConvParams{{1, 2, 3}, {1, 0, 2}, {2, 1, 1}}},
    {{1, 3, 4, 5, 3}, {2, 3, 3, 3, 3}, ConvParams::same_for(3, 1, 1)},
    {{2, 3, 11, 9}, {12, 3, 3, 3}, ConvParams::same_for(2, 1, 1)},  // 12 filters: the grid's 16-column tile
    // Large enough that ops/conv.cpp takes the columns in two blocks (K = 144, 135 and 160 rows, L = 1600,
    // 1728 and 1300 filter positions), cut in the middle of a row of positions
    {{2, 16, 40, 40}, {3, 16, 3, 3}, ConvParams::same_for(2, 1, 1)},
    {{1, 5, 14, 14, 14}, {2, 5, 3, 3, 3}, ConvParams::same_for(3)},
    {{1, 32, 1300}, {3, 32, 5}, ConvParams::same_for(1, 1, 2)},
    // 3D on the grid: two blocks in each output layer (K = 108, 1678 points from a layer's first to its last
    // position)
    {{1, 4, 3, 40, 40}, {3, 4, 3, 3, 3}, ConvParams::same_for(3, 1, 1)},
};

TEST_CASE("im2col and col2im: fast and naive give the same bits" * doctest::test_suite("core.im2col")) {
    for (const ConvCase& c : odd_cases) {
        CAPTURE(shape_str(c.x));
        const ConvGeometry g = conv_geometry_for(c.x, c.W, c.p);
        const int64_t K = g.col_rows(), L = g.out_numel();
        const Tensor x = random_tensor({g.n_C, g.in_numel()}, 11);
        const Tensor cols = random_tensor({K, L}, 12);
        std::vector<float> naive(K * L), back_naive(x.numel());
        im2col_naive(x.data(), g, naive.data());
        col2im_naive(cols.data(), g, back_naive.data());
        // all the columns at once: the naive's bits, for im2col and for col2im added onto zeros
        std::vector<float> fast(K * L), back_fast(x.numel(), 0.0f);
        im2col_columns(x.data(), g, 0, L, fast.data());
        col2im_add_columns(cols.data(), g, 0, L, back_fast.data());
        CHECK(fast == naive);
        CHECK(back_fast == back_naive);
        // blocks of 3 columns (cutting through rows of filter positions): each block is those columns of
        // the naive's cols, and the blocks added up one after the other give col2im (summed in another order)
        std::vector<float> block(K * 3), sum(x.numel(), 1.0f);
        for (int64_t l0 = 0; l0 < L; l0 += 3) {
            const int64_t l1 = std::min(L, l0 + 3);
            CAPTURE(l0);
            im2col_columns(x.data(), g, l0, l1, block.data());
            std::vector<float> wanted, got;
            for (int64_t r = 0; r < K; ++r)
                for (int64_t l = l0; l < l1; ++l) {
                    wanted.push_back(naive[r * L + l]);
                    got.push_back(block[r * (l1 - l0) + (l - l0)]);
                }
            CHECK(got == wanted);
            for (int64_t r = 0; r < K; ++r)
                for (int64_t l = l0; l < l1; ++l) block[r * (l1 - l0) + (l - l0)] = cols.data()[r * L + l];
            col2im_add_columns(block.data(), g, l0, l1, sum.data());  // onto 1: it adds, it does not overwrite
        }
        for (float& v : sum) v -= 1.0f;
        CHECK(max_relative_error(sum, back_naive) <= 1e-5);
    }
}

TEST_CASE("im2col: a hand-checked 1D example with padding and stride" * doctest::test_suite("core.conv")) {
    // x = [1 2 3 4 5], f = 3, s = 2, p = 1: windows start at -1, 1, 3 -> columns [0 1 2], [2 3 4], [4 5 0]
    const ConvGeometry g = conv_geometry("test", 1, {5}, {3}, {2}, {1}, {1});
    const std::vector<float> x{1, 2, 3, 4, 5};
    std::vector<float> cols(9);
    im2col_columns(x.data(), g, 0, 3, cols.data());
    // rows are taps u = 0, 1, 2; columns are the 3 positions
    CHECK(cols == std::vector<float>{0, 2, 4, 1, 3, 5, 2, 4, 0});
    // the last two columns alone
    std::vector<float> last(6);
    im2col_columns(x.data(), g, 1, 3, last.data());
    CHECK(last == std::vector<float>{2, 4, 3, 5, 4, 0});
    // col2im of all ones counts how many windows read each input value: 1, 2, 1, 2, 1
    std::vector<float> ones(9, 1.0f), counts(5, 0.0f);
    col2im_add_columns(ones.data(), g, 0, 3, counts.data());
    CHECK(counts == std::vector<float>{1, 2, 1, 2, 1});
    // and the first column alone adds onto them what window 0 read: x[0] and x[1] (its tap 0 is padding)
    col2im_add_columns(ones.data(), g, 0, 1, counts.data());
    CHECK(counts == std::vector<float>{2, 3, 1, 2, 1});
}

// The 1D example above through the naive kernels, by hand: x = [1 2 3 4 5], f = 3, s = 2, p = 1, so the windows
// read [0 1 2], [2 3 4], [4 5 0] (0: padding).
TEST_CASE("im2col naive: the hand-checked 1D example" * doctest::test_suite("core.im2col")) {
    const ConvGeometry g = conv_geometry("test", 1, {5}, {3}, {2}, {1}, {1});
    const std::vector<float> x{1, 2, 3, 4, 5};
    std::vector<float> cols(9);
    im2col_naive(x.data(), g, cols.data());
    const std::vector<float> cols_by_hand{0, 2, 4, 1, 3, 5, 2, 4, 0};
    CHECK_MESSAGE(cols == cols_by_hand, "one row per tap u, one column per window: row u holds x[s i + u - p], 0 in the padding");
    std::vector<float> ones(9, 1.0f), counts(5, -7.0f);
    col2im_naive(ones.data(), g, counts.data());
    const std::vector<float> counts_by_hand{1, 2, 1, 2, 1};
    CHECK_MESSAGE(counts == counts_by_hand, "col2im adds each column value back onto the input it was read from, "
                                            "starting from 0: here how many windows read each input");
}

TEST_CASE("conv naive: forward by hand" * doctest::test_suite("core.conv_forward_naive")) {
    // W = [1 2 3], b = 10: y_i = b + sum_u W_u x[2 i + u - 1] = 10 + (0 + 2 + 6), 10 + (2 + 6 + 12), 10 + (4 + 10 + 0)
    const Tensor x = Tensor::from({1, 1, 5}, {1, 2, 3, 4, 5}), W = Tensor::from({1, 1, 3}, {1, 2, 3});
    const std::vector<float> y_by_hand{18, 30, 24};
    CHECK_MESSAGE(conv_forward_naive(x, W, Tensor::from({1}, {10}), ConvParams::same_for(1, 2, 1)).values() == y_by_hand,
                  "Y[o, i] = b[o] + sum_c sum_u W[o, c, u] x[c, s i + d u - p], padding reads 0");
}

TEST_CASE("conv naive: both backwards by hand" * doctest::test_suite("core.conv_backward_naive")) {
    const Tensor x = Tensor::from({1, 1, 5}, {1, 2, 3, 4, 5}), W = Tensor::from({1, 1, 3}, {1, 2, 3});
    const ConvParams p = ConvParams::same_for(1, 2, 1);
    // dY = [1 2 3]: dx_j = sum of dY_i W_u over the (i, u) that read x_j: 1*2, 1*3 + 2*1, 2*2, 2*3 + 3*1, 3*2
    const Tensor dY = Tensor::from({1, 1, 3}, {1, 2, 3});
    const std::vector<float> dx_by_hand{2, 5, 4, 9, 6};
    CHECK_MESSAGE(conv_backward_input_naive(dY, W, {1, 1, 5}, p).values() == dx_by_hand,
                  "dx[j] = sum over the windows i and taps u that read x[j] of dY[i] W[u]");
    // dW_u = sum_i dY_i x[2 i + u - 1]: 0 + 2*2 + 3*4, 1*1 + 2*3 + 3*5, 1*2 + 2*4 + 0
    const std::vector<float> dW_by_hand{16, 22, 10};
    CHECK_MESSAGE(conv_backward_weight_naive(dY, x, {1, 1, 3}, p).values() == dW_by_hand,
                  "dW[u] = sum over the windows i of dY[i] x[s i + d u - p]");
}

TEST_CASE("conv: fast forward matches the naive one on odd shapes" * doctest::test_suite("core.conv_forward_naive")) {
    for (const ConvCase& c : odd_cases) convlab::testing::check_forward_matches_naive(c);
}

TEST_CASE("conv: fast backwards match the naive ones on odd shapes" * doctest::test_suite("core.conv_backward_naive")) {
    for (const ConvCase& c : odd_cases) convlab::testing::check_backwards_match_naive(c);
}

TEST_CASE("conv: gradients wrt x, W and b match central differences" * doctest::test_suite("core.conv")) {
    const std::vector<ConvCase> cases = {
        {{2, 2, 9}, {3, 2, 3}, ConvParams::same_for(1, 2, 1, 2)},
        {{2, 2, 7, 6}, {3, 2, 3, 2}, ConvParams{{2, 1}, {1, 1}, {1, 2}}},
        {{1, 2, 5, 4, 5}, {2, 2, 2, 3, 2}, ConvParams{{2, 1, 1}, {1, 1, 0}, {1, 1, 2}}},
    };
    for (const ConvCase& c : cases) {
        CAPTURE(shape_str(c.x));
        const ConvParams p = c.p;
        check_gradient([p](const Inputs& in) { return weighted_sum(conv(in[0], in[1], in[2], p)); },
                       {random_tensor(c.x, 31), random_tensor(c.W, 32), random_tensor({c.W[0]}, 33)});
    }
    // no bias, and an input that is a non-contiguous view (channels-last data permuted to channels-first)
    check_gradient([](const Inputs& in) { return weighted_sum(conv2d(in[0].permute({0, 3, 1, 2}), in[1], {}, 1, 1)); },
                   {random_tensor({2, 5, 4, 3}, 34), random_tensor({2, 3, 3, 3}, 35)});
}

TEST_CASE("conv: same bits for 1 and 2 threads, forward and both backwards" * doctest::test_suite("core.conv")) {
    // one block of columns per sample; two blocks per sample (see odd_cases); a 1D batch of many samples;
    // a single padded sample (the threads share its padded copy); a strided one (im2col, not the grid);
    // 3D on the grid, a block per output layer (the figure's first layer, smaller; and with padding)
    const std::vector<ConvCase> cases = {
        {{2, 1, 12, 10, 9}, {16, 1, 5, 5, 5}, ConvParams::same_for(3)},
        {{1, 2, 6, 7, 8}, {3, 2, 3, 3, 3}, ConvParams::same_for(3, 1, 1)},
        {{3, 3, 20, 23}, {8, 3, 3, 3}, ConvParams::same_for(2, 1, 1)},
        {{1, 3, 9, 11}, {4, 3, 3, 3}, ConvParams::same_for(2, 1, 1)},
        {{2, 3, 9, 11}, {4, 3, 3, 3}, ConvParams::same_for(2, 2, 1)},
        {{2, 16, 40, 40}, {3, 16, 3, 3}, ConvParams::same_for(2, 1, 1)},
        {{40, 2, 30}, {5, 2, 3}, ConvParams::same_for(1)},
    };
    for (const ConvCase& c : cases) {
        CAPTURE(shape_str(c.x));
        convlab::testing::check_same_bits_for_1_and_2_threads([&] { return convlab::testing::conv_passes(c); });
    }
}

TEST_CASE("conv: bad input throws an Error naming the op and the shapes" * doctest::test_suite("core.conv")) {
    const Tensor x = random_tensor({1, 3, 4, 4}, 51);
    // channel mismatch
    std::string msg = error_of([&] { conv2d(x, random_tensor({2, 4, 3, 3}, 52)); });
    CHECK(msg.find("conv2d") != std::string::npos);
    CHECK(msg.find("(1, 3, 4, 4)") != std::string::npos);
    CHECK(msg.find("(2, 4, 3, 3)") != std::string::npos);
    // filter larger than the padded input: 5 > 4 + 2*0, but fits with padding 1
    msg = error_of([&] { conv2d(x, random_tensor({2, 3, 5, 5}, 53)); });
    CHECK(msg.find("larger than the padded input") != std::string::npos);
    CHECK(msg.find("(2, 3, 5, 5)") != std::string::npos);
    CHECK(conv2d(x, random_tensor({2, 3, 5, 5}, 53), {}, 1, 1).shape() == Shape{1, 2, 2, 2});
    // wrong number of dims, bias of the wrong size, params of the wrong length, a stride of 0
    CHECK(error_of([&] { conv2d(random_tensor({3, 4, 4}, 54), random_tensor({2, 3, 3, 3}, 52)); }).find("conv2d") !=
          std::string::npos);
    CHECK(error_of([&] { conv3d(x, random_tensor({2, 3, 3, 3}, 52)); }).find("conv3d") != std::string::npos);
    CHECK(error_of([&] { conv2d(x, random_tensor({2, 3, 3, 3}, 52), Tensor::zeros({3})); }).find("bias") !=
          std::string::npos);
    CHECK_THROWS_AS(conv(x, random_tensor({2, 3, 3, 3}, 52), {}, ConvParams::same_for(1)), Error);
    CHECK_THROWS_AS(conv2d(x, random_tensor({2, 3, 3, 3}, 52), {}, 0), Error);
    // a dY of the wrong shape in a backward kernel
    CHECK_THROWS_AS(conv_backward_input(Tensor::zeros({1, 2, 3, 3}), random_tensor({2, 3, 3, 3}, 52), x.shape(),
                                        ConvParams::same_for(2)),
                    Error);
}

TEST_CASE("reflect_pad: mirrors without repeating the edge" * doctest::test_suite("core.conv")) {
    CHECK(reflect_pad(Tensor::from({4}, {1, 2, 3, 4}), {2, 2}).values() == std::vector<float>{3, 2, 1, 2, 3, 4, 3, 2});
    // [[1 2 3]     rows -1, 0, 1, 2 mirror to 1, 0, 1, 0; columns -1 .. 3 to 1, 0, 1, 2, 1
    //  [4 5 6]]
    const Tensor y = reflect_pad(Tensor::from({1, 1, 2, 3}, {1, 2, 3, 4, 5, 6}), {1, 1, 1, 1});
    CHECK(y.shape() == Shape{1, 1, 4, 5});
    CHECK(y.values() == std::vector<float>{5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2});
    // only the last dim, and uneven before/after
    CHECK(reflect_pad(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}), {0, 2}).values() ==
          std::vector<float>{1, 2, 3, 2, 1, 4, 5, 6, 5, 4});
    // backward: [c b a b c d c b] holds b and c three times each
    Tensor x = Tensor::from({4}, {1, 2, 3, 4}).requires_grad_();
    sum(reflect_pad(x, {2, 2})).backward();
    CHECK(x.grad().values() == std::vector<float>{1, 3, 3, 1});
    CHECK_THROWS_AS(reflect_pad(Tensor::from({1, 1, 2, 3}, {1, 2, 3, 4, 5, 6}), {2, 2, 0, 0}), Error);  // 2 >= n_H
    CHECK_THROWS_AS(reflect_pad(Tensor::from({4}, {1, 2, 3, 4}), {1}), Error);
    CHECK_THROWS_AS(reflect_pad(Tensor::from({4}, {1, 2, 3, 4}), {1, 1, 1, 1}), Error);
}

TEST_CASE("reflect_pad: gradients match central differences" * doctest::test_suite("core.conv")) {
    check_gradient([](const Tensor& x) { return weighted_sum(reflect_pad(x, {2, 1})); }, random_tensor({2, 2, 4}, 61));
    check_gradient([](const Tensor& x) { return weighted_sum(reflect_pad(x, {1, 2, 2, 1})); },
                   random_tensor({1, 2, 3, 4}, 62));
    check_gradient([](const Tensor& x) { return weighted_sum(reflect_pad(x, {1, 1, 0, 1, 2, 2})); },
                   random_tensor({1, 1, 3, 2, 3}, 63));
}

TEST_CASE("conv: an empty batch gives empty outputs and zero weight gradients" * doctest::test_suite("core.conv")) {
    // the grid (2D), im2col (strided) and Winograd (3x3x3, 16 -> 32 channels at 8^3: forward and weight
    // gradient, checked below) paths
    const std::vector<ConvCase> cases = {
        {{0, 3, 6, 6}, {4, 3, 3, 3}, ConvParams::same_for(2, 1, 1)},
        {{0, 3, 6, 6}, {4, 3, 3, 3}, ConvParams::same_for(2, 2, 1)},
        {{0, 16, 8, 8, 8}, {32, 16, 3, 3, 3}, ConvParams::same_for(3, 1, 1)},
    };
    const ConvGeometry volume = conv_geometry("test", 16, {8, 8, 8}, {3, 3, 3}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1});
    REQUIRE(winograd_pays(volume, 0, 32, false));
    REQUIRE(winograd_pays(volume, 0, 32, true));
    for (const ConvCase& c : cases) {
        CAPTURE(shape_str(c.W));
        const Tensor x = Tensor::zeros(c.x), W = random_tensor(c.W, 61);
        const Tensor dY = Tensor::zeros(conv_output_shape(c.x, c.W, c.p));
        CHECK(conv_forward(x, W, {}, c.p).numel() == 0);
        CHECK(conv_backward_input(dY, W, c.x, c.p).numel() == 0);
        const std::vector<float> dW = conv_backward_weight(dY, x, c.W, c.p).values();
        CHECK(dW == std::vector<float>(dW.size(), 0.0f));
        CHECK(dW.size() == size_t(shape_numel(c.W)));
    }
}
