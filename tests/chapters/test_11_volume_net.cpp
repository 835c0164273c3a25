// tests/chapters/test_11_volume_net.cpp: chapter 11's 3D ConvNet learns the generated volumes and clips.
#include "chapters/10_conv1d_ecg/classifier.hpp"
#include "chapters/10_conv1d_ecg/nearest_neighbour.hpp"
#include "chapters/11_conv3d_volumes/volume_net.hpp"
#include "data/synthetic_volumes.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

// Test accuracy of a width-4 network trained for `epochs` on `train`.
double tiny_run(const VolumeSet& train, const VolumeSet& test, int64_t epochs) {
    Rng rng(0);
    auto net = make_volume_net(static_cast<int64_t>(train.classes.size()), 4, rng);
    FitOptions fit;
    fit.epochs = epochs;
    fit.lr = 3e-3f;
    fit_classifier(*net, train.X, train.label, fit, rng);
    return accuracy(predict_classes(*net, test.X), test.label);
}

}  // namespace

TEST_CASE("make_volume_net: volumes and clips of any multiple-of-4 sides" * doctest::test_suite("ch11.volume_net")) {
    INFO("three blocks conv3d 3x3x3 (padding 1) -> batch norm -> ReLU with width, 2 width, 2 width filters, "
         "max pool 2 after the first two");
    Rng rng(1);
    auto net = make_volume_net(4, 2, rng);
    CHECK(net->size() == 13);  // 3 x (conv, batch norm, ReLU), 2 poolings, global pooling, linear
    CHECK((*net)(Tensor::zeros({2, 1, 16, 16, 16})).shape() == Shape{2, 4});
    CHECK((*net)(Tensor::zeros({1, 1, 8, 12, 20})).shape() == Shape{1, 4});
    CHECK_THROWS_AS(make_volume_net(4, 0, rng), Error);
}

TEST_CASE("volume_net: a tiny network finds lesions above chance" * doctest::test_suite("ch11.volume_net")) {
    INFO("three conv3d -> batch norm -> ReLU blocks, max pool 2 after the first two");
    Rng data_rng(3);
    const VolumeSet train = synthetic_volumes(64, 12, data_rng), test = synthetic_volumes(64, 12, data_rng);
    const double acc = tiny_run(train, test, 10);
    MESSAGE("tiny 3D ConvNet on 12^3 volumes: test accuracy " << acc);
    CHECK(acc > 0.7);  // chance: about 0.5
}

TEST_CASE("volume_net: a tiny network tells the direction of motion above chance" * doctest::test_suite("ch11.volume_net")) {
    INFO("three conv3d -> batch norm -> ReLU blocks, max pool 2 after the first two");
    Rng data_rng(4);
    const VolumeSet train = synthetic_clips(64, 8, 12, data_rng, 0.3f), test = synthetic_clips(64, 8, 12, data_rng, 0.3f);
    const double acc = tiny_run(train, test, 10);
    MESSAGE("tiny 3D ConvNet on 8-frame clips: test accuracy " << acc);
    CHECK(acc > 0.6);  // chance: 0.25
}
