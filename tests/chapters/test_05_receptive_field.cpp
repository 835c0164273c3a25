// tests/chapters/test_05_receptive_field.cpp: receptive-field arithmetic against hand-computed sizes.
#include "chapters/05_what_convnets_learn/receptive_field.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

TEST_CASE("receptive_fields: the lecture's stacked 5x5 filters" * doctest::test_suite("ch05.receptive_field")) {
    // two 5x5 convolutions: a layer-2 unit sees 5 layer-1 units, each 5 pixels wide, one pixel apart: 9
    auto rf = receptive_fields({{"conv1", 5, 1, 0}, {"conv2", 5, 1, 0}});
    CHECK(rf[0].size == 5);
    CHECK(rf[1].size == 9);
    CHECK(rf[1].jump == 1);
    // a stride-2 first layer spaces layer-1 units 2 pixels apart: 5 + 4 * 2 = 13
    rf = receptive_fields({{"conv1", 5, 2, 2}, {"conv2", 5, 1, 2}});
    CHECK(rf[1].size == 13);
    CHECK(rf[1].jump == 2);
    CHECK(rf[1].start == -2 - 2 * 2);  // padding 2 at each layer, the second in steps of 2 pixels
    // dilation 2 spreads a 3-tap kernel over 5 pixels
    CHECK(receptive_fields({{"dilated", 3, 1, 2, 2}})[0].size == 5);
}

TEST_CASE("receptive_fields: VGG-19 by hand" * doctest::test_suite("ch05.receptive_field")) {
    // 3x3 convolutions with padding 1, 2x2 poolings with stride 2, in VGG-19's order
    std::vector<LayerGeometry> layers;
    const int convs_per_block[5] = {2, 2, 4, 4, 4};
    for (int b = 0; b < 5; ++b) {
        for (int c = 0; c < convs_per_block[b]; ++c) layers.push_back({"conv", 3, 1, 1});
        layers.push_back({"pool", 2, 2, 0});
    }
    const auto rf = receptive_fields(layers);
    // conv1_1 3, conv1_2 5, pool1 6, conv2_2 14, pool2 16, conv3_4 48, pool3 52, conv4_4 116, pool4 124, conv5_4 252
    CHECK(rf[0].size == 3);
    CHECK(rf[1].size == 5);
    CHECK(rf[2].size == 6);
    CHECK(rf[4].size == 14);
    CHECK(rf[5].size == 16);
    CHECK(rf[9].size == 48);
    CHECK(rf[10].size == 52);
    CHECK(rf[14].size == 116);
    CHECK(rf[15].size == 124);
    CHECK(rf[19].size == 252);
    CHECK(rf[19].jump == 16);
    CHECK(rf[19].start == -118);  // unit 0 of conv5_4 is centred on -118 + 125.5 = 7.5, the middle of pixels 0..15
    // clipped windows: unit 0 of conv5_4 on a 224-pixel image shows [0, 134); unit 13 shows [90, 224)
    CHECK(input_window(rf[19], 0, 224).lo == 0);
    CHECK(input_window(rf[19], 0, 224).hi == 134);
    CHECK(input_window(rf[19], 13, 224).lo == 90);
    CHECK(input_window(rf[19], 13, 224).hi == 224);
}

TEST_CASE("receptive_fields: impossible layers are rejected" * doctest::test_suite("ch05.receptive_field")) {
    CHECK_THROWS_WITH_AS(receptive_fields({{"conv9", 3, 0, 1}}), doctest::Contains("layer conv9 needs"), Error);
}
