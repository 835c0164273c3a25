// tests/chapters/test_03_identity_loss.cpp: the identification term trained beside the triplet loss
// (chapters/03_triplet_loss/identity_loss.hpp) by hand and by finite differences, and a tiny training run
// whose checkpointed head tells the training people apart.
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "chapters/03_triplet_loss/identity_loss.hpp"
#include "chapters/03_triplet_loss/train_triplet.hpp"
#include "data/synthetic_faces.hpp"
#include "io/checkpoint.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/shape_ops.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::error_of;
using convlab::testing::random_tensor;

using Inputs = std::vector<Tensor>;

TEST_CASE("identity_loss: hand-computed values; W's row lengths do not matter" *
          doctest::test_suite("ch03.identity_loss")) {
    // f(x_1) = (1, 0), f(x_2) = (0, 1); W rows (2, 0), (0, 3), (-1, 0) -> unit rows (1, 0), (0, 1), (-1, 0)
    const Tensor E = Tensor::from({2, 2}, {1, 0, 0, 1});
    const Tensor W = Tensor::from({3, 2}, {2, 0, 0, 3, -1, 0});
    // s = 2: z_1 = (2, 0, -2), label 0: -log(e^2 / (e^2 + 1 + e^-2)) = log(1 + e^-2 + e^-4) = 0.1429316
    //        z_2 = (0, 2, 0),  label 2: -log(1 / (1 + e^2 + 1))      = log(2 + e^2)          = 2.2395448
    // J_id = (0.1429316 + 2.2395448) / 2 = 1.1912382
    CHECK(identity_loss(E, W, {0, 2}, 2.0f).item() == doctest::Approx(1.1912382).epsilon(1e-5));
    // s = 0: every logit is 0, so J_id = log K whatever the labels
    CHECK(identity_loss(E, W, {0, 2}, 0.0f).item() == doctest::Approx(std::log(3.0)).epsilon(1e-6));
    // each W_k is normalised: scaling the rows changes nothing
    const Tensor W_scaled = W * Tensor::from({3, 1}, {0.1f, 7.0f, 2.5f});
    CHECK(identity_loss(E, W_scaled, {0, 2}, 2.0f).item() == doctest::Approx(1.1912382).epsilon(1e-5));
}

TEST_CASE("identity_loss: gradient matches central differences" * doctest::test_suite("ch03.identity_loss")) {
    const Tensor E = l2_normalize(random_tensor({5, 4}, 1), 1), W = random_tensor({3, 4}, 2);
    check_gradient([](const Inputs& x) { return identity_loss(x[0], x[1], {0, 2, 1, 2, 0}, 4.0f); }, {E, W}, 1e-3);
}

TEST_CASE("identity_loss: bad shapes and labels are named" * doctest::test_suite("ch03.identity_loss")) {
    const Tensor E = Tensor::zeros({2, 4}), W = Tensor::ones({3, 4});
    CHECK(error_of([&] { identity_loss(E, Tensor::ones({3, 5}), {0, 1}, 1.0f); }) ==
          "identity_loss: expected E (N, D) and W (K, D) with the same D, got (2, 4) and (3, 5)");
    CHECK(error_of([&] { identity_loss(E, W, {0, 3}, 1.0f); }).find("label 3") != std::string::npos);
    CHECK(error_of([&] { identity_loss(E, W, {0}, 1.0f); }).find("softmax_cross_entropy") != std::string::npos);
}

TEST_CASE("train_triplet with the identity term: the checkpointed head W tells the training people apart" *
          doctest::test_suite("ch03.integration")) {
    // 8 people x 4 photos of 20 x 16 pixels, 3 x 8 channels, 16-d encodings
    SyntheticFacesSpec spec;
    spec.people = 8, spec.per_person = 4, spec.height = 20, spec.width = 16;
    const FaceDataset train = synthetic_faces(spec);
    EncoderConfig ec;
    ec.height = 20, ec.width = 16, ec.channels = {8, 8}, ec.dim = 16;
    Rng rng(3);
    FaceEncoder f(ec, rng);
    TrainConfig tc;
    tc.epochs = 30, tc.P = 4, tc.K = 4, tc.lr = 5e-3f, tc.log_every = 0;
    const std::string path = "/tmp/convlab_identity_" + std::to_string(::getpid()) + ".ckpt";
    tc.checkpoint = optim::TrainingCheckpoint{path, 0};
    const IdentityTerm identity{1.0f, 16.0f};
    const TrainHistory h = train_triplet(f, train, tc, Mining::SemiHard, 1.0f, identity);
    Tensor W;
    for (const auto& [name, t] : load_checkpoint(path))
        if (name == "model.identity.W") W = t;
    std::remove(path.c_str());
    REQUIRE(W.defined());
    CHECK(W.shape() == Shape{8, 16});
    // before training J is about log 8 + triplet; the head now names the person of most training photos
    INFO("loss per epoch: first ", h.loss.front(), ", last ", h.loss.back());
    CHECK(h.loss.back() < 0.5f * h.loss.front());
    const Tensor z = matmul(encode_all(f, train.images, false), transpose(l2_normalize(W, 1)));
    int right = 0;
    for (int64_t i = 0; i < train.size(); ++i) {
        int best = 0;
        for (int k = 1; k < 8; ++k)
            if (z.at({i, k}) > z.at({i, best})) best = k;
        right += best == train.labels[size_t(i)];
    }
    INFO("training photos whose largest logit is their own person: ", right, " of ", train.size());
    CHECK(right >= 0.75 * double(train.size()));  // chance: 1 in 8
    CHECK_THROWS_AS(train_triplet(f, train, tc, Mining::SemiHard, 1.0f, IdentityTerm{-1.0f, 16.0f}), Error);
}
