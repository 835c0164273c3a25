// tests/core/test_conv_groups.cpp: grouped and depthwise convolution (ConvParams::groups): hand-computed
// values; the naive definition against plain convolutions of each group's channels; fast against naive on odd
// shapes (groups 1, 2, 3, depthwise with channel multiplier 1 and 2, stride, padding, dilation, 1D/2D/3D, one
// sample and a batch); gradients against central differences; the same bits for 1 and 2 threads; bad input.
#include <string>

#include "ops/conv.hpp"
#include "ops/shape_ops.hpp"
#include "tests/core/conv_cases.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::ConvCase;
using convlab::testing::error_of;
using convlab::testing::random_tensor;
using convlab::testing::weighted_sum;

namespace {

ConvParams with_groups(ConvParams p, int64_t groups) {
    p.groups = groups;
    return p;
}

// x: (N, C_in, *n); W: (C_out, C_in/G, *f).
const std::vector<ConvCase> group_cases = {
    {{2, 4, 11}, {6, 2, 3}, with_groups(ConvParams::same_for(1, 2, 1, 1), 2)},
    {{1, 6, 13}, {3, 2, 4}, with_groups(ConvParams::same_for(1, 1, 3, 2), 3)},
    {{3, 5, 9}, {10, 1, 3}, with_groups(ConvParams::same_for(1, 1, 1), 5)},             // depthwise, m = 2
    {{2, 6, 9, 7}, {9, 2, 3, 2}, with_groups(ConvParams{{2, 1}, {1, 0}, {1, 2}}, 3)},
    {{1, 4, 10, 9}, {4, 2, 3, 3}, with_groups(ConvParams::same_for(2, 1, 1), 2)},
    {{2, 3, 9, 11}, {3, 1, 3, 3}, with_groups(ConvParams::same_for(2, 1, 1), 3)},       // depthwise, m = 1
    {{1, 5, 12, 13}, {5, 1, 3, 3}, with_groups(ConvParams::same_for(2, 2, 1), 5)},      // MobileNet's stride 2
    {{2, 3, 8, 9}, {6, 1, 3, 3}, with_groups(ConvParams::same_for(2, 2, 1), 3)},        // depthwise, m = 2
    {{1, 4, 7, 8}, {8, 1, 3, 3}, with_groups(ConvParams::same_for(2, 1, 2, 2), 4)},     // dilation 2
    {{2, 4, 6, 7}, {4, 1, 5, 3}, with_groups(ConvParams{{1, 2}, {2, 0}, {1, 1}}, 4)},
    {{1, 2, 12, 12}, {2, 2, 1, 1}, ConvParams::same_for(2)},                            // groups 1: unchanged
    {{2, 6, 5, 6, 5}, {4, 3, 3, 2, 3}, with_groups(ConvParams{{1, 2, 1}, {1, 0, 1}, {1, 1, 2}}, 2)},
    {{1, 3, 5, 6, 7}, {6, 1, 3, 3, 3}, with_groups(ConvParams::same_for(3, 1, 1), 3)},  // 3D depthwise, m = 2
    {{2, 16, 10, 10}, {32, 4, 3, 3}, with_groups(ConvParams::same_for(2, 1, 1), 4)},    // 4 -> 8 per group
};

// The same convolution, group by group, with groups = 1: Y[:, group q] = conv(x[:, group q], W[group q]).
Tensor conv_by_slices(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p) {
    const int64_t G = p.groups, C = x.dim(1) / G, O = W.dim(0) / G;
    ConvParams one = p;
    one.groups = 1;
    std::vector<Tensor> parts;
    for (int64_t q = 0; q < G; ++q)
        parts.push_back(conv_forward_naive(x.slice(1, q * C, (q + 1) * C), W.slice(0, q * O, (q + 1) * O),
                                           b.defined() ? b.slice(0, q * O, (q + 1) * O) : Tensor(), one));
    return concat(parts, 1);
}

}  // namespace

