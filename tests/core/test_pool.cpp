// tests/core/test_pool.cpp: max and average pooling in 1D, 2D and 3D, global average pooling, and nearest
// upsampling (the resampling the other way).
#include <algorithm>
#include <numeric>

#include "ops/pool.hpp"
#include "ops/upsample.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

static Tensor weighted_sum(const Tensor& y, uint64_t seed = 99) { return sum(y * random_tensor(y.shape(), seed)); }

// Distinct values 0.1 apart in a shuffled order: every max pool window has one clear winner, far from a tie
// compared with the finite-difference step.
static Tensor untied(const Shape& shape, uint64_t seed) {
    std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
    std::iota(v.begin(), v.end(), 0.0f);
    Rng rng(seed);
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<size_t>(rng.randint(int64_t(i)))]);
    for (float& x : v) x *= 0.1f;
    return Tensor::from(shape, v);
}

TEST_CASE("pool: the lecture's 4x4 example, f = 2, s = 2" * doctest::test_suite("core.pool")) {
    const Tensor x = Tensor::from({1, 1, 4, 4}, {1, 3, 2, 1,  //
                                                 2, 9, 1, 1,  //
                                                 1, 3, 2, 3,  //
                                                 5, 6, 1, 2});
    CHECK(max_pool2d(x, 2).values() == std::vector<float>{9, 2, 6, 3});
    // (1+3+2+9)/4, (2+1+1+1)/4, (1+3+5+6)/4, (2+3+1+2)/4
    CHECK(avg_pool2d(x, 2).values() == std::vector<float>{3.75f, 1.25f, 3.75f, 2.0f});
    // f = 3, s = 1: out = 4 - 3 + 1 = 2 per side
    CHECK(max_pool2d(x, 3, 1).values() == std::vector<float>{9, 9, 9, 9});
    CHECK(max_pool(x, {2, 4}, {2, 1}).values() == std::vector<float>{9, 6});
}

TEST_CASE("pool: padding is ignored by max and left out of the average" * doctest::test_suite("core.pool")) {
    // f = 2, s = 1, p = 1 over [-1 -2 -3]: windows [pad, -1], [-1, -2], [-2, -3], [-3, pad]
    CHECK(max_pool1d(Tensor::from({1, 1, 3}, {-1, -2, -3}), 2, 1, 1).values() == std::vector<float>{-1, -1, -2, -3});
    // the same windows over [1 2 3] average 1 / 1, 3 / 2, 5 / 2, 3 / 1
    CHECK(avg_pool1d(Tensor::from({1, 1, 3}, {1, 2, 3}), 2, 1, 1).values() == std::vector<float>{1, 1.5f, 2.5f, 3});
}

TEST_CASE("pool: hand-computed backward, ties to the first maximum" * doctest::test_suite("core.pool")) {
    Tensor x = Tensor::from({1, 1, 4}, {5, 5, 1, 2}).requires_grad_();
    sum(max_pool1d(x, 2) * Tensor::from({1, 1, 2}, {10, 20})).backward();
    CHECK(x.grad().values() == std::vector<float>{10, 0, 0, 20});
    Tensor z = Tensor::from({1, 1, 4}, {5, 5, 1, 2}).requires_grad_();
    sum(avg_pool1d(z, 2) * Tensor::from({1, 1, 2}, {10, 20})).backward();
    CHECK(z.grad().values() == std::vector<float>{5, 5, 10, 10});
}

TEST_CASE("pool: shapes in 1D, 2D and 3D" * doctest::test_suite("core.pool")) {
    CHECK(max_pool1d(random_tensor({2, 3, 9}, 1), 2).shape() == Shape{2, 3, 4});
    CHECK(avg_pool2d(random_tensor({2, 3, 7, 8}, 2), 3, 2, 1).shape() == Shape{2, 3, 4, 4});
    CHECK(max_pool3d(random_tensor({1, 2, 5, 6, 7}, 3), 2).shape() == Shape{1, 2, 2, 3, 3});
    CHECK(avg_pool(random_tensor({1, 2, 5, 6, 7}, 3), {1, 2, 3}, {1, 2, 2}, {0, 1, 1}).shape() == Shape{1, 2, 5, 4, 4});
}

