// tests/chapters/test_07_content_cost.cpp: J_content = 1/(4 n_H n_W n_C) sum (a_C - a_G)^2.
#include "chapters/06_nst_cost_function/cost_terms.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

TEST_CASE("compute_content_cost: hand-computed values" * doctest::test_suite("ch07.compute_content_cost")) {
    // a_C = [[1, 2], [3, 4]] in one channel, a_G = 0: (1 + 4 + 9 + 16) / (4 * 2 * 2 * 1) = 30 / 16
    const Tensor a_C = Tensor::from({1, 2, 2}, {1, 2, 3, 4});
    CHECK_MESSAGE(compute_content_cost(a_C, Tensor::zeros({1, 2, 2})).item() == doctest::Approx(1.875),
                  "J_content = sum (a_C - a_G)^2 / (4 n_H n_W n_C): here 30 / 16");
    // two channels of one pixel, differences 1 and -3: (1 + 9) / (4 * 1 * 1 * 2) = 1.25
    CHECK_MESSAGE(compute_content_cost(Tensor::from({2, 1, 1}, {2, 0}), Tensor::from({2, 1, 1}, {1, 3})).item() ==
                      doctest::Approx(1.25),
                  "square each difference before the sum");
}

TEST_CASE("compute_content_cost: n_C, n_H, n_W all different" * doctest::test_suite("ch07.compute_content_cost")) {
    // a (n_C, n_H, n_W) = (2, 3, 4): a_C = 1 everywhere, a_G = 0 but 3 at one place:
    // (23 * 1 + (1 - 3)^2) / (4 * 3 * 4 * 2) = 27 / 96 = 0.28125
    std::vector<float> g(24, 0.0f);
    g[17] = 3.0f;
    CHECK_MESSAGE(compute_content_cost(Tensor::ones({2, 3, 4}), Tensor::from({2, 3, 4}, g)).item() ==
                      doctest::Approx(0.28125),
                  "the content cost divides by 4 n_H n_W n_C (here 4 * 3 * 4 * 2 = 96): a_G is (n_C, n_H, n_W)");
    CHECK_MESSAGE(compute_content_cost(Tensor::full({2, 3, 4}, 2.0f), Tensor::ones({2, 3, 4})).item() ==
                      doctest::Approx(0.25),
                  "24 differences of 1: 24 / 96");
}

TEST_CASE("compute_content_cost: J(A, A) = 0" * doctest::test_suite("ch07.compute_content_cost")) {
    const Tensor a = random_tensor({3, 4, 5}, 1);
    CHECK_MESSAGE(compute_content_cost(a, a).item() == 0.0f, "compute_content_cost(A, A) must be 0");
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
