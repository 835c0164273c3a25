// tests/chapters/test_10_ecg_net.cpp: chapter 10's network, training loop, augmentation and report functions.
#include "chapters/10_conv1d_ecg/augment.hpp"
#include "chapters/10_conv1d_ecg/classifier.hpp"
#include "chapters/10_conv1d_ecg/ecg_net.hpp"
#include "chapters/10_conv1d_ecg/nearest_neighbour.hpp"
#include "chapters/10_conv1d_ecg/report.hpp"
#include "data/synthetic_ecg.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

TEST_CASE("make_ecg_net: any beat length in, one logit per class out" * doctest::test_suite("ch10.ecg_net")) {
    INFO("three blocks conv1d (f = 7, 5, 3; padding f / 2 keeps the length) -> batch norm -> ReLU, with width,"
         " 2 width, width filters");
    Rng rng(1);
    auto net = make_ecg_net(3, 4, rng);
    CHECK(net->size() == 11);  // 3 x (conv, batch norm, ReLU), pooling, linear
    CHECK((*net)(Tensor::zeros({2, 1, 96})).shape() == Shape{2, 3});
    CHECK((*net)(Tensor::zeros({5, 1, 37})).shape() == Shape{5, 3});
    // parameters: conv (7*1 + 1)*4, (5*4 + 1)*8, (3*8 + 1)*4; batch norm 2*(4 + 8 + 4); linear 4*3 + 3
    int64_t count = 0;
    for (const Tensor& p : net->parameters()) count += p.numel();
    CHECK(count == 32 + 168 + 100 + 32 + 15);
    CHECK(layer_name(*(*net)[0]) == "conv 7 (4 filters)");
    CHECK(layer_name(*(*net)[9]) == "global average pool");
    CHECK_THROWS_AS(make_ecg_net(1, 4, rng), Error);
}

TEST_CASE("ecg_net: a tiny network learns synthetic beats well above chance" * doctest::test_suite("ch10.ecg_net")) {
    INFO("the three conv1d -> batch norm -> ReLU blocks must keep the length and feed the next block's n_C");
    Rng data_rng(7);
    const UcrSet train = synthetic_ecg(64, data_rng), test = synthetic_ecg(100, data_rng);
    const std::vector<int> classes = ucr_classes(train.label);
    const std::vector<int> y_train = ucr_class_index(train.label, classes), y_test = ucr_class_index(test.label, classes);
    Rng rng(0);
    auto net = make_ecg_net(2, 4, rng);
    FitOptions fit;
    fit.epochs = 20;
    fit.lr = 3e-3f;
    std::vector<double> J;
    fit_classifier(*net, train.X, y_train, fit, rng, [&](int64_t, double loss, double) { J.push_back(loss); });
    REQUIRE(J.size() == 20);
    MESSAGE("J from " << J.front() << " to " << J.back());
    CHECK(J.back() < 0.85 * J.front());
    const double acc = accuracy(predict_classes(*net, test.X), y_test);
    MESSAGE("tiny 1D ConvNet on synthetic beats: test accuracy " << acc);
    CHECK(acc > 0.75);  // chance: about 0.5
}

TEST_CASE("augment_beats: identity without changes, a pure gain scales each beat" * doctest::test_suite("ch10.augment")) {
    const Tensor x = convlab::testing::random_tensor({3, 2, 20}, 4);
    Rng rng(2);
    CHECK(augment_beats(x, rng, BeatAugment{0, 0, 0, 0}).values() == x.values());
    const std::vector<float> y = augment_beats(x, rng, BeatAugment{0, 0, 0.1f, 0}).values(), v = x.values();
    for (int n = 0; n < 3; ++n) {
        const float g = y[n * 40] / v[n * 40];  // one gain g per beat, shared by its channels
        CHECK(g >= 0.9f);
        CHECK(g <= 1.1f);
        for (int k = 0; k < 40; ++k) CHECK(y[n * 40 + k] == doctest::Approx(g * v[n * 40 + k]).epsilon(1e-5));
    }
    CHECK_THROWS_AS(augment_beats(Tensor::zeros({3, 20}), rng), Error);
}

TEST_CASE("take_examples and summarize" * doctest::test_suite("ch10.report")) {
    const Tensor X = Tensor::from({3, 1, 2}, {1, 2, 3, 4, 5, 6});
    CHECK(take_examples(X, {2, 0, 2}).values() == std::vector<float>{5, 6, 1, 2, 5, 6});
    CHECK_THROWS_AS(take_examples(X, {3}), Error);
    const Summary s = summarize({0.90, 0.88, 0.92});
    CHECK(s.mean == doctest::Approx(0.90));
    CHECK(s.std == doctest::Approx(0.02));  // sqrt((0 + 0.0004 + 0.0004) / 2)
    CHECK(summarize({0.7}).std == 0.0);
}
