// tests/optim/test_lbfgs.cpp: L-BFGS on the Rosenbrock function and on a quadratic.
#include "optim/lbfgs.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::optim;

namespace {

// f(x, y) = (1 - x)^2 + 100 (y - x^2)^2: a curved valley, minimum 0 at (1, 1).
Tensor rosenbrock(const Tensor& p) {
    const Tensor x = p.slice(0, 0, 1), y = p.slice(0, 1, 2);
    return sum(square(1.0f - x) + 100.0f * square(y - square(x)));
}

}  // namespace

TEST_CASE("LBFGS: minimises Rosenbrock from (-1.5, 2) with the strong Wolfe line search" *
          doctest::test_suite("optim.lbfgs")) {
    Tensor p = Tensor::from({2}, {-1.5f, 2.0f}).requires_grad_();
    LBFGS opt({p}, 1.0f, /*history=*/10, /*max_iter=*/20);
    int evaluations = 0;
    auto closure = [&] {
        opt.zero_grad();
        const Tensor f = rosenbrock(p);
        f.backward();
        ++evaluations;
        return f;
    };
    const float first = opt.step(closure);
    CHECK(first == doctest::Approx(6.25 + 100 * 0.0625));  // step() returns the loss it started from
    CHECK(evaluations <= 50);  // stops after max_iter * 5/4 = 25 evaluations, or within the line search after it
    for (int call = 0; call < 10 && rosenbrock(p).item() >= 1e-6f; ++call) opt.step(closure);
    INFO("f = ", rosenbrock(p).item(), " at ", p.values()[0], ", ", p.values()[1], " after ", evaluations,
         " evaluations");
    CHECK(rosenbrock(p).item() < 1e-6f);
    CHECK(p.values()[0] == doctest::Approx(1.0).epsilon(1e-2));
    CHECK(evaluations < 150);
}

TEST_CASE("LBFGS: a quadratic without line search, and bad use" * doctest::test_suite("optim.lbfgs")) {
    // f(x) = sum_k k (x_k - k)^2 / 2 over k = 1..4: minimum 0 at x = (1, 2, 3, 4)
    const Tensor k = Tensor::from({4}, {1, 2, 3, 4});
    Tensor x = Tensor::zeros({4}).requires_grad_();
    LBFGS opt({x}, 1.0f, 10, 20, 1e-7f, 1e-9f, "none");
    auto closure = [&] {
        opt.zero_grad();
        const Tensor f = sum(k * square(x - k)) * 0.5f;
        f.backward();
        return f;
    };
    for (int call = 0; call < 3; ++call) opt.step(closure);
    const std::vector<float> v = x.values();
    for (int i = 0; i < 4; ++i) CHECK(v[size_t(i)] == doctest::Approx(i + 1).epsilon(1e-4));

    CHECK_THROWS_WITH_AS(opt.step(), doctest::Contains("LBFGS: call step(closure)"), Error);
    CHECK_THROWS_WITH_AS(opt.step([&] { return x * 1.0f; }),
                         doctest::Contains("the closure must return the one-element loss, got (4,)"), Error);
    CHECK_THROWS_WITH_AS(LBFGS({x}, 1.0f, 10, 20, 1e-7f, 1e-9f, "wolfe"),
                         doctest::Contains("line_search must be 'strong_wolfe' or 'none', got 'wolfe'"), Error);
}
