// tests/nets/test_vgg19.cpp: VGG-19's layer table, its checked loader, and parity with torchvision.
//
// The fixtures come from data/make_vgg_parity.py: a randomly initialised torchvision VGG-19 with every width
// divided by 16 (same layers, same order), a 32x32 input, torch's activations and input gradients.
#include <cmath>
#include <cstdlib>
#include <map>

#include "nets/vgg19.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

// max |a - b| / max |b|: the error relative to the reference's scale.
double relative_error(const Tensor& a, const Tensor& b) {
    REQUIRE(a.shape() == b.shape());
    const std::vector<float> x = a.values(), y = b.values();
    double diff = 0.0, scale = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
        diff = std::max(diff, std::fabs(double(x[i]) - y[i]));
        scale = std::max(scale, std::fabs(double(y[i])));
    }
    return diff / std::max(scale, 1e-30);
}

// The checks every parity run makes, for the checkpoints <dir>/vgg19_w<D>{,_ref}.weights.
void check_parity(const std::string& dir, int width_divisor) {
    const std::string stem = dir + "/vgg19_w" + std::to_string(width_divisor);
    std::map<std::string, Tensor> ref;
    for (auto& [name, t] : load_checkpoint(stem + "_ref.weights")) ref[name] = t;
    const Tensor x = ref.at("input");

    const Vgg19 net = Vgg19::from_file(stem + ".weights", width_divisor, Pooling::max);
    const std::vector<std::string> layers = {"conv1_1", "relu1_2", "pool1", "conv2_1", "conv3_4",
                                             "relu4_2", "pool4", "conv5_1", "relu5_4", "pool5"};
    double worst_forward = 0.0, worst_gradient = 0.0;
    {
        NoGradGuard no_grad;
        const std::vector<Tensor> acts = net.features(x, layers);
        for (size_t l = 0; l < layers.size(); ++l) {
            INFO("layer ", layers[l]);
            const double err = relative_error(acts[l], ref.at("max." + layers[l]));
            CHECK(err <= 1e-4);
            worst_forward = std::max(worst_forward, err);
        }
    }
    // L = sum over these layers of mean(a^2); its gradient with respect to the input image
    const std::vector<std::string> loss_layers = {"conv1_2", "relu2_1", "conv3_1", "relu4_2", "conv5_1", "relu5_4"};
    for (Pooling pooling : {Pooling::max, Pooling::avg}) {
        const Vgg19 pooled = Vgg19::from_file(stem + ".weights", width_divisor, pooling);
        Tensor input = x.clone().requires_grad_();
        Tensor L = Tensor::scalar(0);
        for (const Tensor& a : pooled.features(input, loss_layers)) L = L + mean(square(a));
        L.backward();
        INFO((pooling == Pooling::max ? "max" : "avg"), " pooling");
        const double err = relative_error(input.grad(), ref.at(pooling == Pooling::max ? "max.grad" : "avg.grad"));
        CHECK(err <= 1e-3);
        worst_gradient = std::max(worst_gradient, err);
    }
    MESSAGE("VGG-19 width / ", width_divisor, " vs torch: relative error ", worst_forward, " forward, ", worst_gradient,
            " input gradient");
}

}  // namespace

TEST_CASE("vgg19_layers: torchvision's vgg19().features order and widths" * doctest::test_suite("nets.vgg19")) {
    const auto layers = vgg19_layers();
    REQUIRE(layers.size() == 37);
    CHECK(layers[0].name == "conv1_1");
    CHECK(layers[4].name == "pool1");
    CHECK(layers[19].name == "conv4_1");   // torchvision features[19]
    CHECK(layers[21].name == "conv4_2");   // features[21], the usual content layer
    CHECK(layers[28].name == "conv5_1");
    CHECK(layers[35].name == "relu5_4");
    CHECK(layers[36].name == "pool5");
    int convs = 0;
    for (const auto& l : layers) convs += l.kind == VggKind::conv;
    CHECK(convs == 16);
    CHECK(layers[10].in_channels == 128);
    CHECK(layers[10].out_channels == 256);
    CHECK(vgg19_layers(16)[10].out_channels == 16);
    CHECK_THROWS_AS(vgg19_layers(5), Error);
}

TEST_CASE("Vgg19: matches torchvision (reduced width, committed fixture)" * doctest::test_suite("nets.vgg19")) {
    check_parity("tests/fixtures/vgg", 16);
}

TEST_CASE("Vgg19: matches torchvision at full width" * doctest::test_suite("nets.vgg19_parity_full")) {
    // data/make_vgg_parity.py --full makes the files and runs this test with CONVLAB_VGG_PARITY_DIR set.
    const char* dir = std::getenv("CONVLAB_VGG_PARITY_DIR");
    if (dir == nullptr) {
        MESSAGE("skipped: run data/make_vgg_parity.py --full (needs torch) to make the full-size references");
        return;
    }
    check_parity(dir, 1);
}

TEST_CASE("Vgg19::features: wrong images or layer names give clear errors" * doctest::test_suite("nets.vgg19")) {
    // (files of the wrong shape or names: tests/nets/test_weights_file.cpp)
    const Vgg19 net = Vgg19::from_file("tests/fixtures/vgg/vgg19_w16.weights", 16);
    CHECK_THROWS_WITH_AS(net.features(Tensor::zeros({1, 1, 8, 8}), {"conv1_1"}),
                         doctest::Contains("expected images (N, 3, H, W), got (1, 1, 8, 8)"), Error);
    CHECK_THROWS_WITH_AS(net.features(Tensor::zeros({1, 3, 8, 8}), {"conv6_1"}), doctest::Contains("no layer named conv6_1"),
                         Error);
}
