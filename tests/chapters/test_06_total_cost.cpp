// tests/chapters/test_06_total_cost.cpp: J(G) = alpha J_content + beta J_style.
#include "chapters/06_nst_cost_function/total_cost.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;

TEST_CASE("total_cost: the course's example, alpha 10, beta 40" * doctest::test_suite("ch06.total_cost")) {
    // 10 * 0.2 + 40 * 0.8 = 2 + 32 = 34
    CHECK_MESSAGE(total_cost(Tensor::scalar(0.2f), Tensor::scalar(0.8f)).item() == doctest::Approx(34.0),
                  "J = alpha J_content + beta J_style, alpha = 10 and beta = 40 by default");
    // other weights: 1 * 3 + 0.5 * 4 = 5
    CHECK_MESSAGE(total_cost(Tensor::scalar(3), Tensor::scalar(4), 1.0f, 0.5f).item() == 5.0f,
                  "use the alpha and beta passed in");
}

TEST_CASE("total_cost: gradients are alpha and beta" * doctest::test_suite("ch06.total_cost")) {
    Tensor Jc = Tensor::scalar(0.2f).requires_grad_(), Js = Tensor::scalar(0.8f).requires_grad_();
    total_cost(Jc, Js).backward();
    CHECK_MESSAGE(Jc.grad().item() == 10.0f, "dJ/dJ_content = alpha: build J from the two tensors with tensor ops");
    CHECK_MESSAGE(Js.grad().item() == 40.0f, "dJ/dJ_style = beta: build J from the two tensors with tensor ops");
}

TEST_CASE("total_cost: costs that are not scalars are rejected" * doctest::test_suite("ch06.total_cost")) {
    CHECK_THROWS_WITH_AS(total_cost(Tensor::zeros({2}), Tensor::scalar(1)),
                         doctest::Contains("total_cost: expected two scalar costs, got (2,) and ()"), Error);
}
