// tests/nn/test_layers.cpp: every layer's output shape, values where they are easy to state, and the
// gradient through it (to the input and to its parameters) against central differences.
#include "nn/layers.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::nn;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;
using convlab::testing::weighted_sum;

using Inputs = std::vector<Tensor>;

namespace {


// Values 0.1 apart in a shuffled order: no two inputs of a max window within the finite-difference step.
Tensor distinct_values(const Shape& shape, uint64_t seed) {
    Tensor t = Tensor::empty(shape);
    const int64_t n = t.numel();
    for (int64_t i = 0; i < n; ++i) t.data()[i] = 0.1f * static_cast<float>(i) - 0.05f * static_cast<float>(n);
    Rng rng(seed);
    for (int64_t i = n - 1; i > 0; --i) std::swap(t.data()[i], t.data()[rng.randint(i + 1)]);
    return t;
}

// Gradient of a conv-like layer to x, W and b: the layer's public W, b handles are pointed at the
// inputs that check_gradient perturbs.
template <class Layer>
void check_layer_gradient(Layer& layer, const Tensor& x) {
    check_gradient([&layer](const Inputs& t) {
        layer.W = t[1];
        layer.b = t[2];
        return weighted_sum(layer(t[0]));
    }, {x, layer.W.detach().clone(), random_tensor(layer.b.shape(), 77)});
}

}  // namespace

TEST_CASE("Linear: y = x W^T + b, shapes and gradients" * doctest::test_suite("nn.layers")) {
    Rng rng(1);
    Linear fc(3, 2, rng);
    CHECK(fc.W.shape() == Shape{2, 3});
    fc.W.copy_(Tensor::from({2, 3}, {1, 2, 3, 0, -1, 1}));
    fc.b.copy_(Tensor::from({2}, {0.5f, -0.5f}));
    // x = (1, 1, 1): (1 + 2 + 3 + 0.5, 0 - 1 + 1 - 0.5) = (6.5, -0.5)
    CHECK(fc(Tensor::ones({1, 3})).values() == std::vector<float>{6.5f, -0.5f});
    CHECK(fc(random_tensor({4, 5, 3}, 2)).shape() == Shape{4, 5, 2});
    check_layer_gradient(fc, random_tensor({4, 3}, 3));
    CHECK_THROWS_WITH_AS(fc(Tensor::ones({2, 4})), doctest::Contains("Linear(3, 2): expected input (N, 3), got shape (2, 4)"),
                         Error);
    Linear no_bias(3, 2, rng, /*bias=*/false);
    CHECK(no_bias.named_parameters().size() == 1);
}

TEST_CASE("init: kaiming and xavier spreads" * doctest::test_suite("nn.layers")) {
    Rng rng(4);
    Tensor W = Tensor::empty({200, 50});
    kaiming_normal_(W, 50, rng);  // std sqrt(2/50) = 0.2
    const double var = mean(square(W)).item();
    CHECK(std::sqrt(var) == doctest::Approx(0.2).epsilon(0.03));
    xavier_uniform_(W, 50, 200, rng);  // U(-a, a), a = sqrt(6/250) = 0.1549
    float lo = 1, hi = -1;
    for (float w : W.values()) lo = std::min(lo, w), hi = std::max(hi, w);
    CHECK(hi <= 0.15492f);
    CHECK(lo >= -0.15492f);
    CHECK(hi > 0.15f);
    CHECK(mean(square(W)).item() == doctest::Approx(2.0 / 250).epsilon(0.03));  // Var = 2 / (fan_in + fan_out)
}

