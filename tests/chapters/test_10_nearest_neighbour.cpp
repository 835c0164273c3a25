// tests/chapters/test_10_nearest_neighbour.cpp: the 1-NN Euclidean baseline of chapter 10.
#include "chapters/10_conv1d_ecg/nearest_neighbour.hpp"
#include "data/ucr.hpp"
#include "tests/support/check.hpp"

#include <filesystem>

using namespace convlab;

TEST_CASE("nearest_neighbour: hand-placed series" * doctest::test_suite("ch10.nearest_neighbour")) {
    INFO("each test series takes the label of the training series at the smallest Euclidean distance (the "
         "first on a tie)");
    // training series (0 0 0) -> 7, (4 4 4) -> 9; test (1 1 0) is nearer the first, (3 2 5) the second,
    // (2 2 2) is as far from both (d^2 = 12) and takes the first.
    const Tensor train = Tensor::from({2, 1, 3}, {0, 0, 0, 4, 4, 4});
    const Tensor test = Tensor::from({3, 1, 3}, {1, 1, 0, 3, 2, 5, 2, 2, 2});
    CHECK(nearest_neighbour(train, {7, 9}, test) == std::vector<int>{7, 9, 7});
    CHECK(accuracy({7, 9, 7}, {7, 9, 9}) == doctest::Approx(2.0 / 3.0));
    CHECK_THROWS_AS(nearest_neighbour(train, {7}, test), Error);
    CHECK_THROWS_AS(nearest_neighbour(train, {7, 9}, Tensor::zeros({3, 1, 4})), Error);
    CHECK_THROWS_AS(accuracy({1}, {}), Error);
}

TEST_CASE("nearest_neighbour: 0.88 on ECG200, the UCR archive's number" * doctest::test_suite("ch10.nearest_neighbour")) {
    const std::string data = convlab::testing::shared_data_dir();
    if (data.empty() || !std::filesystem::exists(data + "/ecg/ECG200_TEST.txt")) {
        MESSAGE("shared data not found: skipping ECG200");
        return;
    }
    const UcrSet train = load_ucr(data + "/ecg/ECG200_TRAIN.txt"), test = load_ucr(data + "/ecg/ECG200_TEST.txt");
    CHECK(accuracy(nearest_neighbour(train.X, train.label, test.X), test.label) == doctest::Approx(0.88));
}
