// chapters/04_face_verification/protocol.cpp
#include "chapters/04_face_verification/protocol.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <optional>

#include "core/error.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"

namespace convlab {

Scores score_distances(const Tensor& D_test, const std::vector<int>& test_labels, const Tensor& D_tau,
                       const std::vector<int>& tau_labels, double target_far) {
    Scores s;
    const PairDistances test = pair_distances(D_test, test_labels);
    s.tau = choose_threshold(pair_distances(D_tau, tau_labels), target_far);
    s.rank1 = rank1_one_shot(D_test, test_labels);
    s.auc = roc_auc(test);
    s.eer = equal_error_rate(test).rate;
    s.at_tau = rates_at(test, s.tau);
    s.roc = roc_curve(test);
    // open set: the first half of the test people (labels are 0..n-1 after select_people) are enrolled
    int n_people = 0;
    for (int label : test_labels) n_people = std::max(n_people, label + 1);
    std::vector<int> enrolled;
    for (int p = 0; p < n_people / 2; ++p) enrolled.push_back(p);
    s.open = open_set(D_test, test_labels, enrolled, s.tau);
    return s;
}

static Tensor flat_pixels(const FaceDataset& ds) { return ds.images.reshape({ds.size(), -1}); }

// A distance between encodings: A (N, D), B (M, D) -> (N, M).
using PairDistance = std::function<Tensor(const Tensor& A, const Tensor& B)>;

// dist(E, E) of N photos, s-normed against the cohort photos E_c (face/score_norm.hpp). own: E's labels when
// E is the cohort itself (the training photos); a photo's own person is left out of its cohort, which must
// hold only other people.
static Tensor s_normed(const PairDistance& dist, const Tensor& E, const Tensor& E_c,
                       const std::vector<int>* own = nullptr) {
    const Tensor D = dist(E, E);
    const Tensor C = own ? without_own_person(D, *own) : dist(E, E_c);  // own: E_c is E, and C is D
    const CohortStats stats = cohort_stats(C, kCohortFraction);
    return s_norm(D, stats, stats);
}

// One trained encoder's (and verifier's) scores of pairs: (N, N) matrices.
struct PairMatrices {
    Tensor triplet, plain, verifier;  // s-normed d_W, the lecture's plain d, the verifier's s-normed -z
};
struct Trained {
    PairMatrices test, train;  // train: only when asked for
    TrainHistory triplet_history, verifier_history;
};

// Trains an encoder (and a verifier) on `train` and scores the pairs of `test` (and, with train_pairs, of
// `train`, for a tau chosen there). name: "" for the fold's models, else a word put into their labels and
// checkpoint names ("calibration": train_fold1_calibration_triplet.ckpt).
static Trained train_and_score(const FaceDataset& train, const FaceDataset& test, const ProtocolConfig& config,
                               int k, const std::string& name, bool train_pairs) {
    Trained t;
    const PairDistance d = [](const Tensor& A, const Tensor& B) { return pairwise_sq_distances(A, B); };
    const std::string fold = "fold " + std::to_string(k + 1) + (name.empty() ? "" : " " + name);
    TrainConfig tc = config.train;
    Rng rng(tc.seed);
    FaceEncoder f(config.encoder, rng);
    auto checkpoint = [&](const std::string& model) {  // train_fold1_triplet.ckpt ... (app/training.hpp)
        if (config.checkpoint_dir.empty()) return;
        const std::string prefix = "fold" + std::to_string(k + 1) + "_" + (name.empty() ? "" : name + "_");
        tc.checkpoint = config.resume.checkpoint(config.checkpoint_dir, prefix + model);
        tc.resume = config.resume.resumes(tc.checkpoint);
    };
    tc.label = fold + " triplet " + mining_name(config.mining);
    checkpoint("triplet");
    t.triplet_history = train_triplet(f, train, tc, config.mining, config.alpha);
    Tensor E_test = encode_all(f, test.images), E_train = encode_all(f, train.images);
    t.test.plain = d(E_test, E_test);
    if (train_pairs) t.train.plain = d(E_train, E_train);
    const Tensor P = fit_whitening(E_train, train.labels, kWhiteningLambda);  // from the training people only
    E_test = whiten(E_test, P);
    E_train = whiten(E_train, P);
    t.test.triplet = s_normed(d, E_test, E_train);
    if (train_pairs) t.train.triplet = s_normed(d, E_train, E_train, &train.labels);
    if (!config.verifier) return t;

    BinaryVerifier v(config.encoder.dim, PairFeature::Abs);
    tc.label = fold + " verifier abs";
    tc.epochs = config.verifier_epochs;
    tc.lr = config.verifier_lr;
    tc.freeze_encoder = true;
    checkpoint("verifier_abs");
    t.verifier_history = train_binary_verifier(f, v, train, tc, P);
    const PairDistance dv = [&v](const Tensor& A, const Tensor& B) { return verifier_distance_matrix(v, A, B); };
    t.test.verifier = s_normed(dv, E_test, E_train);
    if (train_pairs) t.train.verifier = s_normed(dv, E_train, E_train, &train.labels);
    return t;
}

FoldResult run_fold(const FaceDataset& ds, int k, const ProtocolConfig& config) {
    const Split split = config.validation > 0 ? split_validation(ds, config.folds, k, config.validation)
                                              : split_fold(ds, config.folds, k);
    const FaceDataset &train = split.train, &test = split.test;
    FoldResult r;
    r.fold = k;
    r.test_people = test.people;
    auto D = [](const Tensor& E) { return pairwise_sq_distances(E, E); };
    const double far = config.target_far;
    r.raw = score_distances(D(flat_pixels(test)), test.labels, D(flat_pixels(train)), train.labels, far);

    const auto start = std::chrono::steady_clock::now();
    // where tau is chosen: the pairs of people a calibration encoder has not seen, or (too few people to
    // hold some out) the training pairs
    const std::optional<Split> held =
        split_calibration(train, kCalibrationPeople, "calibration of fold " + std::to_string(k + 1));
    r.calibration_people = held ? static_cast<int>(held->test.people.size()) : 0;
    const Trained fold = train_and_score(train, test, config, k, "", !held);
    r.triplet_history = fold.triplet_history;
    r.verifier_history = fold.verifier_history;
    const Trained calibration = held ? train_and_score(held->train, held->test, config, k, "calibration", false)
                                     : Trained{};
    const PairMatrices& tau = held ? calibration.test : fold.train;
    const std::vector<int>& tau_labels = held ? held->test.labels : train.labels;
    r.triplet = score_distances(fold.test.triplet, test.labels, tau.triplet, tau_labels, far);
    r.triplet_plain = score_distances(fold.test.plain, test.labels, tau.plain, tau_labels, far);
    if (config.verifier) r.verifier = score_distances(fold.test.verifier, test.labels, tau.verifier, tau_labels, far);
    r.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

MeanStd mean_std(const std::vector<double>& values) {
    check(!values.empty(), "mean_std: no values");
    double sum = 0, sq = 0;
    for (double v : values) sum += v;
    const double mean = sum / values.size();
    for (double v : values) sq += (v - mean) * (v - mean);
    return {mean, std::sqrt(sq / values.size())};
}

}  // namespace convlab
