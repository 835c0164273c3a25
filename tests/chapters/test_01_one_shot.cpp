// tests/chapters/test_01_one_shot.cpp: d(x1, x2), verification, recognition and the 1:K arithmetic.
#include "chapters/01_one_shot_learning/one_shot.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

TEST_CASE("face_distance and verify: d <= tau opens the door" * doctest::test_suite("ch01.verify")) {
    const Tensor x1 = Tensor::from({2}, {1, 2}), x2 = Tensor::from({2}, {3, 5});
    CHECK(face_distance(x1, x2) == 13.0f);  // 2^2 + 3^2
    const Verdict yes = verify(x1, x2, 13.0f), no = verify(x1, x2, 12.9f);
    CHECK(yes.distance == 13.0f);
    CHECK(yes.same);
    CHECK_FALSE(no.same);
    CHECK_THROWS_WITH_AS(face_distance(x1, Tensor::zeros({3})),
                         "face_distance: expected two encodings of the same size, got (2,) and (3,)", Error);
}

TEST_CASE("who_is_it: closest person, best photo per person, unknown beyond tau" * doctest::test_suite("ch01.who_is_it")) {
    const Tensor db = Tensor::from({4, 2}, {0, 0, 5, 5, 1, 0, 0, 3});
    const std::vector<std::string> names{"kian", "kian", "anna", "bob"};
    const Tensor camera = Tensor::from({2}, {4, 4});
    // kian: min(32, 2) = 2; anna: 9 + 16 = 25; bob: 16 + 1 = 17
    const Identification id = who_is_it(camera, db, names, 2.0f);
    REQUIRE(id.ranking.size() == 3);
    CHECK(id.ranking[0].name == "kian");
    CHECK(id.ranking[0].distance == 2.0f);
    CHECK(id.ranking[1].name == "bob");
    CHECK(id.ranking[1].distance == 17.0f);
    CHECK(id.ranking[2].name == "anna");
    CHECK(id.known);
    CHECK(id.name() == "kian");
    CHECK(who_is_it(camera, db, names, 1.9f).name() == "unknown");
    CHECK_THROWS_AS(who_is_it(Tensor::zeros({3}), db, names, 1.0f), Error);
}

TEST_CASE("99% per comparison is not 99% at K = 100" * doctest::test_suite("ch01.arithmetic")) {
    CHECK(probability_all_correct(0.99, 100) == doctest::Approx(0.366032).epsilon(1e-5));
    CHECK(expected_errors(0.99, 100) == doctest::Approx(1.0));
    CHECK(probability_all_correct(0.99, 1) == doctest::Approx(0.99));
}
