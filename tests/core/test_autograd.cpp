// tests/core/test_autograd.cpp: every differentiable core op against central differences.
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;
using convlab::testing::weighted_sum;

using Inputs = std::vector<Tensor>;

// A fixed random weighting makes sum(w * f(x)) sensitive to every output element with a different weight.

TEST_CASE("autograd: hand-computed chain rule" * doctest::test_suite("core.autograd")) {
    // y = (a * b + a)^2 at a = 2, b = 3: y = 64, dy/da = 2 (ab + a)(b + 1) = 64, dy/db = 2 (ab + a) a = 32
    Tensor a = Tensor::scalar(2).requires_grad_(), b = Tensor::scalar(3).requires_grad_();
    const Tensor y = square(a * b + a);
    y.backward();
    CHECK(y.item() == 64.0f);
    CHECK(a.grad().item() == 64.0f);
    CHECK(b.grad().item() == 32.0f);
    // gradients accumulate until zero_grad()
    square(a * b + a).backward();
    CHECK(a.grad().item() == 128.0f);
    a.zero_grad();
    CHECK_FALSE(a.grad().defined());
}

TEST_CASE("autograd: no graph under NoGradGuard, clear error on backward" * doctest::test_suite("core.autograd")) {
    Tensor a = Tensor::scalar(2).requires_grad_();
    NoGradGuard no_grad;
    const Tensor y = a * a;
    CHECK_FALSE(y.requires_grad());
    CHECK_THROWS_AS(y.backward(), Error);
}

TEST_CASE("autograd: broadcasting binary ops" * doctest::test_suite("core.autograd")) {
    const Tensor a = random_tensor({2, 3, 4}, 1), b = random_tensor({3, 1}, 2, 0.5f, 1.5f);
    check_gradient([](const Inputs& x) { return weighted_sum(x[0] + x[1]); }, {a, b});
    check_gradient([](const Inputs& x) { return weighted_sum(x[0] - x[1]); }, {a, b});
    check_gradient([](const Inputs& x) { return weighted_sum(x[0] * x[1]); }, {a, b});
    check_gradient([](const Inputs& x) { return weighted_sum(x[0] / x[1]); }, {a, b});
    check_gradient([](const Inputs& x) { return weighted_sum(maximum(x[0], x[1] - 1.0f)); }, {a, b});
    check_gradient([](const Inputs& x) { return weighted_sum(3.0f - x[0] * 2.0f + 1.0f / x[1]); }, {a, b});
}

TEST_CASE("autograd: unary ops and activations" * doctest::test_suite("core.autograd")) {
    const Tensor x = random_tensor({3, 5}, 3);                 // in (-1, 1)
    const Tensor pos = random_tensor({3, 5}, 4, 0.5f, 2.0f);   // positive, for log/sqrt/pow
    // keep away from the kinks at 0: |x| >= 0.1
    Tensor away = random_tensor({3, 5}, 5, 0.1f, 1.0f) * (random_tensor({3, 5}, 6) + 0.0f);
    away = away.detach();
    for (int64_t i = 0; i < away.numel(); ++i)
        away.data()[i] = (away.data()[i] >= 0 ? 1.0f : -1.0f) * (0.1f + std::fabs(away.data()[i]));
    auto g = [](Tensor (*op)(const Tensor&), const Tensor& in) {
        check_gradient([op](const Tensor& t) { return weighted_sum(op(t)); }, in);
    };
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::exp), x);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::log), pos);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::sqrt), pos);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::abs), away);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::relu), away);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::sigmoid), x);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::tanh), x);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::square), x);
    g(static_cast<Tensor (*)(const Tensor&)>(&convlab::neg), x);
    check_gradient([](const Tensor& t) { return weighted_sum(pow(t, 1.7f)); }, pos);
    check_gradient([](const Tensor& t) { return weighted_sum(leaky_relu(t, 0.2f)); }, away);
    check_gradient([](const Tensor& t) { return weighted_sum(clamp(t, -0.05f, 0.05f)); }, away * 0.04f);
}

TEST_CASE("autograd: reductions" * doctest::test_suite("core.autograd")) {
    const Tensor x = random_tensor({2, 3, 4}, 7);
    check_gradient([](const Tensor& t) { return sum(t); }, x);
    check_gradient([](const Tensor& t) { return mean(t) * 3.0f; }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(sum(t, {0, 2})); }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(mean(t, {1}, true)); }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(max(t, 2)); }, x);
}

TEST_CASE("autograd: shape ops" * doctest::test_suite("core.autograd")) {
    const Tensor x = random_tensor({2, 3, 4}, 8), y = random_tensor({2, 2, 4}, 9);
    check_gradient([](const Tensor& t) { return weighted_sum(t.reshape({4, 6})); }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(t.slice(1, 1, 3)); }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(t[1]); }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(t.permute({2, 0, 1})); }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(transpose(t).contiguous()); }, x);
    check_gradient([](const Tensor& t) { return weighted_sum(pad(t, {1, 2, 0, 1})); }, x);
    check_gradient([](const Inputs& t) { return weighted_sum(concat({t[0], t[1]}, 1)); }, {x, y});
    check_gradient([](const Inputs& t) { return weighted_sum(stack({t[0], t[0] * 2.0f}, 1)); }, {x});
}

TEST_CASE("autograd: matmul, batched and with a shared matrix" * doctest::test_suite("core.autograd")) {
    const Tensor A = random_tensor({2, 3, 4}, 10), B = random_tensor({2, 4, 5}, 11), W = random_tensor({4, 5}, 12);
    check_gradient([](const Inputs& t) { return weighted_sum(matmul(t[0], t[1])); }, {A, B});
    check_gradient([](const Inputs& t) { return weighted_sum(matmul(t[0], t[1])); }, {A, W});
    check_gradient([](const Inputs& t) { return weighted_sum(matmul(t[1], t[0])); }, {B, A[0].contiguous()});
}

TEST_CASE("autograd: a tensor used twice gets both contributions" * doctest::test_suite("core.autograd")) {
    const Tensor x = random_tensor({3, 3}, 13);
    check_gradient([](const Tensor& t) { return weighted_sum(matmul(t, t) + t * t); }, x);
}
