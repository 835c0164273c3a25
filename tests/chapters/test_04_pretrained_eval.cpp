// tests/chapters/test_04_pretrained_eval.cpp
//
// The k-fold protocol on precomputed descriptors (chapters/04_face_verification/pretrained_eval.hpp).
#include <doctest/doctest.h>

#include "chapters/04_face_verification/pretrained_eval.hpp"

using namespace convlab;

TEST_CASE("descriptor_distances: Euclidean, by hand" * doctest::test_suite("ch04.pretrained")) {
    // (0, 0), (3, 4), (6, 8): d = 5 between neighbours, 10 between the ends
    const std::vector<std::vector<float>> f = {{0, 0}, {3, 4}, {6, 8}};
    CHECK(descriptor_distances(f, {0, 1, 2}).values() == std::vector<float>{0, 5, 10, 5, 0, 5, 10, 5, 0});
    CHECK(descriptor_distances(f, {2, 0}).values() == std::vector<float>{0, 10, 10, 0});
}

TEST_CASE("score_pretrained_fold: the test people's pairs, tau from the others" * doctest::test_suite("ch04.pretrained")) {
    // 4 people x 2 photos on a line; 2 folds: fold 1 tests people 0 and 1, fold 2 people 2 and 3.
    FaceDataset ds;
    ds.people = {"a", "b", "c", "d"};
    ds.labels = {0, 0, 1, 1, 2, 2, 3, 3};
    PhotoDescriptors photos;
    // a: 0, 0.2   b: 1, 1.2   c: 2, 2.5   d: 2.6, 3.0  (c and d overlap: 2.5 is nearer d's 2.6 than c's 2)
    for (float x : {0.0f, 0.2f, 1.0f, 1.2f, 2.0f, 2.5f, 2.6f, 3.0f}) photos.f.push_back({x});
    const Scores first = score_pretrained_fold(ds, photos, 2, 0);
    CHECK(first.auc == doctest::Approx(1.0));    // genuine 0.2, 0.2 against impostors >= 0.8
    CHECK(first.rank1 == doctest::Approx(1.0));
    CHECK(first.eer == doctest::Approx(0.0));
    // tau is chosen on people c and d, whose pairs overlap: it lies between their distances
    CHECK(first.tau > 0.0f);
    const Scores second = score_pretrained_fold(ds, photos, 2, 1);
    // genuine 0.5 (c), 0.4 (d); impostors 0.6, 1.0, 0.1, 0.5: 0.5 beats 2 and ties 1 (2.5), 0.4 beats 3: 5.5 / 8
    CHECK(second.auc == doctest::Approx(5.5 / 8));
}