TEST_CASE("Conv1d/2d/3d: the lecture's shapes and gradients to x, W, b" * doctest::test_suite("nn.layers")) {
    Rng rng(5);
    // 14 samples, 16 filters of 5 -> 10;  14x14, 16 filters 5x5 -> 10x10;  14^3, 16 filters 5^3 -> 10^3
    CHECK(Conv1d(1, 16, 5, rng)(Tensor::zeros({1, 1, 14})).shape() == Shape{1, 16, 10});
    CHECK(Conv2d(1, 16, 5, rng)(Tensor::zeros({1, 1, 14, 14})).shape() == Shape{1, 16, 10, 10});
    CHECK(Conv3d(1, 16, 5, rng)(Tensor::zeros({1, 1, 14, 14, 14})).shape() == Shape{1, 16, 10, 10, 10});
    // stride 2, padding 1: (7 + 2 - 3) / 2 + 1 = 4;  dilation 2: 7 - 2*2 = 3
    Conv2d strided(3, 4, 3, /*stride=*/2, /*padding=*/1, /*dilation=*/1, /*bias=*/true, rng);
    CHECK(strided(Tensor::zeros({2, 3, 7, 7})).shape() == Shape{2, 4, 4, 4});
    CHECK(strided.W.shape() == Shape{4, 3, 3, 3});
    Conv1d dilated(2, 3, 3, rng, /*stride=*/1, /*padding=*/0, /*dilation=*/2);
    CHECK(dilated(Tensor::zeros({1, 2, 7})).shape() == Shape{1, 3, 3});
    CHECK(Conv2d(3, 4, 3, rng, 1, 0, 1, /*bias=*/false).named_parameters().size() == 1);

    check_layer_gradient(dilated, random_tensor({2, 2, 7}, 6));
    check_layer_gradient(strided, random_tensor({1, 3, 5, 5}, 7));
    Conv3d c3(2, 2, 2, rng, /*stride=*/1, /*padding=*/1);
    check_layer_gradient(c3, random_tensor({1, 2, 3, 3, 2}, 8));
    CHECK_THROWS_WITH_AS(strided(Tensor::zeros({3, 7, 7})),
                         doctest::Contains("Conv2d: expected input (N, C, H, W), got shape (3, 7, 7)"), Error);
}

TEST_CASE("activations, Flatten, L2Normalize: values and gradients" * doctest::test_suite("nn.layers")) {
    const Tensor x = Tensor::from({1, 4}, {-2, -0.5f, 0.5f, 3});
    CHECK(ReLU()(x).values() == std::vector<float>{0, 0, 0.5f, 3});
    CHECK(LeakyReLU(0.1f)(x).values() == std::vector<float>{-0.2f, -0.05f, 0.5f, 3});
    CHECK(Flatten()(Tensor::zeros({2, 3, 4, 5})).shape() == Shape{2, 60});
    CHECK(L2Normalize()(Tensor::from({1, 2}, {3, 4})).values() == std::vector<float>{0.6f, 0.8f});
    const Tensor away = distinct_values({3, 4}, 9) + 0.05f;  // no element within 0.05 of the kink at 0
    check_gradient([](const Tensor& t) { return weighted_sum(ReLU()(t)); }, away);
    check_gradient([](const Tensor& t) { return weighted_sum(LeakyReLU(0.2f)(t)); }, away);
    check_gradient([](const Tensor& t) { return weighted_sum(Flatten()(t)); }, random_tensor({2, 2, 3}, 10));
    check_gradient([](const Tensor& t) { return weighted_sum(L2Normalize(1)(t)); }, random_tensor({3, 5}, 11));
}

TEST_CASE("pooling layers: shapes, values and gradients" * doctest::test_suite("nn.layers")) {
    // 4x4 ramp 0..15 in 2x2 windows: max = (5, 7, 13, 15), mean = (2.5, 4.5, 10.5, 12.5)
    const Tensor ramp = Tensor::arange(16).reshape({1, 1, 4, 4});
    CHECK(MaxPool2d(2)(ramp).values() == std::vector<float>{5, 7, 13, 15});
    CHECK(AvgPool2d(2)(ramp).values() == std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f});
    CHECK(GlobalAvgPool()(ramp).values() == std::vector<float>{7.5f});
    CHECK(MaxPool1d(3, 2)(Tensor::zeros({2, 3, 9})).shape() == Shape{2, 3, 4});
    CHECK(AvgPool1d(2)(Tensor::zeros({2, 3, 9})).shape() == Shape{2, 3, 4});
    CHECK(MaxPool3d(2)(Tensor::zeros({1, 2, 4, 6, 5})).shape() == Shape{1, 2, 2, 3, 2});
    CHECK(AvgPool3d(3, 1, 1)(Tensor::zeros({1, 2, 4, 6, 5})).shape() == Shape{1, 2, 4, 6, 5});
    CHECK(GlobalAvgPool()(Tensor::zeros({2, 3, 4, 5, 6})).shape() == Shape{2, 3});

    check_gradient([](const Tensor& t) { return weighted_sum(MaxPool2d(2)(t)); }, distinct_values({1, 2, 4, 6}, 12));
    check_gradient([](const Tensor& t) { return weighted_sum(MaxPool1d(3, 2)(t)); }, distinct_values({2, 1, 7}, 13));
    check_gradient([](const Tensor& t) { return weighted_sum(MaxPool3d(2)(t)); }, distinct_values({1, 1, 2, 4, 2}, 14));
    check_gradient([](const Tensor& t) { return weighted_sum(AvgPool2d(3, 2, 1)(t)); }, random_tensor({1, 2, 5, 5}, 15));
    check_gradient([](const Tensor& t) { return weighted_sum(AvgPool3d(2)(t)); }, random_tensor({1, 1, 2, 2, 4}, 16));
    check_gradient([](const Tensor& t) { return weighted_sum(GlobalAvgPool()(t)); }, random_tensor({2, 3, 3}, 17));
    CHECK_THROWS_WITH_AS(MaxPool2d(2)(Tensor::zeros({4, 4})),
                         doctest::Contains("MaxPool2d: expected input (N, C) + 2 spatial dims, got shape (4, 4)"), Error);
}

