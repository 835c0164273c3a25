// tests/chapters/test_05_receptive_field.cpp: receptive-field arithmetic against hand-computed sizes.
#include "chapters/05_what_convnets_learn/receptive_field.hpp"
#include "chapters/05_what_convnets_learn/top_patches.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

TEST_CASE("receptive_fields: the lecture's stacked 5x5 filters" * doctest::test_suite("ch05.receptive_field")) {
    INFO("per layer: start -= p j, r += (f - 1) d j, then j *= s (r, j, start before the layer)");
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
    INFO("per layer: start -= p j, r += (f - 1) d j, then j *= s (r, j, start before the layer)");
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

TEST_CASE("top_patches: one best position per image, strongest images first" * doctest::test_suite("ch05.top_patches")) {
    // 3 images, 2 units, 2x2 positions. Unit 1 peaks at 5 (image 0, (1, 0)), 9 (image 1, (0, 1)), 7 (image 2, (1, 1)).
    const Tensor a = Tensor::from({3, 2, 2, 2}, {0, 0, 0, 0, /**/ 1, 2, 5, 3,     //
                                                 0, 0, 0, 0, /**/ 4, 9, 1, 1,     //
                                                 0, 0, 0, 0, /**/ 2, 2, 2, 7});
    const auto hits = top_patches(a, 1, 2);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].image == 1);
    CHECK(hits[0].i == 0);
    CHECK(hits[0].j == 1);
    CHECK(hits[0].activation == 9.0f);
    CHECK(hits[1].image == 2);
    CHECK(hits[1].i == 1);
    CHECK(hits[1].j == 1);
    CHECK(top_patches(a, 0, 9).size() == 3);  // never more patches than images
    CHECK_THROWS_WITH_AS(top_patches(a, 2), doctest::Contains("unit k < n_C"), Error);
}

TEST_CASE("receptive_field_patch: the exact field, grey over the border" * doctest::test_suite("ch05.top_patches")) {
    // a 4x4 one-channel image with values 0..15; a field of 3 pixels, jump 2, start -1 (3x3 conv, stride 2, pad 1)
    std::vector<float> v(16);
    for (int i = 0; i < 16; ++i) v[i] = float(i);
    const Tensor image = Tensor::from({1, 4, 4}, v);
    const ReceptiveField rf{"conv", 3, 2, -1};
    // unit (1, 1) sees rows 1..3, cols 1..3
    CHECK(receptive_field_patch(image, rf, 1, 1).values() == std::vector<float>{5, 6, 7, 9, 10, 11, 13, 14, 15});
    // unit (0, 0) sees rows -1..1, cols -1..1: the first row and column are padding
    CHECK(receptive_field_patch(image, rf, 0, 0).values() == std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f, 0, 1, 0.5f, 4, 5});
}
