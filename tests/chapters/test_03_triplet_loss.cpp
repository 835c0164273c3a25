// tests/chapters/test_03_triplet_loss.cpp: the triplet loss by hand and by finite differences, and triplet
// mining on a hand-made distance matrix, and a tiny training run.
#include "data/synthetic_faces.hpp"
#include "face/metrics.hpp"
#include "face/mining.hpp"
#include "face/train_triplet.hpp"
#include "face/triplet_loss.hpp"
#include "ops/distance.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

using Inputs = std::vector<Tensor>;

TEST_CASE("triplet_loss: hand-computed values, margin and the zero-loss case" * doctest::test_suite("ch03.triplet_loss")) {
    // row 0: A = (0, 0), P = (1, 0), N = (0, 2):   d(A,P) = 1, d(A,N) = 4
    // row 1: A = (1, 0), P = (1, 1), N = (1, 0.5): d(A,P) = 1, d(A,N) = 0.25
    const Tensor A = Tensor::from({2, 2}, {0, 0, 1, 0});
    const Tensor P = Tensor::from({2, 2}, {1, 0, 1, 1});
    const Tensor N = Tensor::from({2, 2}, {0, 2, 1, 0.5f});
    // alpha = 0.2: max(1 - 4 + 0.2, 0) + max(1 - 0.25 + 0.2, 0) = 0 + 0.95
    CHECK_MESSAGE(triplet_loss(A, P, N, 0.2f).item() == doctest::Approx(0.95),
                  "did you take max(., 0)? row 0 gives max(1 - 4 + 0.2, 0) = 0, row 1 gives 0.95");
    // alpha = 3.5: (1 - 4 + 3.5) + (1 - 0.25 + 3.5) = 0.5 + 4.25
    CHECK_MESSAGE(triplet_loss(A, P, N, 3.5f).item() == doctest::Approx(4.75),
                  "J = sum over the rows of max(||f_A - f_P||^2 - ||f_A - f_N||^2 + alpha, 0): squared distances, "
                  "the sum over rows (not the mean)");
    // only row 0, already separated by more than alpha: zero loss, and zero gradient
    Tensor a0 = A.slice(0, 0, 1).clone().requires_grad_();
    const Tensor zero = triplet_loss(a0, P.slice(0, 0, 1), N.slice(0, 0, 1), 0.2f);
    CHECK_MESSAGE(zero.item() == 0.0f, "a triplet separated by more than alpha costs max(negative, 0) = 0");
    zero.backward();
    const std::vector<float> no_gradient{0, 0};
    CHECK_MESSAGE(a0.grad().values() == no_gradient, "max(., 0) through relu: a satisfied triplet gives zero gradient");
    CHECK_THROWS_AS(triplet_loss(A, P, N.slice(0, 0, 1), 0.2f), Error);
}

TEST_CASE("triplet_loss: gradient matches central differences" * doctest::test_suite("ch03.triplet_loss")) {
    // alpha = 10 keeps every triplet active (no kink at max(., 0)); the second call mixes active and inactive
    // rows, with the negatives pushed far from the anchors so no row sits near the kink.
    const Tensor A = random_tensor({4, 6}, 1), P = random_tensor({4, 6}, 2), N = random_tensor({4, 6}, 3);
    check_gradient([](const Inputs& x) { return triplet_loss(x[0], x[1], x[2], 10.0f); }, {A, P, N});
    const Tensor far = N + Tensor::from({4, 1}, {0, 5, 0, 5});
    check_gradient([](const Inputs& x) { return triplet_loss(x[0], x[1], x[2], 1.0f); }, {A, P, far});
}

// Hand-made distances between 5 images of persons {0, 0, 1, 2, 3}; the only anchor-positive pairs are
// (0, 1) and (1, 0), with d(A, P) = 0.5.
static Tensor hand_distances() {
    return Tensor::from({5, 5}, {0.0f, 0.5f, 0.3f, 0.9f, 0.7f,  //
                                 0.5f, 0.0f, 0.6f, 0.2f, 0.4f,  //
                                 0.3f, 0.6f, 0.0f, 1.0f, 1.0f,  //
                                 0.9f, 0.2f, 1.0f, 0.0f, 1.0f,  //
                                 0.7f, 0.4f, 1.0f, 1.0f, 0.0f});
}
static const std::vector<int> kLabels{0, 0, 1, 2, 3};

static std::vector<int64_t> negatives(const std::vector<Triplet>& t) {
    std::vector<int64_t> n;
    for (const Triplet& x : t) n.push_back(x.n);
    return n;
}

