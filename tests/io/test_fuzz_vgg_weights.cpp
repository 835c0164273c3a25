// tests/io/test_fuzz_vgg_weights.cpp
//
// The seed corpus of the VGG-19 weights fuzz target (tests/fuzz/targets.hpp: vgg_weights) must mean what it
// says: the valid reduced-width file loads, the damaged ones are refused with an error naming the file, the
// tensor, the expected and the actual. (test_fuzz_regressions.cpp replays the seeds and any reproducers
// through the target itself.)
#include <filesystem>

#include "tests/fuzz/targets.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;
using namespace convlab;

static const std::string kSeeds = "tests/fuzz/corpus/vgg_weights/";

TEST_CASE("vgg_weights seeds: the valid width/64 file loads, the damaged ones name the tensor" *
          doctest::test_suite("fuzz.regressions")) {
    REQUIRE_MESSAGE(fs::is_directory(kSeeds), "run the tests from the repository root: no " << kSeeds);
    const Vgg19 net = Vgg19::from_file(kSeeds + "width64.weights", fuzz::kVggFuzzWidthDivisor);
    REQUIRE(net.weights().size() == 32);
    CHECK(net.weights().front().first == "conv1_1.weight");
    CHECK(net.weights().front().second.shape() == Shape{1, 3, 3, 3});
    CHECK(net.weights().back().second.shape() == Shape{8});  // conv5_4.bias: 512 / 64 channels

    CHECK_THROWS_WITH_AS(Vgg19::from_file(kSeeds + "wrong_shape.weights", fuzz::kVggFuzzWidthDivisor),
                         doctest::Contains("wrong_shape.weights': tensor 'conv3_1.weight' has shape (4, 3, 3, 3) in "
                                           "the file, expected (4, 2, 3, 3)"),
                         Error);
    CHECK_THROWS_WITH_AS(Vgg19::from_file(kSeeds + "conv1_1_only.weights", fuzz::kVggFuzzWidthDivisor),
                         doctest::Contains("missing tensor 'conv1_2.weight' (the file holds 2 tensors)"), Error);
    // the valid file is no full-width VGG-19
    CHECK_THROWS_WITH_AS(Vgg19::from_file(kSeeds + "width64.weights"),
                         doctest::Contains("tensor 'conv1_1.weight' has shape (1, 3, 3, 3) in the file, expected "
                                           "(64, 3, 3, 3)"),
                         Error);
}
