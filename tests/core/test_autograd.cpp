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

TEST_CASE("autograd: matmul reads transposed views in place" * doctest::test_suite("core.autograd")) {
    const Tensor A = random_tensor({3, 5}, 14), B = random_tensor({3, 4}, 15), batch = random_tensor({2, 3, 5}, 16);
    // a Gram matrix A A^T, and A^T B: the same values as with a dense copy of the transpose
    CHECK(testing::max_relative_error(matmul(A, transpose(A)).values(),
                                      matmul(A, transpose(A).contiguous()).values()) < 1e-6);
    CHECK(testing::max_relative_error(matmul(transpose(A), B).values(),
                                      matmul(transpose(A).contiguous(), B).values()) < 1e-6);
    check_gradient([](const Tensor& t) { return weighted_sum(matmul(t, transpose(t))); }, A);
    check_gradient([](const Inputs& t) { return weighted_sum(matmul(transpose(t[0]), t[1])); }, {A, B});
    check_gradient([](const Tensor& t) { return weighted_sum(matmul(transpose(t), t)); }, batch);
}

// The storage of a tensor, observed without keeping it alive.
std::weak_ptr<Storage> watch(const Tensor& t) { return t.impl()->storage; }

TEST_CASE("autograd: the graph keeps only what backward reads" * doctest::test_suite("core.autograd")) {
    Tensor x = Tensor::from({4}, {-2, -1, 1, 2}).requires_grad_();
    const Tensor W = random_tensor({4, 3}, 17);  // a constant: no gradient wanted
    Tensor z = x * 3.0f;                         // a pre-activation: ReLU's backward reads its output
    const std::weak_ptr<Storage> z_data = watch(z);
    Tensor y = relu(z);
    z = Tensor();
    CHECK(z_data.expired());
    Tensor h = y * 2.0f;  // matmul's dh = dJ W^T reads W only: W needs no gradient, which would read h
    const std::weak_ptr<Storage> h_data = watch(h);
    const Tensor J = sum(matmul(h.reshape({1, 4}), W));
    h = Tensor();
    CHECK(h_data.expired());
    J.backward();
    // dJ/dx_i = 6 * sum_j W_ij where x_i > 0, else 0
    const std::vector<float> w = W.values(), g = x.grad().values();
    for (int i = 0; i < 4; ++i) {
        const float expected = i < 2 ? 0.0f : 6.0f * (w[3 * i] + w[3 * i + 1] + w[3 * i + 2]);
        CHECK(g[i] == doctest::Approx(expected).epsilon(1e-6));
    }
}

TEST_CASE("autograd: backward frees the graph; walking it again throws" * doctest::test_suite("core.autograd")) {
    Tensor a = Tensor::scalar(2).requires_grad_();
    const Tensor y = square(a * 3.0f);  // y = 9 a^2, dy/da = 18 a = 36
    y.backward();
    CHECK(a.grad().item() == 36.0f);
    CHECK(testing::error_of([&] { y.backward(); }).find("a second time") != std::string::npos);
    CHECK(a.grad().item() == 36.0f);
}

TEST_CASE("autograd: gradients add up in place, unless someone holds them" * doctest::test_suite("core.autograd")) {
    Tensor a = Tensor::ones({3}).requires_grad_();
    sum(a * 2.0f).backward();
    const float* first = a.grad().data();
    sum(a * 3.0f).backward();  // nothing else holds a's gradient: added into its buffer
    CHECK(a.grad().data() == first);
    const Tensor held = a.grad();
    sum(a * 4.0f).backward();  // the caller holds it: a new sum, `held` keeps its values
    CHECK(held.values() == std::vector<float>{5, 5, 5});
    CHECK(a.grad().values() == std::vector<float>{9, 9, 9});
    // one op result used twice, whose gradients are aliases of the same upstream gradient: 2 (x + x)
    Tensor x = Tensor::from({2}, {1, 2}).requires_grad_();
    const Tensor s = x * 1.0f;
    sum(square(s + s)).backward();  // d/dx (2x)^2 = 8 x
    CHECK(x.grad().values() == std::vector<float>{8, 16});
}