TEST_CASE("pool: gradients match central differences" * doctest::test_suite("core.pool")) {
    check_gradient([](const Tensor& x) { return weighted_sum(max_pool1d(x, 3, 2, 1)); }, untied({2, 2, 9}, 1));
    check_gradient([](const Tensor& x) { return weighted_sum(max_pool(x, {3, 2}, {2, 1}, {1, 1})); },
                   untied({2, 2, 7, 5}, 2));
    check_gradient([](const Tensor& x) { return weighted_sum(max_pool3d(x, 2, 2, 1)); }, untied({1, 2, 5, 4, 3}, 3));
    check_gradient([](const Tensor& x) { return weighted_sum(avg_pool1d(x, 3, 2, 1)); }, random_tensor({2, 2, 9}, 4));
    check_gradient([](const Tensor& x) { return weighted_sum(avg_pool(x, {3, 2}, {2, 1}, {1, 1})); },
                   random_tensor({2, 2, 7, 5}, 5));
    check_gradient([](const Tensor& x) { return weighted_sum(avg_pool3d(x, 2, 1, 1)); },
                   random_tensor({1, 2, 3, 4, 3}, 6));
}

TEST_CASE("global_avg_pool: mean of each channel, and its gradient" * doctest::test_suite("core.pool")) {
    const Tensor x = Tensor::from({1, 2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40});
    CHECK(global_avg_pool(x).shape() == Shape{1, 2});
    CHECK(global_avg_pool(x).values() == std::vector<float>{2.5f, 25.0f});
    check_gradient([](const Tensor& t) { return weighted_sum(global_avg_pool(t)); }, random_tensor({2, 3, 4, 3, 2}, 7));
}

TEST_CASE("pool: bad input throws an Error" * doctest::test_suite("core.pool")) {
    const Tensor x = random_tensor({1, 2, 4, 4}, 8);
    CHECK_THROWS_AS(max_pool2d(x, 5), Error);                     // window larger than the input
    CHECK_THROWS_AS(max_pool2d(x, 2, 2, 2), Error);               // padding more than half the window
    CHECK_THROWS_AS(avg_pool3d(x, 2), Error);                     // 2 spatial dims, not 3
    CHECK_THROWS_AS(max_pool(x, {2}), Error);                     // one window size for two dims
    CHECK_THROWS_AS(avg_pool(x, {2, 2}, {0, 1}), Error);          // stride 0
    CHECK_THROWS_AS(global_avg_pool(random_tensor({2, 3}, 9)), Error);
    try {
        max_pool2d(x, 2, 2, 2);
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("max_pool2d of x (1, 2, 4, 4)") != std::string::npos);
    }
}

TEST_CASE("upsample_nearest: every value becomes a block" * doctest::test_suite("core.pool")) {
    CHECK(upsample_nearest(Tensor::from({1, 1, 2}, {1, 2}), 3).values() == std::vector<float>{1, 1, 1, 2, 2, 2});
    const Tensor y = upsample_nearest(Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4}), 2);
    CHECK(y.shape() == Shape{1, 1, 4, 4});
    CHECK(y.values() == std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
    CHECK(upsample_nearest(random_tensor({1, 2, 2, 3, 1}, 10), 2).shape() == Shape{1, 2, 4, 6, 2});
    // backward: each input gets the sum of its block, here 2 x 2 ones
    Tensor x = random_tensor({2, 1, 2, 3}, 11).requires_grad_();
    sum(upsample_nearest(x, 2)).backward();
    CHECK(x.grad().values() == std::vector<float>(6 * 2, 4.0f));
    CHECK_THROWS_AS(upsample_nearest(x, 0), Error);
    CHECK_THROWS_AS(upsample_nearest(random_tensor({2, 3}, 12), 2), Error);
}

