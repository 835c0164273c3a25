// tests/core/test_norm.cpp: batch norm (training and test time, running statistics, gradients) and dropout.
#include <cmath>

#include "ops/norm.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;
using convlab::testing::weighted_sum;

using Inputs = std::vector<Tensor>;


TEST_CASE("batch_norm: hand-computed training step and running statistics" * doctest::test_suite("core.norm")) {
    // one channel holding 1, 2, 3, 4: mu = 2.5, sigma^2 = (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
    const Tensor x = Tensor::from({4, 1}, {1, 2, 3, 4});
    Tensor running_mean = Tensor::zeros({1}), running_var = Tensor::ones({1});
    const Tensor y = batch_norm(x, Tensor::from({1}, {2}), Tensor::from({1}, {1}), running_mean, running_var, true);
    const double s = std::sqrt(1.25 + 1e-5);
    const std::vector<float> v = y.values();
    CHECK(v[0] == doctest::Approx(2 * (-1.5 / s) + 1).epsilon(1e-6));
    CHECK(v[1] == doctest::Approx(2 * (-0.5 / s) + 1).epsilon(1e-6));
    CHECK(v[3] == doctest::Approx(2 * (1.5 / s) + 1).epsilon(1e-6));
    // running_mean = 0.9 * 0 + 0.1 * 2.5;  running_var = 0.9 * 1 + 0.1 * 1.25 * 4/3 (unbiased)
    CHECK(running_mean.item() == doctest::Approx(0.25).epsilon(1e-6));
    CHECK(running_var.item() == doctest::Approx(0.9 + 0.1 * 1.25 * 4.0 / 3.0).epsilon(1e-6));
    // undefined running statistics start at 0 and 1
    Tensor rm, rv;
    batch_norm(x, Tensor::ones({1}), Tensor::zeros({1}), rm, rv, true, 0.5f);
    CHECK(rm.item() == doctest::Approx(1.25).epsilon(1e-6));
}

TEST_CASE("batch_norm: test time uses the running statistics" * doctest::test_suite("core.norm")) {
    // channel 0: mean 1, var 4 -> (x - 1) / 2;  channel 1: mean -1, var 0.25 -> (x + 1) / 0.5, then * 3 - 1
    const Tensor x = Tensor::from({1, 2, 2}, {3, 5, 0, 1});
    Tensor running_mean = Tensor::from({2}, {1, -1}), running_var = Tensor::from({2}, {4, 0.25f});
    const Tensor y = batch_norm(x, Tensor::from({2}, {1, 3}), Tensor::from({2}, {0, -1}), running_mean, running_var,
                                false, 0.1f, 1e-12f);
    const std::vector<float> v = y.values();
    CHECK(v[0] == doctest::Approx(1.0));
    CHECK(v[1] == doctest::Approx(2.0));
    CHECK(v[2] == doctest::Approx(3 * 2.0 - 1));
    CHECK(v[3] == doctest::Approx(3 * 4.0 - 1));
    CHECK(running_mean.values() == std::vector<float>{1, -1});  // untouched
}

TEST_CASE("batch_norm: each channel of (N, C, H, W) comes out with mean 0 and variance 1" *
          doctest::test_suite("core.norm")) {
    const Tensor x = random_tensor({5, 3, 4, 6}, 1, -3.0f, 7.0f);
    Tensor rm, rv;
    const Tensor y = batch_norm(x, Tensor::ones({3}), Tensor::zeros({3}), rm, rv, true);
    const std::vector<float> mu = mean(y, {0, 2, 3}).values(), var = mean(square(y), {0, 2, 3}).values();
    for (int c = 0; c < 3; ++c) {
        CHECK(std::fabs(mu[c]) < 1e-5);
        CHECK(var[c] == doctest::Approx(1.0).epsilon(1e-4));
    }
}

