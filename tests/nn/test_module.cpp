// tests/nn/test_module.cpp: parameter naming, buffers, train/eval, zero_grad, Sequential.
#include "nn/layers.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::nn;

namespace {

// A module with its own parameter, a child Sequential and a named child, like a small face encoder.
struct Net : Module {
    explicit Net(Rng& rng) {
        scale = register_parameter("scale", Tensor::ones({1}));
        body = register_module("body", std::make_shared<Sequential>(std::initializer_list<std::shared_ptr<Module>>{
                                           std::make_shared<Linear>(3, 4, rng), std::make_shared<ReLU>(),
                                           std::make_shared<BatchNorm>(4)}));
        head = register_module("head", std::make_shared<Linear>(4, 2, rng, /*bias=*/false));
    }
    Tensor forward(const Tensor& x) override { return (*head)((*body)(x)) * scale; }
    Tensor scale;
    std::shared_ptr<Sequential> body;
    std::shared_ptr<Linear> head;
};

std::vector<std::string> names(const NamedTensors& list) {
    std::vector<std::string> out;
    for (const auto& entry : list) out.push_back(entry.first);
    return out;
}

}  // namespace

TEST_CASE("Module: parameters and buffers named by their path, in order" * doctest::test_suite("nn.module")) {
    Rng rng(1);
    Net net(rng);
    CHECK(names(net.named_parameters()) == std::vector<std::string>{"scale", "body.0.weight", "body.0.bias",
                                                                     "body.2.weight", "body.2.bias", "head.weight"});
    CHECK(names(net.named_buffers()) == std::vector<std::string>{"body.2.running_mean", "body.2.running_var"});
    CHECK(names(net.state()).size() == 8);
    CHECK(net.parameters().size() == 6);
    // the handles are the layers' own tensors: same storage, marked for gradients
    CHECK(net.named_parameters()[5].second.shares_storage(net.head->W));
    for (const Tensor& p : net.parameters()) CHECK(p.requires_grad());
    CHECK_FALSE(net.named_buffers()[0].second.requires_grad());
}

TEST_CASE("Module: train/eval reach every descendant; zero_grad clears all" * doctest::test_suite("nn.module")) {
    Rng rng(2);
    Net net(rng);
    CHECK(net.training());
    net.eval();
    CHECK_FALSE(net.training());
    CHECK_FALSE((*net.body)[2]->training());
    net.train();
    CHECK((*net.body)[2]->training());

    sum(net(testing::random_tensor({5, 3}, 3))).backward();
    for (const Tensor& p : net.parameters()) CHECK(p.grad().defined());
    net.zero_grad();
    for (const Tensor& p : net.parameters()) CHECK_FALSE(p.grad().defined());
}

TEST_CASE("Module: bad names and bad layer access throw" * doctest::test_suite("nn.module")) {
    struct Bad : Module {
        Tensor forward(const Tensor& x) override { return x; }
        void add(const std::string& name) { register_parameter(name, Tensor::zeros({2})); }
    } bad;
    bad.add("w");
    CHECK_THROWS_WITH_AS(bad.add("w"), doctest::Contains("name 'w' is already registered"), Error);
    CHECK_THROWS_WITH_AS(bad.add("a.b"), doctest::Contains("name 'a.b' must be non-empty and contain no '.'"), Error);
    Sequential seq;
    CHECK_THROWS_WITH_AS(seq[0], doctest::Contains("Sequential: layer 0 out of range (0 layers)"), Error);
}

TEST_CASE("Sequential: applies its layers in order" * doctest::test_suite("nn.module")) {
    // Linear(2 -> 1) with W = (1, -1), b = 0.5, then ReLU: x = (3, 1) -> 2.5, x = (1, 3) -> 0
    Rng rng(4);
    auto linear = std::make_shared<Linear>(2, 1, rng);
    linear->W.copy_(Tensor::from({1, 2}, {1, -1}));
    linear->b.fill_(0.5f);
    Sequential seq{linear, std::make_shared<ReLU>()};
    CHECK(seq.size() == 2);
    CHECK(seq(Tensor::from({2, 2}, {3, 1, 1, 3})).values() == std::vector<float>{2.5f, 0.0f});
}
