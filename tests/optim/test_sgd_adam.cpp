// tests/optim/test_sgd_adam.cpp: one and two steps of each optimiser against numbers worked out by hand
// from the update formulas (in double, independently of the implementation).
#include "optim/adam.hpp"
#include "optim/sgd.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::optim;

namespace {

// A parameter W = (1, -2) and the gradients of two losses: linear J = c.W (dW = c = (0.5, 1), the same
// at every step) and quadratic J = |W|^2 / 2 (dW = W).
Tensor make_W() { return Tensor::from({2}, {1, -2}).requires_grad_(); }
void linear_backward(Tensor& W) { sum(W * Tensor::from({2}, {0.5f, 1})).backward(); }
void quadratic_backward(Tensor& W) { (sum(square(W)) * 0.5f).backward(); }

void check_values(const Tensor& W, double w0, double w1) {
    CHECK(W.values()[0] == doctest::Approx(w0).epsilon(1e-6));
    CHECK(W.values()[1] == doctest::Approx(w1).epsilon(1e-6));
}

template <class Opt>
void two_steps(Opt& opt, Tensor& W, void (*backward)(Tensor&)) {
    for (int s = 0; s < 2; ++s) {
        opt.zero_grad();
        backward(W);
        opt.step();
    }
}

}  // namespace

TEST_CASE("SGD: plain, weight decay, momentum, Nesterov" * doctest::test_suite("optim.sgd_step")) {
    INFO("step = dW + lambda W; with momentum v = mu v + step, then step = v (Nesterov: step + mu v); W -= "
         "alpha step");
    {   // W - 0.1 c
        Tensor W = make_W();
        SGD opt({W}, 0.1f);
        linear_backward(W);
        opt.step();
        check_values(W, 0.95, -2.1);
        CHECK(opt.state().empty());
    }
    {   // g = c + 0.1 W = (0.6, 0.8)
        Tensor W = make_W();
        SGD opt({W}, 0.1f, 0.0f, false, /*weight_decay=*/0.1f);
        linear_backward(W);
        opt.step();
        check_values(W, 0.94, -2.08);
    }
    {   // v1 = c, W1 = W0 - 0.1 c;  v2 = 0.9 c + c = 1.9 c, W2 = W1 - 0.19 c
        Tensor W = make_W();
        SGD opt({W}, 0.1f, /*momentum=*/0.9f);
        two_steps(opt, W, linear_backward);
        check_values(W, 0.855, -2.29);
        CHECK(opt.state()[0].first == "velocity.0");
        CHECK(opt.state()[0].second.values()[1] == doctest::Approx(1.9));
    }
    {   // step 1: v = c, g' = c + 0.9 c = 1.9 c;  step 2: v = 1.9 c, g' = c + 0.9 * 1.9 c = 2.71 c
        Tensor W = make_W();
        SGD opt({W}, 0.1f, 0.9f, /*nesterov=*/true);
        two_steps(opt, W, linear_backward);
        check_values(W, 1 - 0.1 * 0.5 * (1.9 + 2.71), -2 - 0.1 * (1.9 + 2.71));
    }
    {   // a parameter without a gradient is left alone
        Tensor W = make_W(), unused = Tensor::ones({3}).requires_grad_();
        SGD opt({W, unused}, 0.1f, 0.9f);
        linear_backward(W);
        opt.step();
        CHECK(unused.values() == std::vector<float>{1, 1, 1});
    }
    Tensor not_leaf = make_W() * 2.0f;
    CHECK_THROWS_WITH_AS(SGD({not_leaf}, 0.1f), doctest::Contains("parameter 0 must be a contiguous leaf tensor"), Error);
}

TEST_CASE("Adam: bias-corrected first steps, L2 decay and AdamW" * doctest::test_suite("optim.adam")) {
    {   // quadratic: step 1 moves each weight by lr against its sign: (0.9, -1.9); step 2 with g = W1:
        // V = 0.09 W0 + 0.1 W1, S = 0.000999 W0^2 + 0.001 W1^2, W2 = W1 - 0.1 (V/0.19) / (sqrt(S/0.001999) + eps)
        Tensor W = make_W();
        Adam opt({W}, 0.1f);
        opt.zero_grad();
        quadratic_backward(W);
        opt.step();
        check_values(W, 0.9, -1.9);
        opt.zero_grad();
        quadratic_backward(W);
        opt.step();
        check_values(W, 0.8004122297123382, -1.800166486621093);
        const NamedTensors st = opt.state();
        CHECK(st[0].first == "t");
        CHECK(st[0].second.values() == std::vector<float>{2});
        CHECK(st[1].first == "V_dW.0");
        CHECK(st[1].second.values()[0] == doctest::Approx(0.09 * 1 + 0.1 * 0.9));
        CHECK(st[2].first == "S_dW.0");
        CHECK(st[2].second.values()[1] == doctest::Approx(0.000999 * 4 + 0.001 * 1.9 * 1.9));
    }
    {   // Adam + L2 on the linear loss: dW = c + 0.1 W
        Tensor W = make_W();
        Adam opt({W}, 0.1f, 0.9f, 0.999f, 1e-8f, /*weight_decay=*/0.1f);
        two_steps(opt, W, linear_backward);
        check_values(W, 0.8000473404883316, -2.1999652333159365);
    }
    {   // AdamW: W = (1 - 0.1 * 0.1) W, then the Adam step on dW = c alone
        Tensor W = make_W();
        Adam opt({W}, 0.1f, 0.9f, 0.999f, 1e-8f, /*weight_decay=*/0.1f, /*decoupled=*/true);
        two_steps(opt, W, linear_backward);
        check_values(W, 0.7811000039800006, -2.159199998009999);
    }
    CHECK_THROWS_WITH_AS(Adam({make_W()}, 0.1f, 1.0f), doctest::Contains("Adam: betas must lie in [0, 1)"), Error);
}

TEST_CASE("optimizer state: load_state restores it, checks names and shapes" * doctest::test_suite("optim.adam")) {
    Tensor W = make_W();
    Adam a({W}, 0.1f);
    quadratic_backward(W);
    a.step();
    std::map<std::string, Tensor> saved;
    for (const auto& [name, t] : a.state()) saved[name] = t.clone();

    Tensor W2 = make_W();
    Adam b({W2}, 0.1f);
    b.load_state(saved);
    for (size_t i = 0; i < a.state().size(); ++i) CHECK(b.state()[i].second.values() == a.state()[i].second.values());
    saved.erase("S_dW.0");
    CHECK_THROWS_WITH_AS(b.load_state(saved), doctest::Contains("optimizer load_state: missing 'S_dW.0'"), Error);
    saved["S_dW.0"] = Tensor::zeros({3});
    CHECK_THROWS_WITH_AS(b.load_state(saved), doctest::Contains("'S_dW.0' has shape (3,), expected (2,)"), Error);
}
