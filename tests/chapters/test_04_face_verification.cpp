// tests/chapters/test_04_face_verification.cpp: the binary verifier, the folds, and the pretrained networks
// on a fold of ORL. (The enrolment database and the face tool: test_04_face_tool.cpp.)
#include "chapters/04_face_verification/protocol.hpp"
#include "chapters/04_face_verification/scratch_vs_pretrained.hpp"
#include "data/synthetic_faces.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "face/pretrained/models.hpp"
#include "tests/support/check.hpp"
#include "tests/support/face_reference.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;

using Inputs = std::vector<Tensor>;

TEST_CASE("binary verifier: hand-computed logits for |.| and chi-square" * doctest::test_suite("ch04.binary_verifier")) {
    INFO("z = sum_k w_k pair_feature_k + b; Abs: |f_i - f_j|, ChiSquare: (f_i - f_j)^2 / (|f_i| + |f_j| + eps)");
    BinaryVerifier v(2, PairFeature::Abs);
    v.w.copy_(Tensor::from({2}, {-2, 1}));
    v.b.copy_(Tensor::from({1}, {0.5f}));
    const Tensor fi = Tensor::from({1, 2}, {0.5f, 0.5f}), fj = Tensor::from({1, 2}, {0.25f, -0.5f});
    // z = -2 |0.5 - 0.25| + 1 |0.5 + 0.5| + 0.5 = -0.5 + 1 + 0.5 = 1
    CHECK(v.logits(fi, fj).item() == doctest::Approx(1.0f));
    // chi-square: (0.25^2 / 0.75) = 1/12 and (1^2 / 1) = 1: z = -2/12 + 1 + 0.5
    BinaryVerifier c(2, PairFeature::ChiSquare);
    c.w.copy_(v.w);
    c.b.copy_(v.b);
    CHECK(c.logits(fi, fj).item() == doctest::Approx(-2.0 / 12 + 1.5).epsilon(1e-3));
    CHECK(std::string(pair_feature_name(PairFeature::ChiSquare)) == "chi-square");
    CHECK_THROWS_AS(v(fi), Error);
}

TEST_CASE("binary verifier: gradients of the pairwise loss" * doctest::test_suite("ch04.binary_verifier")) {
    INFO("build z from tensor ops (abs, square, /, *, sum) so that autodiff reaches w and b");
    // encodings away from 0 (|.| has a kink at f_i = f_j): rows differ by at least 0.1 in every component
    const std::vector<int> labels{0, 0, 1, 1};
    for (PairFeature feature : {PairFeature::Abs, PairFeature::ChiSquare}) {
        BinaryVerifier v(3, feature);
        Tensor E = Tensor::from({4, 3}, {0.9f, -0.4f, 0.2f, 0.5f, 0.3f, 0.6f, -0.2f, 0.8f, -0.7f, 0.3f, -0.6f, 0.9f});
        check_gradient(
            [&](const Inputs& in) {
                v.w = in[1];  // the member handle: logits() reads it
                return pairwise_bce_loss(v, in[0], labels);
            },
            {E, random_tensor({3}, 2)});
        // the parameters w, b receive gradients too
        v.zero_grad();
        pairwise_bce_loss(v, E, labels).backward();
        CHECK(v.b.grad().defined());
    }
}

TEST_CASE("binary verifier on a frozen encoder: only w and b move, and the loss falls" *
          doctest::test_suite("ch04.binary_verifier")) {
    SyntheticFacesSpec spec;
    spec.people = 6, spec.per_person = 3, spec.height = 12, spec.width = 10;
    const FaceDataset ds = synthetic_faces(spec);
    EncoderConfig c;
    c.height = 12, c.width = 10, c.channels = {4, 6}, c.dim = 8;
    Rng rng(1);
    FaceEncoder f(c, rng);
    BinaryVerifier v(c.dim, PairFeature::Abs);
    const std::vector<float> E_before = encode_all(f, ds.images).values(), w_before = v.w.values();
    TrainConfig tc;
    tc.epochs = 30, tc.P = 3, tc.K = 3, tc.lr = 0.05f, tc.log_every = 0, tc.freeze_encoder = true;
    const TrainHistory h = train_binary_verifier(f, v, ds, tc);
    CHECK(encode_all(f, ds.images).values() == E_before);  // f, BatchNorm statistics included, untouched
    CHECK(v.w.values() != w_before);
    CHECK(h.loss.back() < h.loss.front());
}

