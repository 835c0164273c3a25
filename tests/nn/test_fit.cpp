// tests/nn/test_fit.cpp: small networks learn small tasks to near-zero loss, with SGD and with Adam.
// The end-to-end check that layers, losses, autodiff and optimisers work together.
#include <cmath>

#include "nn/layers.hpp"
#include "nn/loss.hpp"
#include "optim/adam.hpp"
#include "optim/sgd.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::nn;

namespace {

// Full-batch training; returns the final loss.
float fit(Module& model, optim::Optimizer& opt, int steps, const std::function<Tensor(const Tensor&)>& loss_of,
          const Tensor& X) {
    for (int s = 0; s < steps; ++s) {
        opt.zero_grad();
        loss_of(model(X)).backward();
        opt.step();
    }
    return loss_of(model(X)).item();
}

std::shared_ptr<Sequential> mlp(Rng& rng, int64_t hidden) {
    return std::make_shared<Sequential>(std::initializer_list<std::shared_ptr<Module>>{
        std::make_shared<Linear>(2, hidden, rng), std::make_shared<ReLU>(), std::make_shared<Linear>(hidden, hidden, rng),
        std::make_shared<ReLU>(), std::make_shared<Linear>(hidden, 1, rng)});
}

// Two interleaved spirals, n points each, class 0 and 1 (the classic non-linearly-separable toy task).
void two_spirals(int n, Tensor& X, Tensor& y) {
    X = Tensor::empty({2 * n, 2});
    y = Tensor::empty({2 * n, 1});
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < 2; ++c) {
            const float r = 0.2f + 0.8f * float(i) / float(n), theta = 1.75f * 3.14159265f * float(i) / float(n) + 3.14159265f * c;
            const int64_t row = 2 * i + c;
            X.data()[2 * row] = r * std::cos(theta);
            X.data()[2 * row + 1] = r * std::sin(theta);
            y.data()[row] = float(c);
        }
}

int64_t wrong_signs(const Tensor& z, const Tensor& y) {  // logit z > 0 predicts class 1
    int64_t wrong = 0;
    for (int64_t i = 0; i < z.numel(); ++i) wrong += (z.data()[i] > 0) != (y.data()[i] > 0.5f);
    return wrong;
}

// 8x8 images holding one bar 3 pixels long, horizontal (class 0) or vertical (class 1), anywhere, in noise.
void bars(int n, Rng& rng, Tensor& X, std::vector<int>& labels) {
    X = Tensor::rand({n, 1, 8, 8}, rng, 0.0f, 0.2f);
    labels.clear();
    for (int i = 0; i < n; ++i) {
        const int cls = i % 2, r = int(rng.randint(6)), c = int(rng.randint(6));
        for (int k = 0; k < 3; ++k) X.data()[i * 64 + (r + (cls ? k : 0)) * 8 + c + (cls ? 0 : k)] = 1.0f;
        labels.push_back(cls);
    }
}

int64_t wrong_classes(const Tensor& logits, const std::vector<int>& labels) {
    const Tensor predicted = argmax(logits, 1);
    int64_t wrong = 0;
    for (size_t i = 0; i < labels.size(); ++i) wrong += int(predicted.data()[i]) != labels[i];
    return wrong;
}

}  // namespace

TEST_CASE("MLP learns XOR with SGD + momentum and with Adam" * doctest::test_suite("nn.integration")) {
    const Tensor X = Tensor::from({4, 2}, {0, 0, 0, 1, 1, 0, 1, 1}), y = Tensor::from({4, 1}, {0, 1, 1, 0});
    auto bce = [&y](const Tensor& z) { return bce_with_logits(z, y); };
    {
        Rng rng(1);
        auto net = mlp(rng, 8);
        optim::SGD sgd(net->parameters(), 0.1f, /*momentum=*/0.9f);
        CHECK(fit(*net, sgd, 300, bce, X) < 1e-3f);
        CHECK(wrong_signs((*net)(X), y) == 0);
    }
    {
        Rng rng(2);
        auto net = mlp(rng, 8);
        optim::Adam adam(net->parameters(), 0.05f);
        CHECK(fit(*net, adam, 500, bce, X) < 1e-3f);
        CHECK(wrong_signs((*net)(X), y) == 0);
    }
}

TEST_CASE("MLP separates two spirals with Adam" * doctest::test_suite("nn.fit")) {
    Tensor X, y;
    two_spirals(50, X, y);
    Rng rng(3);
    auto net = mlp(rng, 32);
    optim::Adam adam(net->parameters(), 0.02f);
    const float J = fit(*net, adam, 800, [&y](const Tensor& z) { return bce_with_logits(z, y); }, X);
    CHECK(J < 0.02f);
    CHECK(wrong_signs((*net)(X), y) == 0);
}

TEST_CASE("small CNN tells horizontal from vertical bars, with SGD and with Adam" * doctest::test_suite("nn.integration")) {
    Rng data_rng(4);
    Tensor X;
    std::vector<int> labels;
    bars(32, data_rng, X, labels);
    auto ce = [&labels](const Tensor& logits) { return softmax_cross_entropy(logits, labels); };
    for (int use_adam = 0; use_adam < 2; ++use_adam) {
        Rng rng(5);
        Sequential net{std::make_shared<Conv2d>(1, 4, 3, rng, 1, 1), std::make_shared<BatchNorm>(4),
                       std::make_shared<ReLU>(), std::make_shared<MaxPool2d>(2),
                       std::make_shared<Conv2d>(4, 8, 3, rng, 1, 1), std::make_shared<ReLU>(),
                       std::make_shared<GlobalAvgPool>(), std::make_shared<Linear>(8, 2, rng)};
        std::unique_ptr<optim::Optimizer> opt;
        if (use_adam)
            opt = std::make_unique<optim::Adam>(net.parameters(), 0.02f);
        else
            opt = std::make_unique<optim::SGD>(net.parameters(), 0.05f, 0.9f);
        fit(net, *opt, 150, ce, X);
        net.eval();  // BatchNorm on its running statistics
        const Tensor logits = net(X);
        const std::string method = use_adam ? "Adam" : "SGD";
        INFO(method);
        CHECK(ce(logits).item() < 0.05f);
        CHECK(wrong_classes(logits, labels) == 0);
    }
}
