// tests/chapters/test_04_metrics.cpp: the evaluation protocol's numbers on hand-made distances.
#include "face/metrics.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

TEST_CASE("roc_curve, roc_auc, equal_error_rate, choose_threshold by hand" * doctest::test_suite("ch04.metrics")) {
    // sorted: 0.1 G, 0.3 I, 0.4 G, 0.5 I, 0.6 I
    const PairDistances p{{0.1f, 0.4f}, {0.3f, 0.5f, 0.6f}};
    const std::vector<RocPoint> roc = roc_curve(p);
    REQUIRE(roc.size() == 6);
    CHECK(roc[1].tau == 0.1f);
    CHECK(roc[1].far == 0.0);
    CHECK(roc[1].tar == 0.5);
    CHECK(roc[3].tau == 0.4f);
    CHECK(roc[3].far == doctest::Approx(1.0 / 3));
    CHECK(roc[3].tar == 1.0);
    CHECK(roc[5].far == 1.0);
    // genuine 0.1 is closer than all 3 impostors, 0.4 than 2 of them: AUC = 5/6
    CHECK(roc_auc(p) == doctest::Approx(5.0 / 6));
    // a tie counts one half: (1 + 0.5) / 2
    CHECK(roc_auc(PairDistances{{0.3f}, {0.3f, 0.5f}}) == doctest::Approx(0.75));
    // FAR vs FRR: (0, .5) at 0.1, (1/3, .5) at 0.3, (1/3, 0) at 0.4 -> closest at 0.3, EER = (1/3 + 1/2) / 2
    const Eer eer = equal_error_rate(p);
    CHECK(eer.rate == doctest::Approx(5.0 / 12));
    CHECK(eer.tau == 0.3f);
    // TAR - FAR is largest at 0.4 (1 - 1/3); halfway to the next distance 0.5
    const float tau = choose_threshold(p);
    CHECK(tau == doctest::Approx(0.45));
    const Rates r = rates_at(p, tau);
    CHECK(r.tar == 1.0);
    CHECK(r.far == doctest::Approx(1.0 / 3));
    CHECK(r.accuracy == doctest::Approx(0.8));
    CHECK(r.balanced_accuracy == doctest::Approx(5.0 / 6));
}

TEST_CASE("choose_threshold for a target FAR: the largest tau that keeps FAR within it" *
          doctest::test_suite("ch04.metrics")) {
    // sorted: 0.1 G, 0.3 I, 0.4 G, 0.5 I, 0.6 I   (FAR 0, 1/3, 1/3, 2/3, 1 at those distances)
    const PairDistances p{{0.1f, 0.4f}, {0.3f, 0.5f, 0.6f}};
    // FAR <= 0.2: only the first genuine pair can be accepted, tau halfway to the impostor at 0.3
    CHECK(choose_threshold(p, 0.2) == doctest::Approx(0.2));
    CHECK(rates_at(p, choose_threshold(p, 0.2)).tar == 0.5);
    // FAR <= 0.34 allows one impostor: 0.4 is accepted too, the balanced choice here
    CHECK(choose_threshold(p, 0.34) == doctest::Approx(0.45));
    CHECK(choose_threshold(p, 0.34) == choose_threshold(p));
    CHECK(choose_threshold(p, 0.7) == doctest::Approx(0.55));
    // the closest pair is an impostor: FAR <= 0.1 accepts nothing, tau just below it
    const PairDistances q{{0.5f}, {0.2f, 0.9f}};
    const float none = choose_threshold(q, 0.1);
    CHECK(none < 0.2f);
    CHECK(none == doctest::Approx(0.2));
    CHECK(rates_at(q, none).tar == 0.0);
    CHECK(rates_at(q, none).far == 0.0);
    CHECK_THROWS_WITH_AS(choose_threshold(p, 1.0), "choose_threshold: target FAR must be in [0, 1), got 1", Error);
}

TEST_CASE("pair_distances splits the upper triangle by person" * doctest::test_suite("ch04.metrics")) {
    const Tensor D = Tensor::from({3, 3}, {0, 1, 2, 1, 0, 3, 2, 3, 0});
    const PairDistances p = pair_distances(D, {7, 7, 9});
    CHECK(p.genuine == std::vector<float>{1});
    CHECK(p.impostor == std::vector<float>{2, 3});
    CHECK_THROWS_WITH_AS(pair_distances(D, {0, 1}),
                         "pair_distances: expected a distance matrix (2, 2) for 2 labels, got (3, 3)", Error);
}

TEST_CASE("rank1_one_shot averages over the enrolment photo" * doctest::test_suite("ch04.metrics")) {
    // persons {0, 0, 1, 1}. e = 0: gallery {0, 2}; probe 1 -> 0 (right), probe 3: 0.25 to img 0 < 0.3 -> wrong.
    // e = 1: gallery {1, 3}; probe 0: 0.2 to img 1 (right), probe 2: 0.3 to img 3 (right).  (0.5 + 1) / 2
    const Tensor D = Tensor::from({4, 4}, {0, 0.2f, 0.5f, 0.25f, 0.2f, 0, 0.9f, 0.8f, 0.5f, 0.9f, 0, 0.3f,
                                           0.25f, 0.8f, 0.3f, 0});
    CHECK(rank1_one_shot(D, {0, 0, 1, 1}) == doctest::Approx(0.75));
    // a fifth photo, of a person with only that one, close to everything: left out, the same 0.75
    std::vector<float> d5(25, 0.01f);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) d5[i * 5 + j] = D.at({i, j});
    d5[24] = 0;
    CHECK(rank1_one_shot(Tensor::from({5, 5}, d5), {0, 0, 1, 1, 2}) == doctest::Approx(0.75));
}

TEST_CASE("open_set: TAR of enrolled people and FAR of strangers at tau" * doctest::test_suite("ch04.metrics")) {
    // persons {0, 0, 1, 1, 2, 2}; 0 and 1 enrolled, 2 is a stranger; tau = 0.45.
    // e = 0: gallery {0, 2}. probe 1 -> img 0 at 0.2 (accept); probe 3 -> img 2 at 0.5 (reject); stranger 5 -> 0.4 (let in)
    // e = 1: gallery {1, 3}. probe 0 -> img 1 at 0.2 (accept); probe 2 -> img 3 at 0.5 (reject); stranger 4 -> 0.6 (kept out)
    std::vector<float> d(36, 1.0f);
    auto set = [&](int i, int j, float v) { d[i * 6 + j] = d[j * 6 + i] = v; };
    for (int i = 0; i < 6; ++i) d[i * 6 + i] = 0;
    set(0, 1, 0.2f), set(0, 3, 0.6f), set(0, 5, 0.4f), set(1, 2, 0.7f), set(1, 4, 0.8f), set(2, 3, 0.5f),
        set(2, 5, 0.9f), set(3, 4, 0.6f);
    const OpenSet o = open_set(Tensor::from({6, 6}, d), {0, 0, 1, 1, 2, 2}, {0, 1}, 0.45f);
    CHECK(o.tar == doctest::Approx(0.5));
    CHECK(o.far == doctest::Approx(0.5));
}
