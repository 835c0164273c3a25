// tests/data/test_single_photo.cpp
//
// People with a single photo in a face data set. They can only ever be "someone else" (a negative, one side
// of an impostor pair): the splits refuse a half where fewer than 2 people have two photos, naming the
// person's folder, and the training losses take a batch made of such people without stopping.
#include <cmath>

#include "chapters/04_face_verification/binary_verifier.hpp"
#include "face/folds.hpp"
#include "face/metrics.hpp"
#include "face/train_triplet.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

// people s1, s2, ... with photos[p] photos each, as files /data/s<p>/<k>.pgm (the images are blank)
FaceDataset people_with(const std::vector<int>& photos) {
    FaceDataset ds;
    ds.source = "/data";
    for (size_t p = 0; p < photos.size(); ++p) {
        ds.people.push_back("s" + std::to_string(p + 1));
        for (int k = 1; k <= photos[p]; ++k) {
            ds.labels.push_back(static_cast<int>(p));
            ds.files.push_back("/data/" + ds.people.back() + "/" + std::to_string(k) + ".pgm");
        }
    }
    ds.images = Tensor::zeros({ds.size(), 1, 4, 4});
    return ds;
}

}  // namespace

TEST_CASE("check_pairs: 2 people with two photos are enough; else the person with one is named" *
          doctest::test_suite("face.folds")) {
    CHECK_NOTHROW(check_pairs(people_with({2, 1, 3}), "three people"));
    CHECK_THROWS_WITH_AS(check_pairs(people_with({2, 1}), "the test people"),
                         "the test people: need at least 2 people with 2 or more photos each (one to enrol or anchor, "
                         "one to compare), got 1 of 2; /data/s2 has 1 photo", Error);
    CHECK_THROWS_WITH_AS(check_pairs(people_with({1, 1, 1}), "x"),
                         doctest::Contains("got 0 of 3; /data/s1 has 1 photo (and 2 more people have 1)"), Error);
    CHECK_THROWS_WITH_AS(check_pairs(people_with({5}), "x"),
                         "x: need at least 2 people with 2 or more photos each (one to enrol or anchor, one to "
                         "compare), got 1 of 1", Error);
}

TEST_CASE("split_fold and split_validation: a single photo is fine among the training people, named in a test fold" *
          doctest::test_suite("face.folds")) {
    // 8 people, 4 folds: fold 1 tests s1, s2 and trains on s3..s8
    const Split s = split_fold(people_with({2, 2, 2, 2, 2, 2, 1, 2}), 4, 0);
    CHECK(s.train.people.size() == 6);
    CHECK(s.train.images_of(4).size() == 1);  // s7, kept: a negative for the others
    CHECK_THROWS_WITH_AS(split_fold(people_with({1, 2, 2, 2, 2, 2, 2, 2}), 4, 0),
                         "split_fold: fold 1 of 4: the test people (s1 .. s2): need at least 2 people with 2 or more "
                         "photos each (one to enrol or anchor, one to compare), got 1 of 2; /data/s1 has 1 photo",
                         Error);
    CHECK_THROWS_WITH_AS(split_fold(people_with({2, 2, 1, 1, 1, 1, 1, 2}), 4, 0),
                         doctest::Contains("split_fold: fold 1 of 4: the training people: need at least 2 people "
                                           "with 2 or more photos each (one to enrol or anchor, one to compare), got "
                                           "1 of 6; /data/s3 has 1 photo (and 4 more people have 1)"),
                         Error);
    // validation leaves fold 1's test people out entirely, single photos or not: trains on s3..s6, scores s7, s8
    const Split v = split_validation(people_with({1, 1, 2, 2, 2, 2, 2, 2}), 4, 0, 2);
    CHECK(v.test.people == std::vector<std::string>{"s7", "s8"});
    CHECK_THROWS_WITH_AS(split_validation(people_with({2, 2, 2, 2, 2, 2, 1, 2}), 4, 0, 2),
                         doctest::Contains("split_validation: fold 1 of 4: the test people (s7 .. s8): need at least 2 "
                                           "people"),
                         Error);
}

TEST_CASE("split_calibration: people with a single photo are skipped, and stay on the training side" *
          doctest::test_suite("face.folds")) {
    // 9 people, a third held out: the last 3 with two photos are s5, s6, s9 (s7, s8 have one)
    const Split c = *split_calibration(people_with({2, 2, 2, 2, 2, 2, 1, 1, 2}), 10, "calibration");
    CHECK(c.test.people == std::vector<std::string>{"s5", "s6", "s9"});
    CHECK(c.train.people == std::vector<std::string>{"s1", "s2", "s3", "s4", "s7", "s8"});
    // three people with two photos: holding out 2 would leave 1 to learn from, so no calibration split
    CHECK(!split_calibration(people_with({1, 1, 1, 2, 2, 2}), 10, "calibration"));
    CHECK(split_calibration(people_with({1, 2, 1, 2, 2, 2}), 10, "calibration")->test.people ==
          std::vector<std::string>{"s5", "s6"});
}

TEST_CASE("rank1_one_shot: fewer than 2 people with two photos is an error saying so" *
          doctest::test_suite("ch04.metrics")) {
    CHECK_THROWS_WITH_AS(rank1_one_shot(Tensor::zeros({3, 3}), {0, 0, 1}),
                         "rank1_one_shot: need at least 2 people with 2 or more photos each (one to enrol, one to "
                         "probe), got 1", Error);
}

TEST_CASE("mined_triplet_loss: a batch of people with one photo each has no triplet: J = 0, zero gradient" *
          doctest::test_suite("ch03.integration")) {
    Tensor E = Tensor::from({3, 2}, {0.6f, 0.8f, 1, 0, 0, -1});
    E.requires_grad_();
    Rng rng(3);
    const Tensor J = mined_triplet_loss(E, {0, 1, 2}, Mining::SemiHard, kTripletAlpha, rng);
    CHECK(J.item() == 0.0f);
    J.backward();
    CHECK(E.grad().values() == std::vector<float>(6, 0.0f));
}

TEST_CASE("pairwise_bce_loss: without same-person pairs, half the mean over different-person pairs" *
          doctest::test_suite("ch04.binary_verifier")) {
    // w = -1, b = 8 (the verifier's start): z = 8 - sum_k |f_i - f_j|_k = 7, 6, 5 for the pairs (0,1) (0,2) (1,2);
    // y = 0 for all: J = 1/2 * mean log(1 + e^z)
    const BinaryVerifier v(2, PairFeature::Abs);
    const Tensor E = Tensor::from({3, 2}, {0, 0, 1, 0, 0, 2});
    const double expected =
        0.5 * (std::log1p(std::exp(7.0)) + std::log1p(std::exp(6.0)) + std::log1p(std::exp(5.0))) / 3;
    CHECK(pairwise_bce_loss(v, E, {0, 1, 2}).item() == doctest::Approx(expected).epsilon(1e-5));
    CHECK_THROWS_WITH_AS(pairwise_bce_loss(v, E, {4, 4, 4}),
                         "pairwise_bce_loss: the batch needs photos of 2 or more people, got 3 photos of one", Error);
}