TEST_CASE("upsample_nearest: gradients match central differences" * doctest::test_suite("core.pool")) {
    check_gradient([](const Tensor& x) { return weighted_sum(upsample_nearest(x, 3)); }, random_tensor({2, 2, 3}, 13));
    check_gradient([](const Tensor& x) { return weighted_sum(upsample_nearest(x, 2)); },
                   random_tensor({1, 2, 3, 2}, 14));
    check_gradient([](const Tensor& x) { return weighted_sum(upsample_nearest(x, 2)); },
                   random_tensor({1, 1, 2, 3, 2}, 15));
}

TEST_CASE("pool: fast kernels match the direct loops on odd shapes" * doctest::test_suite("core.pool_naive")) {
    struct Case {
        Shape x;
        std::vector<int64_t> f, s, p;
    };
    const std::vector<Case> cases{{{2, 3, 11}, {3}, {2}, {1}},
                                  {{1, 2, 7, 9}, {2, 3}, {2, 1}, {0, 1}},
                                  {{2, 1, 5, 6, 7}, {3, 2, 3}, {1, 2, 2}, {1, 0, 1}},
                                  {{3, 2, 9, 5}, {3, 3}, {}, {}}};
    for (const Case& c : cases) {
        CAPTURE(shape_str(c.x));
        const Tensor x = random_tensor(c.x, 31);
        CHECK(max_pool(x, c.f, c.s, c.p).values() == max_pool_naive(x, c.f, c.s, c.p).values());
        CHECK(convlab::testing::max_relative_error(avg_pool(x, c.f, c.s, c.p).values(),
                                                   avg_pool_naive(x, c.f, c.s, c.p).values()) <= 1e-6);
    }
    // the lecture's 4x4 example by the definition: max 9 2 / 6 3, as the fast kernel gives
    const Tensor a = Tensor::from({1, 1, 4, 4}, {1, 3, 2, 1, 2, 9, 1, 1, 1, 3, 2, 3, 5, 6, 1, 2});
    CHECK(max_pool_naive(a, {2, 2}).values() == std::vector<float>{9, 2, 6, 3});
    CHECK(avg_pool_naive(a, {2, 2}).values() == std::vector<float>{3.75f, 1.25f, 3.75f, 2.0f});
}

TEST_CASE("pool naive: the definition by hand, where the fast op refuses, and without autodiff" *
          doctest::test_suite("core.pool_naive")) {
    // f = 3, s = 1, p = 2 over [1 2 3]: windows [pad pad 1], [pad 1 2], [1 2 3], [2 3 pad], [3 pad pad]. Every
    // window holds an input, so the definition is well defined; the fast op refuses p > f / 2.
    const Tensor x = Tensor::from({1, 1, 3}, {1, 2, 3});
    const std::vector<float> max_by_hand{1, 2, 3, 3, 3}, mean_by_hand{1, 1.5f, 2, 2.5f, 3};
    CHECK_MESSAGE(max_pool_naive(x, {3}, {1}, {2}).values() == max_by_hand,
                  "max over the inputs each window covers; padding takes no part");
    CHECK_MESSAGE(avg_pool_naive(x, {3}, {1}, {2}).values() == mean_by_hand,
                  "the average divides by the number of inputs in the window, not by f");
    // pool.hpp: the naive kernels are forward only, no autodiff record
    Tensor w = Tensor::from({1, 1, 4}, {4, 1, 3, 2}).requires_grad_();
    const Tensor y = max_pool_naive(w, {2});
    const std::vector<float> windows_by_hand{4, 3};
    CHECK_MESSAGE(y.values() == windows_by_hand, "windows [4 1] and [3 2]");
    CHECK_MESSAGE(!y.requires_grad(), "the naive kernel loops over the windows itself: calling max_pool (the fast, "
                                      "differentiable op) does not count");
}
