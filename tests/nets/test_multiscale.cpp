// tests/nets/test_multiscale.cpp: the embedded multi-scale random feature network.
#include <cmath>

#include "nets/multiscale.hpp"
#include "ops/conv.hpp"
#include "ops/reflect_pad.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

namespace {
MultiScaleConfig tiny_config() {
    return {"tiny", {{0, 3, 4}, {1, 5, 3}}, "k3@1", 100.0f};
}
}  // namespace

TEST_CASE("MultiScaleNet: every channel has zero mean, unit variance on the calibration images" *
          doctest::test_suite("nets.multiscale")) {
    const std::vector<Tensor> calibration = {random_tensor({3, 12, 16}, 1, 0, 1), random_tensor({3, 10, 8}, 2, 0, 1)};
    const MultiScaleNet net(tiny_config(), calibration, /*seed=*/3);
    for (size_t s = 0; s < 2; ++s) {
        const int level = tiny_config().scales[s].level;
        const int64_t half = tiny_config().scales[s].kernel / 2;
        double total[4] = {}, total_sq[4] = {}, count = 0;
        for (const Tensor& image : calibration) {
            Tensor x = image.reshape({1, 3, image.dim(1), image.dim(2)});
            if (level == 1) x = blur_halve(x);
            const Tensor y = conv2d(reflect_pad(x, {half, half, half, half}), net.weight(s), net.bias(s));
            const int64_t n = y.dim(2) * y.dim(3);
            for (int64_t c = 0; c < y.dim(1); ++c)
                for (int64_t i = 0; i < n; ++i) {
                    const double v = y.values()[c * n + i];
                    total[c] += v;
                    total_sq[c] += v * v;
                }
            count += double(n);
        }
        for (int64_t c = 0; c < net.weight(s).dim(0); ++c) {
            CHECK(total[c] / count == doctest::Approx(0.0).epsilon(1e-4).scale(1.0));
            CHECK(total_sq[c] / count == doctest::Approx(1.0).epsilon(1e-3));
        }
    }
}

TEST_CASE("MultiScaleNet: names, shapes, seeds" * doctest::test_suite("nets.multiscale")) {
    const MultiScaleNet net(tiny_config(), {random_tensor({3, 16, 16}, 1, 0, 1)}, 3);
    CHECK(net.layer_names() == std::vector<std::string>{"k3@1", "k5@2"});
    const auto a = net.features(random_tensor({1, 3, 16, 12}, 4, 0, 1), {"k5@2", "k3@1"});
    CHECK(a[0].shape() == Shape{1, 3, 8, 6});   // level 1: half size
    CHECK(a[1].shape() == Shape{1, 4, 16, 12});
    for (float v : a[0].values()) CHECK(v >= 0.0f);  // after ReLU
    const MultiScaleNet same(tiny_config(), {random_tensor({3, 16, 16}, 1, 0, 1)}, 3);
    const MultiScaleNet other(tiny_config(), {random_tensor({3, 16, 16}, 1, 0, 1)}, 4);
    CHECK(same.weight(1).values() == net.weight(1).values());
    CHECK(other.weight(1).values() != net.weight(1).values());
    for (const std::string& name : multiscale_config_names()) CHECK(!multiscale_config(name).scales.empty());
}

TEST_CASE("MultiScaleNet: gradient with respect to the image" * doctest::test_suite("nets.multiscale")) {
    const MultiScaleNet net(tiny_config(), {random_tensor({3, 8, 8}, 1, 0, 1)}, 3);
    check_gradient(
        [&](const Tensor& x) {
            const auto a = net.features(x, {"k3@1", "k5@2"});
            return sum(a[0] * random_tensor(a[0].shape(), 5)) + sum(a[1] * random_tensor(a[1].shape(), 6));
        },
        // an image none of whose pre-activations lies within h of ReLU's kink, where differences jump
        random_tensor({1, 3, 8, 8}, 8, 0, 1), /*h=*/1e-3, /*tolerance=*/2e-2);
}

TEST_CASE("MultiScaleNet: bad configurations and inputs are rejected" * doctest::test_suite("nets.multiscale")) {
    const std::vector<Tensor> calibration = {random_tensor({3, 8, 8}, 1, 0, 1)};
    CHECK_THROWS_WITH_AS(multiscale_config("vgg"), doctest::Contains("no network named 'vgg'"), Error);
    CHECK_THROWS_WITH_AS(MultiScaleNet({"even", {{0, 4, 2}}, "k4@1", 1.0f}, calibration, 0),
                         doctest::Contains("needs an odd kernel"), Error);
    CHECK_THROWS_WITH_AS(MultiScaleNet({"x", {{0, 3, 2}}, "k5@1", 1.0f}, calibration, 0),
                         doctest::Contains("content layer k5@1 is not one of the scales"), Error);
    CHECK_THROWS_WITH_AS(MultiScaleNet(tiny_config(), {random_tensor({8, 8}, 1)}, 0),
                         doctest::Contains("calibration images must be (3, H, W), got (8, 8)"), Error);
    const MultiScaleNet net(tiny_config(), calibration, 0);
    CHECK_THROWS_WITH_AS(net.features(random_tensor({1, 3, 8, 8}, 1), {"conv4_2"}),
                         doctest::Contains("no layer named conv4_2; this network has k3@1 k5@2"), Error);
}

TEST_CASE("MultiScaleNet: the blurred pyramid halves sizes (rounding down) and is differentiable" *
          doctest::test_suite("nets.multiscale")) {
    const MultiScaleNet net(tiny_config(), {random_tensor({3, 10, 8}, 1, 0, 1)}, 3);
    CHECK(net.features(random_tensor({1, 3, 10, 7}, 2, 0, 1), {"k5@2"})[0].shape() == Shape{1, 3, 5, 3});
    check_gradient(
        [&](const Tensor& x) {
            const Tensor a = net.features(x, {"k5@2"})[0];
            return sum(a * random_tensor(a.shape(), 5));
        },
        random_tensor({1, 3, 8, 8}, 7, 0, 1), /*h=*/1e-3, /*tolerance=*/2e-2);
}

TEST_CASE("multiscale_config_for_size: coarse scales move down e = floor(log2(size / 256)) levels" *
          doctest::test_suite("nets.multiscale")) {
    const MultiScaleConfig base = multiscale_config("default");
    const auto names = [](const MultiScaleConfig& c) {
        std::string out;
        for (const auto& s : c.scales) out += multiscale_layer_name(s) + " ";
        return out;
    };
    for (int64_t size : {64, 256, 511}) {  // e = 0: the config as tuned
        const MultiScaleConfig same = multiscale_config_for_size(base, size);
        CHECK(names(same) == names(base));
        CHECK(same.content_layer == "k11@2");
    }
    const MultiScaleConfig at512 = multiscale_config_for_size(base, 512);  // e = 1
    CHECK(names(at512) == "k3@1 k7@1 k5@4 k11@4 k7@8 k11@8 k11@16 ");
    CHECK(at512.content_layer == "k11@4");
    CHECK(at512.style_weight == base.style_weight);
    const MultiScaleConfig at1024 = multiscale_config_for_size(base, 1100);  // e = 2
    CHECK(names(at1024) == "k3@1 k7@1 k5@8 k11@8 k7@16 k11@16 k11@32 ");
    CHECK(at1024.content_layer == "k11@8");
}
