// tests/data/test_ucr.cpp: the UCR text loader, its error messages, and the real ECG200 files.
#include "tests/support/check.hpp"

#include <algorithm>
#include <filesystem>

#include "data/ucr.hpp"

using namespace convlab;

TEST_CASE("parse_ucr: labels, samples and the (N, 1, L) layout" * doctest::test_suite("data.ucr")) {
    const UcrSet s = parse_ucr("-1.0e+00  0.5 -0.25  2\n\n 1.0000000e+00\t3 4 5e-1\n", "tiny.txt");
    CHECK(s.name == "tiny.txt");
    CHECK(s.X.shape() == Shape{2, 1, 3});
    CHECK(s.X.values() == std::vector<float>{0.5f, -0.25f, 2.0f, 3.0f, 4.0f, 0.5f});
    CHECK(s.label == std::vector<int>{-1, 1});
    CHECK(s.size() == 2);
    CHECK(s.length() == 3);
}

TEST_CASE("parse_ucr: a malformed line is named with its line number" * doctest::test_suite("data.ucr")) {
    CHECK_THROWS_WITH_AS(parse_ucr("1 0.1 0.2 0.3\n-1 0.1 0.2\n", "a.txt"),
                         "ucr: a.txt line 2: expected 3 samples after the label (as on line 1), got 2", Error);
    CHECK_THROWS_WITH_AS(parse_ucr("\n1 0.1 0.2\n-1 0.1 abc\n", "b.txt"),
                         "ucr: b.txt line 3: sample 'abc' is not a finite number", Error);
    CHECK_THROWS_WITH_AS(parse_ucr("1 0.1 nan\n", "c.txt"), "ucr: c.txt line 1: sample 'nan' is not a finite number",
                         Error);
    CHECK_THROWS_WITH_AS(parse_ucr("1.5 0.1 0.2\n", "d.txt"),
                         "ucr: d.txt line 1: expected a whole-number class label, got 1.5", Error);
    CHECK_THROWS_WITH_AS(parse_ucr("2\n", "e.txt"), "ucr: e.txt line 1: expected samples after the label, got none",
                         Error);
    CHECK_THROWS_WITH_AS(parse_ucr(" \n\n", "f.txt"), "ucr: f.txt: expected one series per line, got an empty file",
                         Error);
    CHECK_THROWS_AS(load_ucr("/nonexistent/ECG200_TRAIN.txt"), Error);
}

TEST_CASE("ucr_classes and ucr_class_index map labels to 0..K-1" * doctest::test_suite("data.ucr")) {
    const std::vector<int> classes = ucr_classes({1, -1, 1, 1, -1});
    CHECK(classes == std::vector<int>{-1, 1});
    CHECK(ucr_class_index({1, -1, 1}, classes) == std::vector<int>{1, 0, 1});
    CHECK_THROWS_WITH_AS(ucr_class_index({3}, classes), "ucr_class_index: label 3 is not one of the 2 training classes",
                         Error);
}

TEST_CASE("load_ucr: ECG200 has 100 + 100 beats of 96 samples, 31/69 and 36/64" * doctest::test_suite("data.ucr")) {
    const std::string data = convlab::testing::shared_data_dir();
    if (data.empty() || !std::filesystem::exists(data + "/ecg/ECG200_TRAIN.txt")) {
        MESSAGE("shared data not found: skipping the ECG200 check");
        return;
    }
    const UcrSet train = load_ucr(data + "/ecg/ECG200_TRAIN.txt");
    const UcrSet test = load_ucr(data + "/ecg/ECG200_TEST.txt");
    CHECK(train.X.shape() == Shape{100, 1, 96});
    CHECK(test.X.shape() == Shape{100, 1, 96});
    CHECK(ucr_classes(train.label) == std::vector<int>{-1, 1});
    CHECK(std::count(train.label.begin(), train.label.end(), -1) == 31);
    CHECK(std::count(test.label.begin(), test.label.end(), -1) == 36);
    CHECK(train.X.at({0, 0, 0}) == doctest::Approx(0.50205548));  // the first sample of the file
}

TEST_CASE("load_ucr: ECG5000_TRAIN has 500 beats of 140 samples in 5 classes" * doctest::test_suite("data.ucr")) {
    const std::string data = convlab::testing::shared_data_dir();
    if (data.empty() || !std::filesystem::exists(data + "/ecg/ECG5000_TRAIN.txt")) {
        MESSAGE("shared data not found: skipping the ECG5000 check");
        return;
    }
    const UcrSet train = load_ucr(data + "/ecg/ECG5000_TRAIN.txt");
    CHECK(train.X.shape() == Shape{500, 1, 140});
    const std::vector<int> classes = ucr_classes(train.label);
    CHECK(classes == std::vector<int>{1, 2, 3, 4, 5});
    const std::vector<int> index = ucr_class_index(train.label, classes);
    std::vector<int> count(5, 0);
    for (const int k : index) ++count[k];
    CHECK(count == std::vector<int>{292, 177, 10, 19, 2});  // as the UCR archive lists them
}