TEST_CASE("BatchNorm: normalises in training, uses running stats in eval, gradients" *
          doctest::test_suite("nn.layers")) {
    BatchNorm bn(2);
    // channel 0 holds 1, 3 (mean 2, var 1), channel 1 holds 10, 10 (mean 10, var 0)
    const Tensor x = Tensor::from({2, 2}, {1, 10, 3, 10});
    const std::vector<float> y = bn(x).values();
    CHECK(y[0] == doctest::Approx(-1.0).epsilon(1e-4));
    CHECK(y[2] == doctest::Approx(1.0).epsilon(1e-4));
    CHECK(y[1] == 0.0f);
    // running stats moved 10% toward the batch's (unbiased variance: 2 for channel 0)
    const NamedTensors buffers = bn.named_buffers();
    CHECK(buffers[0].second.values() == std::vector<float>{0.2f, 1.0f});
    CHECK(buffers[1].second.values()[0] == doctest::Approx(0.9 + 0.1 * 2.0));
    bn.eval();  // now (x - 0.2) / sqrt(1.1 + eps) for channel 0
    CHECK(bn(x).values()[0] == doctest::Approx((1 - 0.2) / std::sqrt(1.1 + 1e-5)).epsilon(1e-5));
    bn.train();

    // gradient to x, gamma and beta in training, over (N, C, L) and (N, C, H, W)
    for (const Shape& shape : {Shape{4, 3, 2}, Shape{2, 3, 2, 2}}) {
        BatchNorm layer(3);
        check_gradient([&layer](const Inputs& t) {
            layer.gamma = t[1];
            layer.beta = t[2];
            return weighted_sum(layer(t[0]));
        }, {random_tensor(shape, 18), random_tensor({3}, 19, 0.5f, 1.5f), random_tensor({3}, 20)});
    }
}

TEST_CASE("Dropout: identity in eval; in training zeroes about p and scales by 1/(1-p)" *
          doctest::test_suite("nn.layers")) {
    Rng rng(21);
    Dropout drop(0.25f, rng);
    Tensor x = Tensor::full({10000}, 2.0f).requires_grad_();
    drop.eval();
    CHECK(drop(x).values() == x.values());
    drop.train();
    const Tensor y = drop(x);
    int64_t zeros = 0, others = 0;
    for (float v : y.values()) {
        zeros += v == 0.0f;
        others += v != 0.0f && v != 2.0f / 0.75f;
    }
    CHECK(others == 0);
    CHECK(zeros == doctest::Approx(2500).epsilon(0.08));
    // dX = mask / (1 - p): nonzero exactly where y is
    sum(y).backward();
    const std::vector<float> g = x.grad().values(), yv = y.values();
    for (size_t i = 0; i < g.size(); i += 97) CHECK(g[i] == doctest::Approx(yv[i] / 2.0f));
    CHECK_THROWS_WITH_AS(Dropout(1.0f, rng), doctest::Contains("Dropout: p must be in [0, 1), got 1"), Error);
}