TEST_CASE("select_triplets: hard and semi-hard negatives on a hand-made matrix" * doctest::test_suite("ch03.hard_mining")) {
    INFO("Hard: argmin_n d(A, N); SemiHard: argmin_n d(A, N) over d(A, N) > d(A, P), else the farthest; one "
         "triplet per anchor-positive pair");
    Rng rng(1);
    const std::vector<Triplet> hard = select_triplets(hand_distances(), kLabels, Mining::Hard, rng);
    REQUIRE(hard.size() == 2);
    CHECK(hard[0].a == 0);
    CHECK(hard[0].p == 1);
    CHECK(hard[1].a == 1);
    CHECK(hard[1].p == 0);
    // anchor 0: negatives at 0.3 (img 2), 0.9, 0.7 -> hardest is img 2; anchor 1: 0.6, 0.2 (img 3), 0.4
    CHECK(negatives(hard) == std::vector<int64_t>{2, 3});
    // semi-hard: the closest negative beyond d(A,P) = 0.5: anchor 0 -> 0.7 (img 4), anchor 1 -> 0.6 (img 2)
    CHECK(negatives(select_triplets(hand_distances(), kLabels, Mining::SemiHard, rng)) == std::vector<int64_t>{4, 2});
    // every negative closer than the positive (d(A,P) = 1): semi-hard falls back to the farthest negative
    const Tensor close = Tensor::from({4, 4}, {0, 1, 0.2f, 0.4f, 1, 0, 0.3f, 0.1f, 0.2f, 0.3f, 0, 1, 0.4f, 0.1f, 1, 0});
    CHECK(negatives(select_triplets(close, {0, 0, 1, 2}, Mining::SemiHard, rng)) == std::vector<int64_t>{3, 2});
}

TEST_CASE("select_triplets: random negatives are other people, reproducible from the seed" *
          doctest::test_suite("ch03.hard_mining")) {
    // 3 people x 3 photos: 3 * 3 * 2 = 18 anchor-positive pairs
    const std::vector<int> labels{0, 0, 0, 1, 1, 1, 2, 2, 2};
    const Tensor D = random_tensor({9, 9}, 5, 0.0f, 2.0f);
    Rng r1(7), r2(7);
    const std::vector<Triplet> t1 = select_triplets(D, labels, Mining::Random, r1);
    REQUIRE(t1.size() == 18);
    for (const Triplet& t : t1) {
        CHECK(labels[t.a] == labels[t.p]);
        CHECK(t.a != t.p);
        CHECK(labels[t.n] != labels[t.a]);
    }
    CHECK(negatives(select_triplets(D, labels, Mining::Random, r2)) == negatives(t1));
    CHECK_THROWS_WITH_AS(select_triplets(D, {0, 1}, Mining::Hard, r1),
                         "select_triplets: expected D of shape (2, 2) for 2 labels, got (9, 9)", Error);
    CHECK(parse_mining("semi-hard") == Mining::SemiHard);
    CHECK_THROWS_WITH_AS(parse_mining("easy"), "mining: expected random, hard or semi-hard, got \"easy\"", Error);
}

TEST_CASE("train_triplet: a tiny run lowers the loss and beats raw pixels on unseen people" *
          doctest::test_suite("ch03.integration")) {
    const FaceDataset all = synthetic_faces({24, 6, 28, 24, /*seed=*/5});
    std::vector<int> train_ids, test_ids;
    for (int p = 0; p < 24; ++p) (p < 16 ? train_ids : test_ids).push_back(p);
    const FaceDataset train = select_people(all, train_ids), test = select_people(all, test_ids);
    EncoderConfig ec;
    ec.height = 28;
    ec.width = 24;
    ec.channels = {8, 16, 16};
    ec.dim = 32;
    Rng rng(1);
    FaceEncoder f(ec, rng);
    // the loss on the whole training set with one fixed set of random triplets, before and after
    auto fixed_loss = [&] {
        Rng triplet_rng(9);
        return mined_triplet_loss(encode_all(f, train.images), train.labels, Mining::Random, 0.5f, triplet_rng).item();
    };
    const float before = fixed_loss();
    TrainConfig tc;
    tc.epochs = 12;
    tc.P = 8;
    tc.K = 4;
    tc.lr = 3e-3f;
    tc.log_every = 0;
    train_triplet(f, train, tc, Mining::SemiHard, 0.5f);
    const float after = fixed_loss();
    INFO("triplet loss on the training people: ", before, " -> ", after);
    CHECK(after < 0.5f * before);
    const Tensor pixels = test.images.reshape({test.size(), -1}), E = encode_all(f, test.images);
    const double raw = rank1_one_shot(pairwise_sq_distances(pixels, pixels), test.labels);
    const double learned = rank1_one_shot(pairwise_sq_distances(E, E), test.labels);
    INFO("rank-1 on 8 unseen people: raw pixels ", raw, ", triplet encoder ", learned);
    CHECK(learned > raw + 0.1);
}
