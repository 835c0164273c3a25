// tests/chapters/test_02_siamese.cpp: the encoder f(x), img_to_encoding, and the pieces of its training
// (augmentation, PK batches, differentiable row selection).
#include "chapters/02_siamese_network/siamese.hpp"
#include "face/augment.hpp"
#include "face/batches.hpp"
#include "io/image.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

static EncoderConfig tiny_config() {
    EncoderConfig c;
    c.height = 12;
    c.width = 10;
    c.channels = {4, 6};
    c.dim = 8;
    return c;
}

TEST_CASE("FaceEncoder: unit-length encodings, one network for both branches" * doctest::test_suite("ch02.img_to_encoding")) {
    INFO("img_to_encoding: grey, resized to the encoder's height x width, as (1, 1, height, width) through "
         "encode_all, returned as (dim,)");
    Rng rng(3);
    FaceEncoder f(tiny_config(), rng);
    const Tensor x = random_tensor({3, 1, 12, 10}, 4, 0.0f, 1.0f);
    const Tensor E = f(x);
    CHECK(E.shape() == Shape{3, 8});
    for (int i = 0; i < 3; ++i) CHECK(sum(square(E[i])).item() == doctest::Approx(1.0f).epsilon(1e-5));
    // the same photo through "either branch" gives the same encoding: d(x, x) = 0
    CHECK(siamese_distance(f, x[0], x[0]) == 0.0f);
    CHECK(siamese_distance(f, x[0], x[1]) > 0.0f);
    // per-photo standardisation: brightness and contrast do not change f(x)
    const std::vector<float> e0 = f(x.slice(0, 0, 1)).values(), e1 = f(x.slice(0, 0, 1) * 0.5f + 0.2f).values();
    CHECK(testing::max_relative_error(e1, e0) < 1e-4);
    CHECK_THROWS_WITH_AS(f(Tensor::zeros({1, 1, 12, 11})), "FaceEncoder: expected (N, 1, 12, 10), got (1, 1, 12, 11)",
                         Error);
    // the gradient reaches the input through conv, pool, standardisation and the normalisation
    check_gradient([&](const Tensor& in) { return sum(f(in) * random_tensor({1, 8}, 9)); },
                   random_tensor({1, 1, 12, 10}, 5, 0.0f, 1.0f), 1e-3, 5e-2);
}

TEST_CASE("img_to_encoding: any size, grey or colour, equals encode_all of the resized photo" *
          doctest::test_suite("ch02.img_to_encoding")) {
    Rng rng(3);
    FaceEncoder f(tiny_config(), rng);
    const Tensor photo = random_tensor({1, 24, 20}, 6, 0.0f, 1.0f);
    const Tensor e = img_to_encoding(f, photo);
    CHECK(e.shape() == Shape{8});
    const Tensor resized = resize_bilinear(photo, 12, 10).reshape({1, 1, 12, 10});
    CHECK(e.values() == encode_all(f, resized).reshape({8}).values());
    // a colour photo whose three channels are equal is the same grey photo
    CHECK(testing::max_relative_error(img_to_encoding(f, concat({photo, photo, photo}, 0)).values(), e.values()) < 1e-5);
    CHECK_THROWS_AS(img_to_encoding(f, Tensor::zeros({2, 12, 10})), Error);
}

TEST_CASE("augment and mirror: identity settings, determinism, clamping" * doctest::test_suite("ch02.augment")) {
    const Tensor x = random_tensor({2, 1, 9, 7}, 1, 0.0f, 1.0f);
    AugmentConfig none;
    none.max_shift = none.max_angle = none.max_brightness = none.max_contrast = none.max_light_gradient = 0;
    none.min_scale = none.max_scale = 1;
    none.flip = false;
    Rng rng(2);
    CHECK(testing::max_relative_error(augment(x, none, rng).values(), x.values()) < 1e-6);
    // mirror twice is the identity; mirror puts column 0 at column 6
    CHECK(mirror(mirror(x)).values() == x.values());
    CHECK(mirror(x).at({0, 0, 3, 6}) == x.at({0, 0, 3, 0}));
    // the same seed gives the same augmentation, values stay in [0, 1]
    Rng r1(5), r2(5);
    const Tensor a = augment(x, AugmentConfig{}, r1);
    CHECK(a.values() == augment(x, AugmentConfig{}, r2).values());
    CHECK(a.values() != x.values());
    for (float v : a.values()) CHECK((v >= 0.0f && v <= 1.0f));
    // the same bits with 1 thread and with several
    const int threads = num_threads();
    set_num_threads(1);
    Rng r3(5);
    const std::vector<float> one = augment(x, AugmentConfig{}, r3).values();
    set_num_threads(3);
    Rng r4(5);
    const std::vector<float> three = augment(x, AugmentConfig{}, r4).values();
    set_num_threads(threads);
    CHECK(one == three);
}

