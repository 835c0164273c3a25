// tests/chapters/test_09_original_colors.cpp: --original-colors, G's luminance with the content's colours.
#include "chapters/09_neural_style_transfer/original_colors.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::random_tensor;

TEST_CASE("keep_original_colors by hand" * doctest::test_suite("ch09.original_colors")) {
    // G's luminance, C's colour: a grey G takes C's hue; G = C comes back as C
    const Tensor C = random_tensor({3, 4, 4}, 1, 0.2f, 0.8f);
    CHECK(testing::max_relative_error(keep_original_colors(C, C).values(), C.values()) < 2e-3);
    const Tensor grey = Tensor::full({3, 4, 4}, 0.5f);
    const Tensor mixed = keep_original_colors(grey, C);
    const std::vector<float> m = mixed.values();
    for (int64_t i = 0; i < 16; ++i)  // the luminance stays G's: 0.299 R + 0.587 G + 0.114 B = 0.5
        CHECK(0.299 * m[i] + 0.587 * m[16 + i] + 0.114 * m[32 + i] == doctest::Approx(0.5).epsilon(2e-2));
}

