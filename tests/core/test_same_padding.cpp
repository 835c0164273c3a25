// tests/core/test_same_padding.cpp: TensorFlow's SAME padding (ops/same_padding.hpp): hand-computed amounts,
// the padded values, the ceil(n / s) output of a VALID convolution after it, its gradient, bad input.
#include "ops/conv.hpp"
#include "ops/same_padding.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;
using convlab::testing::weighted_sum;

namespace {
bool operator==(const SamePadding& a, const SamePadding& b) { return a.before == b.before && a.after == b.after; }
}  // namespace

TEST_CASE("tf_same_padding: hand-computed amounts" * doctest::test_suite("core.same_padding")) {
    // n = 112, f = 3, s = 2: ceil(112/2) = 56 outputs need 55*2 + 3 = 113 inputs: one more, after
    CHECK(tf_same_padding(112, 3, 2) == SamePadding{0, 1});
    // n = 7, f = 3, s = 1: 6 + 3 - 7 = 2, one on each side (the lecture's p = (f - 1) / 2)
    CHECK(tf_same_padding(7, 3, 1) == SamePadding{1, 1});
    // a 1x1 filter at stride 2: 2*2 + 1 - 5 = 0
    CHECK(tf_same_padding(5, 1, 2) == SamePadding{0, 0});
    // n = 6, f = 3, s = 2: 2*2 + 3 - 6 = 1 -> (0, 1); n = 8, f = 5, s = 1: 4 -> (2, 2); f = 4, s = 1: 3 -> (1, 2)
    CHECK(tf_same_padding(6, 3, 2) == SamePadding{0, 1});
    CHECK(tf_same_padding(8, 5, 1) == SamePadding{2, 2});
    CHECK(tf_same_padding(8, 4, 1) == SamePadding{1, 2});
    // a stride larger than the filter never pads a negative amount: n = 7, f = 1, s = 3 -> 2*3 + 1 - 7 = 0
    CHECK(tf_same_padding(7, 1, 3) == SamePadding{0, 0});
    CHECK_THROWS_AS(tf_same_padding(7, 3, 0), Error);
}

TEST_CASE("pad_same2d: zeros after, then a VALID conv gives ceil(n / s)" * doctest::test_suite("core.same_padding")) {
    // 3 x 2 image, 3x3 filter, stride 2: H: 2 outputs, 1*2 + 3 - 3 = 2 -> (1, 1); W: 1 output, 3 - 2 = 1 -> (0, 1)
    const Tensor x = Tensor::from({1, 1, 3, 2}, {1, 2, 3, 4, 5, 6});
    const Tensor y = pad_same2d(x, 3, 3, 2);
    CHECK(y.shape() == Shape{1, 1, 5, 3});
    CHECK(y.values() == std::vector<float>{0, 0, 0, 1, 2, 0, 3, 4, 0, 5, 6, 0, 0, 0, 0});
    // MobileNet's stride-2 depthwise layer on 112 x 112: 56 x 56
    const Tensor big = random_tensor({1, 2, 112, 112}, 1);
    CHECK(conv2d(pad_same2d(big, 3, 3, 2), random_tensor({2, 1, 3, 3}, 2), {}, 2, 0, 1, 2).shape() ==
          Shape{1, 2, 56, 56});
    CHECK(conv2d(pad_same2d(random_tensor({1, 1, 7, 5}, 3), 3, 3, 1), random_tensor({1, 1, 3, 3}, 4)).shape() ==
          Shape{1, 1, 7, 5});
    CHECK_THROWS_AS(pad_same2d(Tensor::zeros({1, 3, 3}), 3, 3, 1), Error);
}

TEST_CASE("pad_same2d: gradient matches central differences" * doctest::test_suite("core.same_padding")) {
    check_gradient([](const Tensor& x) { return weighted_sum(pad_same2d(x, 3, 2, 2)); }, random_tensor({1, 2, 4, 5}, 5));
}