TEST_CASE("augment: the light gradient is a plane through the centre, within its bounds" *
          doctest::test_suite("ch02.augment")) {
    // a flat grey 5 x 9 photo, only the light on: out(y, x) = 0.5 (1 + g_x (x - 4) / 4 + g_y (y - 2) / 2)
    AugmentConfig light;
    light.max_shift = light.max_angle = light.max_brightness = light.max_contrast = 0;
    light.min_scale = light.max_scale = 1;
    light.flip = false;
    light.max_light_gradient = 0.4f;
    const Tensor x = Tensor::full({3, 1, 5, 9}, 0.5f);
    Rng rng(7);
    const Tensor out = augment(x, light, rng);
    bool some_light = false;
    for (int64_t n = 0; n < 3; ++n) {
        CAPTURE(n);
        CHECK(out.at({n, 0, 2, 4}) == doctest::Approx(0.5f));                // the centre is lit as before
        const float g_x = out.at({n, 0, 2, 8}) - out.at({n, 0, 2, 0});  // 0.5 (1 + g_x) - 0.5 (1 - g_x)
        const float g_y = out.at({n, 0, 4, 4}) - out.at({n, 0, 0, 4});  // the same down the middle column
        CHECK(std::abs(g_x) <= 0.4f + 1e-6f);
        CHECK(std::abs(g_y) <= 0.2f + 1e-6f);
        some_light |= std::abs(g_x) > 0.01f;
        for (int64_t y = 0; y < 5; ++y)
            for (int64_t c = 0; c < 9; ++c)
                CHECK(out.at({n, 0, y, c}) ==
                      doctest::Approx(0.5f * (1 + g_x * (c - 4) / 4.0f + g_y * (y - 2) / 2.0f)).epsilon(1e-5));
    }
    CHECK(some_light);
}

TEST_CASE("zoom: scale about the centre, bilinear; zoom(x, 1) ~ x" * doctest::test_suite("ch02.augment")) {
    // 3 x 3 image 0.0 .. 0.8; zoom 2 about the centre (1, 1): output (y, x) samples source (1 + (y-1)/2, ...)
    const Tensor x = Tensor::from({1, 1, 3, 3}, {0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f});
    const Tensor z = zoom(x, 2.0f);
    CHECK(z.at({0, 0, 0, 0}) == doctest::Approx(0.2f));  // mean of 0.0, 0.1, 0.3, 0.4
    CHECK(z.at({0, 0, 1, 1}) == doctest::Approx(0.4f));  // the centre stays
    CHECK(z.at({0, 0, 2, 2}) == doctest::Approx(0.6f));  // mean of 0.4, 0.5, 0.7, 0.8
    CHECK(testing::max_relative_error(zoom(x, 1.0f).values(), x.values()) < 1e-6);
    CHECK_THROWS_AS(zoom(x, 0.0f), Error);
    CHECK_THROWS_AS(zoom(Tensor::zeros({1, 3, 3}), 2.0f), Error);
}

TEST_CASE("pk_batches: P people x K photos, every person once per epoch" * doctest::test_suite("ch02.batches")) {
    // 5 people with 3, 3, 3, 3, 1 photos; P = 2 leaves one person over, who joins the last batch
    const std::vector<int> labels{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4};
    Rng rng(1);
    const auto batches = pk_batches(labels, 2, 2, rng);
    REQUIRE(batches.size() == 2);
    std::vector<int> seen(5, 0);
    for (const auto& b : batches)
        for (int64_t i : b) ++seen[labels[i]];
    CHECK(seen == std::vector<int>{2, 2, 2, 2, 1});  // K = 2 photos each, person 4 has only one
    CHECK(batches[0].size() == 4);
    CHECK(batches[1].size() == 5);
    CHECK_THROWS_AS(pk_batches(labels, 1, 2, rng), Error);
}

TEST_CASE("take_rows: gathered rows, gradient adds up over repeats" * doctest::test_suite("ch02.batches")) {
    const Tensor E = Tensor::from({3, 2}, {1, 2, 3, 4, 5, 6});
    CHECK(take_rows(E, {2, 0, 2}).values() == std::vector<float>{5, 6, 1, 2, 5, 6});
    CHECK(take_copy(E, {1}).values() == std::vector<float>{3, 4});
    Tensor e = E.clone().requires_grad_();
    sum(take_rows(e, {2, 0, 2})).backward();
    CHECK(e.grad().values() == std::vector<float>{1, 1, 0, 0, 2, 2});
    CHECK_THROWS_AS(take_rows(E, {3}), Error);
}