TEST_CASE("folds: identity-disjoint, people k*P/F .. (k+1)*P/F - 1" * doctest::test_suite("ch04.protocol")) {
    CHECK(fold_people(40, 4, 0) == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(fold_people(40, 4, 3).front() == 30);
    CHECK(fold_people(10, 4, 1) == std::vector<int>{2, 3, 4});
    CHECK_THROWS_AS(fold_people(40, 4, 4), Error);
    const MeanStd m = mean_std({1, 3});
    CHECK(m.mean == 2.0);
    CHECK(m.std == 1.0);
}

TEST_CASE("split_validation: the last training people, never the fold's test people" *
          doctest::test_suite("ch04.protocol")) {
    SyntheticFacesSpec spec;
    spec.people = 8, spec.per_person = 2, spec.height = 12, spec.width = 10;
    const FaceDataset ds = synthetic_faces(spec);
    // fold 0 of 4 = people 0, 1; its training people are 2..7; the last 2 of them are held out
    const Split s = split_validation(ds, 4, 0, 2);
    CHECK(s.train.people == std::vector<std::string>(ds.people.begin() + 2, ds.people.begin() + 6));
    CHECK(s.test.people == std::vector<std::string>{ds.people[6], ds.people[7]});
    CHECK(s.test.size() == 4);
    CHECK(split_validation(ds, 4, 3, 2).test.people == std::vector<std::string>{ds.people[4], ds.people[5]});
    CHECK_THROWS_AS(split_validation(ds, 4, 0, 5), Error);  // one training person left
    // split_calibration: the last people of any set (here fold 0's 6 training people), at most a third of
    // them; of 4 people, a third is 1: too few to choose a tau on
    const Split c = *split_calibration(split_fold(ds, 4, 0).train, 10, "calibration");
    CHECK(c.train.people == std::vector<std::string>(ds.people.begin() + 2, ds.people.begin() + 6));
    CHECK(c.test.people == std::vector<std::string>{ds.people[6], ds.people[7]});
    CHECK(!split_calibration(s.train, 10, "calibration"));
}

namespace {

// The fold's scores by hand (face/score_norm.hpp): d_W of the photos W against the cohort W_c; own: W's
// labels when W is the cohort itself (its own person left out).
Tensor s_normed(const Tensor& W, const Tensor& W_c, const std::vector<int>* own = nullptr) {
    const Tensor C = own ? without_own_person(pairwise_sq_distances(W, W_c), *own) : pairwise_sq_distances(W, W_c);
    const CohortStats stats = cohort_stats(C, kCohortFraction);
    return s_norm(pairwise_sq_distances(W, W), stats, stats);
}

// An encoder trained as run_fold trains it, and its whitened encodings of both sets of people.
struct Whitened {
    Tensor E_test, E_train, W_test, W_train;
};
Whitened train_and_whiten(const Split& split, const ProtocolConfig& config, uint64_t seed) {
    TrainConfig tc = config.train;
    tc.seed = seed;
    Rng rng(seed);
    FaceEncoder f(config.encoder, rng);
    train_triplet(f, split.train, tc, config.mining, config.alpha);
    Whitened w{encode_all(f, split.test.images), encode_all(f, split.train.images), {}, {}};
    const Tensor P = fit_whitening(w.E_train, split.train.labels, kWhiteningLambda);
    w.W_test = whiten(w.E_test, P);
    w.W_train = whiten(w.E_train, P);
    return w;
}

ProtocolConfig tiny_protocol() {
    ProtocolConfig config;
    config.encoder.height = 12, config.encoder.width = 10, config.encoder.channels = {4, 6}, config.encoder.dim = 8;
    config.train.epochs = 2, config.train.P = 3, config.train.K = 3, config.train.log_every = 0, config.train.seed = 5;
    config.verifier = false;
    return config;
}

}  // namespace

TEST_CASE("run_fold with calibration: tau is chosen on held-out training people by a calibration encoder" *
          doctest::test_suite("ch04.integration")) {
    SyntheticFacesSpec spec;
    spec.people = 12, spec.per_person = 3, spec.height = 12, spec.width = 10;
    const FaceDataset ds = synthetic_faces(spec);
    ProtocolConfig config = tiny_protocol();
    const FoldResult r = run_fold(ds, 0, config);

    // fold 0 tests people 0..2 and trains on 3..11; the calibration encoder (same seed) trains on 3..8 and
    // scores 9..11, who choose tau; the fold's encoder scores the test people
    const Split split = split_fold(ds, 4, 0);
    const Split held = *split_calibration(split.train, kCalibrationPeople, "calibration");  // at most a third: 3
    CHECK(held.test.people == std::vector<std::string>{ds.people[9], ds.people[10], ds.people[11]});
    const Whitened fold = train_and_whiten(split, config, 5), calibration = train_and_whiten(held, config, 5);
    const Tensor s_test = s_normed(fold.W_test, fold.W_train), s_held = s_normed(calibration.W_test, calibration.W_train);
    const Scores expected = score_distances(s_test, split.test.labels, s_held, held.test.labels);
    CHECK(r.triplet.tau == expected.tau);
    CHECK(r.triplet.auc == expected.auc);
    CHECK(r.triplet.at_tau.tar == expected.at_tau.tar);
    CHECK(r.triplet.open.far == expected.open.far);
    // a door's tau: FAR <= 0.04 on the held-out pairs (at most 1 of their 27 impostor pairs), stricter
    config.target_far = 0.04;
    const FoldResult door = run_fold(ds, 0, config);
    CHECK(door.triplet.tau == score_distances(s_test, split.test.labels, s_held, held.test.labels, 0.04).tau);
    CHECK(rates_at(pair_distances(s_held, held.test.labels), door.triplet.tau).far <= 0.04);
    CHECK(door.triplet.tau < r.triplet.tau);
    CHECK(door.triplet.auc == r.triplet.auc);  // the same scores, only tau moved
    config.target_far = 0;
    // plain d: the calibration encoder's plain d on the held-out people
    const Tensor plain = pairwise_sq_distances(calibration.E_test, calibration.E_test);
    const float plain_tau = choose_threshold(pair_distances(plain, held.test.labels));
    CHECK(r.triplet_plain.tau == plain_tau);
}

TEST_CASE("run_pretrained_fold on ORL s1..s5: the unseen people's pairs all separated, genuine within 0.6" *
          doctest::test_suite("ch04.integration")) {
    const std::string shared = testing::shared_data_dir();  // ORL, and the models: else skipped, saying which
    if (shared.empty() || !testing::face_models_present()) {
        if (shared.empty()) MESSAGE("skipped: ../shared/data/att_faces not found");
        else testing::require_face_models_or_skip();
        return;
    }
    // 5 people x photos 1, 2 (file names only: the pipeline reads the photos itself); 2 folds: fold 2 is
    // s3, s4, s5, and tau is chosen on the pairs of s1 and s2
    FaceDataset ds;
    for (int p = 1; p <= 5; ++p) {
        ds.people.push_back("s" + std::to_string(p));
        ds.files.push_back(shared + "/att_faces/s" + std::to_string(p) + "/1.pgm");
        ds.files.push_back(shared + "/att_faces/s" + std::to_string(p) + "/2.pgm");
        ds.labels.insert(ds.labels.end(), {p - 1, p - 1});
    }
    const PretrainedFold r = run_pretrained_fold(FacePipeline::load(face_models_dir()), ds, 2, 1);
    CHECK(r.photos.f.size() == 10);
    CHECK(r.photos.framed == 10);  // ORL's tight crops: every face found in a frame
    CHECK(r.photos.whole == 0);
    // genuine pairs of the unseen people (photos 4..9): s3 0.203, s4 0.276, s5 0.202; impostors 0.673 and up
    const PairDistances test_pairs =
        pair_distances(descriptor_distances(r.photos.f, {4, 5, 6, 7, 8, 9}), {0, 0, 1, 1, 2, 2});
    REQUIRE(test_pairs.genuine.size() == 3);
    CHECK(test_pairs.genuine[0] == doctest::Approx(0.20256).epsilon(1e-4));
    CHECK(test_pairs.genuine[1] == doctest::Approx(0.27642).epsilon(1e-4));
    CHECK(test_pairs.genuine[2] == doctest::Approx(0.20188).epsilon(1e-4));
    CHECK(*std::min_element(test_pairs.impostor.begin(), test_pairs.impostor.end()) ==
          doctest::Approx(0.67281).epsilon(1e-4));
    CHECK(r.scores.auc == 1.0);
    CHECK(r.scores.rank1 == 1.0);
    CHECK(r.scores.eer == 0.0);
    // tau from s1 and s2: genuine 0.327, 0.315; impostors 0.640 and up: halfway between 0.327 and 0.640
    CHECK(r.scores.tau == doctest::Approx((0.32686 + 0.63966) / 2).epsilon(1e-4));
    CHECK(r.scores.at_tau.tar == 1.0);
    CHECK(r.scores.at_tau.far == 0.0);
    CHECK(r.at_dlib_tau.tar == 1.0);
    CHECK(r.at_dlib_tau.far == 0.0);
    app::Metrics metrics;
    set_pretrained_metrics(metrics, r);
    CHECK(metrics.to_json().find("\"pretrained.auc\": 1,") != std::string::npos);
    CHECK(metrics.to_json().find("\"pretrained.photos_whole\": 0,") != std::string::npos);
}
