// tests/chapters/test_07_content_cost.cpp: J_content = 1/(4 n_H n_W n_C) sum (a_C - a_G)^2.
#include "chapters/06_nst_cost_function/cost_terms.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

TEST_CASE("compute_content_cost: hand-computed values" * doctest::test_suite("ch07.compute_content_cost")) {
    // a_C = [[1, 2], [3, 4]] in one channel, a_G = 0: (1 + 4 + 9 + 16) / (4 * 2 * 2 * 1) = 30 / 16
    const Tensor a_C = Tensor::from({1, 2, 2}, {1, 2, 3, 4});
    CHECK(compute_content_cost(a_C, Tensor::zeros({1, 2, 2})).item() == doctest::Approx(1.875));
    // two channels of one pixel, differences 1 and -3: (1 + 9) / (4 * 1 * 1 * 2) = 1.25
    CHECK(compute_content_cost(Tensor::from({2, 1, 1}, {2, 0}), Tensor::from({2, 1, 1}, {1, 3})).item() ==
          doctest::Approx(1.25));
}

TEST_CASE("compute_content_cost: J(A, A) = 0" * doctest::test_suite("ch07.compute_content_cost")) {
    const Tensor a = random_tensor({3, 4, 5}, 1);
    CHECK(compute_content_cost(a, a).item() == 0.0f);
}

TEST_CASE("compute_content_cost: gradient matches central differences" * doctest::test_suite("ch07.compute_content_cost")) {
    const Tensor a_C = random_tensor({3, 4, 5}, 2);
    check_gradient([&](const Tensor& a_G) { return compute_content_cost(a_C, a_G); }, random_tensor({3, 4, 5}, 3));
    // d J / d a_G = (a_G - a_C) / (2 n_H n_W n_C), checked at one element by hand
    Tensor a_G = Tensor::from({1, 1, 2}, {5, 1}).requires_grad_();
    compute_content_cost(Tensor::from({1, 1, 2}, {1, 1}), a_G).backward();
    CHECK(a_G.grad().values() == std::vector<float>{1.0f, 0.0f});  // (5 - 1) / (2 * 1 * 2 * 1) = 1
}

TEST_CASE("compute_content_cost: mismatched shapes are rejected" * doctest::test_suite("ch07.compute_content_cost")) {
    CHECK_THROWS_WITH_AS(compute_content_cost(Tensor::zeros({3, 4, 5}), Tensor::zeros({3, 4, 4})),
                         doctest::Contains("got (3, 4, 5) and (3, 4, 4)"), Error);
}
