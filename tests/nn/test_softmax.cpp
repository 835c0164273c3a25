// tests/nn/test_softmax.cpp: softmax and log_softmax values, stability, gradients, thread independence.
#include "ops/softmax.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;
using convlab::testing::weighted_sum;


TEST_CASE("softmax: hand-computed values, also along dim 0" * doctest::test_suite("core.softmax")) {
    // softmax(1, 2, 3) = (e, e^2, e^3) / (e + e^2 + e^3);  log softmax = x - log(e + e^2 + e^3)
    const std::vector<double> p{0.09003057317038046, 0.24472847105479767, 0.6652409557748219};
    const std::vector<double> logp{-2.40760596444438, -1.40760596444438, -0.40760596444438};
    const Tensor row = Tensor::from({1, 3}, {1, 2, 3});
    const Tensor col = Tensor::from({3, 1}, {1, 2, 3});
    for (const Tensor& y : {softmax(row, 1), softmax(col, 0), softmax(row, -1)})
        for (int k = 0; k < 3; ++k) CHECK(y.values()[k] == doctest::Approx(p[k]).epsilon(1e-6));
    for (const Tensor& y : {log_softmax(row, 1), log_softmax(col, 0)})
        for (int k = 0; k < 3; ++k) CHECK(y.values()[k] == doctest::Approx(logp[k]).epsilon(1e-6));
}

TEST_CASE("softmax: stable for large logits, rows sum to 1" * doctest::test_suite("core.softmax")) {
    // e^1000 overflows a float; the max shift makes this the same as softmax(0, 1, 2).
    const Tensor big = Tensor::from({2, 3}, {1000, 1001, 1002, -1000, -1001, -1002});
    const std::vector<float> y = softmax(big, 1).values(), logy = log_softmax(big, 1).values();
    CHECK(y[2] == doctest::Approx(0.6652409557748219).epsilon(1e-6));
    CHECK(y[3] == doctest::Approx(0.6652409557748219).epsilon(1e-6));
    CHECK(logy[0] == doctest::Approx(-2.40760596444438).epsilon(1e-6));
    CHECK(logy[5] == doctest::Approx(-2.40760596444438).epsilon(1e-6));
    const Tensor x = random_tensor({4, 5, 6}, 1, -5.0f, 5.0f);
    for (float s : sum(softmax(x, 1), {1}).values()) CHECK(s == doctest::Approx(1.0).epsilon(1e-6));
}

TEST_CASE("softmax, log_softmax: gradients match central differences on every dim" *
          doctest::test_suite("core.softmax")) {
    const Tensor x = random_tensor({2, 3, 4}, 2, -2.0f, 2.0f);
    for (int dim : {0, 1, 2, -1}) {
        check_gradient([dim](const Tensor& t) { return weighted_sum(softmax(t, dim)); }, x);
        check_gradient([dim](const Tensor& t) { return weighted_sum(log_softmax(t, dim)); }, x);
    }
}

TEST_CASE("softmax: same bits for 1 and 2 threads; errors name the op" * doctest::test_suite("core.softmax")) {
    const Tensor x = random_tensor({3000, 10}, 3, -4.0f, 4.0f);
    convlab::testing::check_same_bits_for_1_and_2_threads([&] {
        std::vector<float> all = softmax(x, 1).values();
        for (float v : log_softmax(x, 0).values()) all.push_back(v);
        return all;
    });
    CHECK_THROWS_WITH_AS(softmax(x, 2), doctest::Contains("softmax: dim 2 out of range"), Error);
    CHECK_THROWS_WITH_AS(log_softmax(Tensor::scalar(1), 0), doctest::Contains("log_softmax: expected at least 1 dim"),
                         Error);
}