TEST_CASE("batch_norm: gradients wrt x, gamma and beta match central differences" * doctest::test_suite("core.norm")) {
    const auto train = [](const Inputs& in) {
        Tensor rm, rv;
        return weighted_sum(batch_norm(in[0], in[1], in[2], rm, rv, true));
    };
    check_gradient(train, {random_tensor({3, 2, 2, 3}, 2), random_tensor({2}, 3, 0.5f, 1.5f), random_tensor({2}, 4)});
    check_gradient(train, {random_tensor({6, 3}, 5), random_tensor({3}, 6, 0.5f, 1.5f), random_tensor({3}, 7)});
    check_gradient(train,
                   {random_tensor({2, 2, 3, 2, 2}, 8), random_tensor({2}, 9, 0.5f, 1.5f), random_tensor({2}, 10)});
    const auto test_time = [](const Inputs& in) {
        Tensor rm = Tensor::from({2}, {0.3f, -0.2f}), rv = Tensor::from({2}, {0.5f, 2.0f});
        return weighted_sum(batch_norm(in[0], in[1], in[2], rm, rv, false));
    };
    check_gradient(test_time,
                   {random_tensor({3, 2, 4}, 11), random_tensor({2}, 12, 0.5f, 1.5f), random_tensor({2}, 13)});
}

TEST_CASE("batch_norm: bad input throws an Error" * doctest::test_suite("core.norm")) {
    const Tensor x = random_tensor({4, 3, 2}, 14);
    Tensor rm, rv;
    CHECK_THROWS_AS(batch_norm(x, Tensor::ones({2}), Tensor::zeros({3}), rm, rv, true), Error);      // gamma (2,)
    CHECK_THROWS_AS(batch_norm(random_tensor({1, 3}, 15), Tensor::ones({3}), Tensor::zeros({3}), rm, rv, true),
                    Error);                                                                            // m = 1
    Tensor none_mean, none_var;
    CHECK_THROWS_AS(batch_norm(x, Tensor::ones({3}), Tensor::zeros({3}), none_mean, none_var, false), Error);
    Tensor bad_var = Tensor::full({3}, -1.0f), ok_mean = Tensor::zeros({3});
    CHECK_THROWS_AS(batch_norm(x, Tensor::ones({3}), Tensor::zeros({3}), ok_mean, bad_var, false), Error);
    CHECK_THROWS_AS(batch_norm(random_tensor({4}, 16), Tensor::ones({4}), Tensor::zeros({4}), rm, rv, true), Error);
}

TEST_CASE("dropout: identity at test time, keeps the mean and drops about p in training" *
          doctest::test_suite("core.norm")) {
    Rng rng(7);
    const Tensor x = random_tensor({3, 4}, 17);
    CHECK(dropout(x, 0.5f, false, rng).values() == x.values());
    CHECK(dropout(x, 0.0f, true, rng).values() == x.values());

    // 100000 ones with p = 0.3: the zero fraction has standard deviation sqrt(0.3 * 0.7 / 1e5) = 0.0014 and the
    // mean sqrt(0.3 / 0.7 / 1e5) = 0.0021; the bounds are about 5 of those.
    const float p = 0.3f;
    const Tensor ones = Tensor::ones({100, 1000});
    const std::vector<float> y = dropout(ones, p, true, rng).values();
    int64_t zeros = 0, not_scaled = 0;
    double total = 0.0;
    for (float v : y) {
        zeros += v == 0.0f;
        not_scaled += v != 0.0f && v != 1.0f / (1.0f - p);  // kept values are scaled by 1 / keep_prob
        total += v;
    }
    CHECK(not_scaled == 0);
    CHECK(std::fabs(double(zeros) / y.size() - p) < 0.007);
    CHECK(std::fabs(total / y.size() - 1.0) < 0.01);

    // the same seed draws the same mask; the gradient is the mask
    Rng a(3), b(3);
    Tensor z = random_tensor({5, 7}, 18).requires_grad_();
    const Tensor out = dropout(z, 0.5f, true, a);
    sum(out).backward();
    CHECK(dropout(z.detach(), 0.5f, true, b).values() == out.values());
    const std::vector<float> g = z.grad().values(), ov = out.values();
    for (size_t i = 0; i < g.size(); ++i) CHECK(g[i] == (ov[i] == 0.0f ? 0.0f : 2.0f));
    CHECK_THROWS_AS(dropout(x, 1.0f, true, rng), Error);
    CHECK_THROWS_AS(dropout(x, -0.1f, true, rng), Error);
}
