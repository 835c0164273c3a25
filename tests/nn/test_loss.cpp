// tests/nn/test_loss.cpp: the losses against hand-computed values and central differences.
#include "nn/loss.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

using Inputs = std::vector<Tensor>;

TEST_CASE("mse_loss: hand-computed value and gradient" * doctest::test_suite("nn.loss")) {
    // ((1-1)^2 + (2-0)^2 + (3-5)^2) / 3 = 8/3
    const Tensor J = mse_loss(Tensor::from({3}, {1, 2, 3}), Tensor::from({3}, {1, 0, 5}));
    CHECK(J.shape() == Shape{});
    CHECK(J.item() == doctest::Approx(8.0 / 3.0));
    check_gradient([](const Inputs& t) { return mse_loss(t[0], t[1]); }, {random_tensor({2, 3}, 1), random_tensor({2, 3}, 2)});
    CHECK_THROWS_WITH_AS(mse_loss(Tensor::zeros({3}), Tensor::zeros({3, 1})),
                         doctest::Contains("mse_loss: y_hat (3,) and y (3, 1) must have the same shape"), Error);
}

TEST_CASE("bce_with_logits: hand-computed, stable at large |z|, exact slope at z = 0" *
          doctest::test_suite("nn.loss")) {
    // z = (0, 2, -3), y = (1, 0, 1):  [log 2 + (2 + log(1 + e^-2)) + (3 + log(1 + e^-3))] / 3
    const Tensor J = bce_with_logits(Tensor::from({3}, {0, 2, -3}), Tensor::from({3}, {1, 0, 1}));
    CHECK(J.item() == doctest::Approx(1.9562208477255532).epsilon(1e-6));
    // e^100 overflows a float: the stable form still gives 0 (right and sure) and 100 (sure and wrong)
    CHECK(bce_with_logits(Tensor::from({1}, {100}), Tensor::ones({1})).item() == doctest::Approx(0.0));  // e^-100
    CHECK(bce_with_logits(Tensor::from({1}, {-100}), Tensor::ones({1})).item() == doctest::Approx(100.0));
    // dJ/dz = sigmoid(z) - y = 0.5 - 1 at z = 0 (a kink-based formula would give -1 here)
    Tensor z = Tensor::zeros({1}).requires_grad_();
    bce_with_logits(z, Tensor::ones({1})).backward();
    CHECK(z.grad().item() == doctest::Approx(-0.5));
    check_gradient([](const Inputs& t) { return bce_with_logits(t[0], t[1]); },
                   {random_tensor({2, 3}, 3, -4.0f, 4.0f), random_tensor({2, 3}, 4, 0.0f, 1.0f)});
    CHECK_THROWS_WITH_AS(bce_with_logits(Tensor::zeros({2}), Tensor::zeros({3})),
                         doctest::Contains("bce_with_logits: logits z (2,) and labels y (3,)"), Error);
}

TEST_CASE("softmax_cross_entropy: hand-computed value, gradient, label checks" * doctest::test_suite("nn.loss")) {
    // both rows are (1, 2, 3): -log softmax = (2.4076, 1.4076, 0.4076); labels 2 and 0 -> (0.4076 + 2.4076) / 2
    const Tensor logits = Tensor::from({2, 3}, {1, 2, 3, 1, 2, 3});
    CHECK(softmax_cross_entropy(logits, {2, 0}).item() == doctest::Approx(1.40760596444438).epsilon(1e-6));
    // dJ/dlogits = (softmax - onehot) / N
    Tensor l = logits.clone().requires_grad_();
    softmax_cross_entropy(l, {2, 0}).backward();
    CHECK(l.grad().values()[2] == doctest::Approx((0.6652409557748219 - 1) / 2).epsilon(1e-6));
    CHECK(l.grad().values()[3] == doctest::Approx((0.09003057317038046 - 1) / 2).epsilon(1e-6));
    check_gradient([](const Tensor& t) { return softmax_cross_entropy(t, {1, 0, 3}); }, random_tensor({3, 4}, 5));
    CHECK_THROWS_WITH_AS(softmax_cross_entropy(logits, {2, 3}),
                         doctest::Contains("label 3 of example 1 out of range [0, 3)"), Error);
    CHECK_THROWS_WITH_AS(softmax_cross_entropy(logits, {2}), doctest::Contains("1 labels for logits of shape (2, 3)"),
                         Error);
}