TEST_CASE("conv2d groups: hand-computed depthwise and two-group examples" * doctest::test_suite("core.conv")) {
    // Two channels [[1 2] [3 4]] and [[5 6] [7 8]], each filtered on its own (groups = 2 = C_in):
    // channel 0 by [[1 0] [0 1]] (1 + 4 = 5), channel 1 by [[0 1] [1 0]] (6 + 7 = 13); plus b = (10, 20)
    const Tensor x = Tensor::from({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    const Tensor W = Tensor::from({2, 1, 2, 2}, {1, 0, 0, 1, 0, 1, 1, 0});
    CHECK(conv2d(x, W, Tensor::from({2}, {10, 20}), 1, 0, 1, 2).values() == std::vector<float>{15, 33});
    // channel multiplier 2: filters 0, 1 read channel 0, filters 2, 3 channel 1 (1x1 filters 1, -1, 2, 0.5)
    const Tensor W1 = Tensor::from({4, 1, 1, 1}, {1, -1, 2, 0.5f});
    CHECK(conv2d(x, W1, {}, 1, 0, 1, 2).values() ==
          std::vector<float>{1, 2, 3, 4, -1, -2, -3, -4, 10, 12, 14, 16, 2.5f, 3, 3.5f, 4});
    // 4 channels in 2 groups, 1x1 filters: Y0 = x0 + 2 x1 (group 0), Y1 = x2 - x3 (group 1)
    const Tensor x4 = Tensor::from({1, 4, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 9});
    CHECK(conv2d(x4, Tensor::from({2, 2, 1, 1}, {1, 2, 1, -1}), {}, 1, 0, 1, 2).values() ==
          std::vector<float>{7, 10, -2, -3});
    // and 1D with padding 1: x = [1 2 3], [4 5 6]; filters [1 1 1] and [1 0 -1]:
    //   [0+1+2, 1+2+3, 2+3+0] = [3 6 5];  [0-5, 4-6, 5-0] = [-5 -2 5]
    const Tensor y = conv1d(Tensor::from({1, 2, 3}, {1, 2, 3, 4, 5, 6}), Tensor::from({2, 1, 3}, {1, 1, 1, 1, 0, -1}),
                            {}, 1, 1, 1, 2);
    CHECK(y.values() == std::vector<float>{3, 6, 5, -5, -2, 5});
}

TEST_CASE("conv groups: the naive kernels are the plain convolution of each group" *
          doctest::test_suite("core.conv_forward_naive")) {
    for (const ConvCase& c : group_cases) {
        CAPTURE(shape_str(c.x));
        CAPTURE(shape_str(c.W));
        const Tensor x = random_tensor(c.x, 1), W = random_tensor(c.W, 2), b = random_tensor({c.W[0]}, 3);
        CHECK(conv_forward_naive(x, W, b, c.p).values() == conv_by_slices(x, W, b, c.p).values());
    }
}

TEST_CASE("conv groups: fast forward matches the naive one" * doctest::test_suite("core.conv_forward_naive")) {
    for (const ConvCase& c : group_cases) convlab::testing::check_forward_matches_naive(c);
}

TEST_CASE("conv groups: fast backwards match the naive ones" * doctest::test_suite("core.conv_backward_naive")) {
    for (const ConvCase& c : group_cases) convlab::testing::check_backwards_match_naive(c);
}

TEST_CASE("conv groups: gradients wrt x, W and b match central differences" * doctest::test_suite("core.conv")) {
    const std::vector<ConvCase> cases = {
        {{2, 4, 7}, {6, 2, 3}, with_groups(ConvParams::same_for(1, 2, 1), 2)},
        {{2, 3, 5, 6}, {6, 1, 3, 3}, with_groups(ConvParams::same_for(2, 2, 1), 3)},   // depthwise, m = 2
        {{1, 4, 5, 5}, {4, 1, 3, 3}, with_groups(ConvParams::same_for(2, 1, 2, 2), 4)},  // depthwise, dilated
        {{1, 2, 4, 3, 4}, {2, 1, 2, 2, 2}, with_groups(ConvParams::same_for(3, 1, 1), 2)},
    };
    for (const ConvCase& c : cases) {
        CAPTURE(shape_str(c.W));
        const ConvParams p = c.p;
        check_gradient([p](const std::vector<Tensor>& in) { return weighted_sum(conv(in[0], in[1], in[2], p)); },
                       {random_tensor(c.x, 11), random_tensor(c.W, 12), random_tensor({c.W[0]}, 13)});
    }
}

TEST_CASE("conv groups: same bits for 1 and 2 threads, forward and both backwards" *
          doctest::test_suite("core.conv")) {
    const std::vector<ConvCase> cases = {
        {{2, 6, 20, 23}, {12, 2, 3, 3}, with_groups(ConvParams::same_for(2, 1, 1), 3)},
        {{1, 8, 33, 30}, {8, 1, 3, 3}, with_groups(ConvParams::same_for(2, 1, 1), 8)},
        {{3, 8, 33, 30}, {16, 1, 3, 3}, with_groups(ConvParams::same_for(2, 2, 1), 8)},
        {{4, 6, 40}, {6, 2, 5}, with_groups(ConvParams::same_for(1, 1, 2), 3)},
    };
    for (const ConvCase& c : cases) {
        CAPTURE(shape_str(c.W));
        convlab::testing::check_same_bits_for_1_and_2_threads([&] { return convlab::testing::conv_passes(c); });
    }
}

TEST_CASE("conv groups: channels not divisible by groups throw an Error naming the shapes" *
          doctest::test_suite("core.conv")) {
    const Tensor x = random_tensor({1, 6, 5, 5}, 31);
    // C_in = 6 is not divisible by 4
    std::string msg = error_of([&] { conv2d(x, random_tensor({4, 1, 3, 3}, 32), {}, 1, 0, 1, 4); });
    CHECK(msg.find("conv2d of x (1, 6, 5, 5) with W (4, 1, 3, 3), groups 4") != std::string::npos);
    CHECK(msg.find("C_in = 6 channels of x are not divisible by groups = 4") != std::string::npos);
    // C_out = 4 is not divisible by 3
    msg = error_of([&] { conv2d(x, random_tensor({4, 2, 3, 3}, 33), {}, 1, 0, 1, 3); });
    CHECK(msg.find("C_out = 4 filters of W are not divisible by groups = 3") != std::string::npos);
    // W's channels times groups must be C_in: 3 groups of 2 channels, W made for 3
    msg = error_of([&] { conv2d(x, random_tensor({3, 3, 3, 3}, 34), {}, 1, 0, 1, 3); });
    CHECK(msg.find("x has 6 channels, W expects C_in = groups x W.dim(1) = 9") != std::string::npos);
    // groups 0, and a backward kernel given the filters of another grouping
    CHECK(error_of([&] { conv1d(random_tensor({1, 2, 5}, 35), random_tensor({2, 2, 3}, 36), {}, 1, 0, 1, 0); })
              .find("groups must be >= 1") != std::string::npos);
    CHECK_THROWS_AS(conv_backward_weight(Tensor::zeros({1, 6, 3, 3}), x, {6, 2, 3, 3}, with_groups(ConvParams{}, 2)),
                    Error);
    CHECK(conv_output_shape({1, 6, 5, 5}, {6, 2, 3, 3}, with_groups(ConvParams{}, 3)) == Shape{1, 6, 3, 3});
}
