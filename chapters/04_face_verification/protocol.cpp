// chapters/04_face_verification/protocol.cpp
#include "chapters/04_face_verification/protocol.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/error.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"

namespace convlab {

Scores score_distances(const Tensor& D_test, const std::vector<int>& test_labels, const Tensor& D_train,
                       const std::vector<int>& train_labels) {
    Scores s;
    const PairDistances test = pair_distances(D_test, test_labels);
    s.tau = choose_threshold(pair_distances(D_train, train_labels));
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

FoldResult run_fold(const FaceDataset& ds, int k, const ProtocolConfig& config) {
    const Split split = config.validation > 0 ? split_validation(ds, config.folds, k, config.validation)
                                              : split_fold(ds, config.folds, k);
    const FaceDataset &train = split.train, &test = split.test;
    FoldResult r;
    r.fold = k;
    r.test_people = test.people;
    auto D = [](const Tensor& E) { return pairwise_sq_distances(E, E); };
    r.raw = score_distances(D(flat_pixels(test)), test.labels, D(flat_pixels(train)), train.labels);

    const auto start = std::chrono::steady_clock::now();
    check(config.ensemble >= 1, "run_fold: ensemble must be >= 1, got ", config.ensemble);
    Tensor D_test, D_train, V_test, V_train, plain_test, plain_train;  // sums over the members
    auto add = [](Tensor& sum, const Tensor& D) { sum = sum.defined() ? sum + D : D; };
    for (int m = 0; m < config.ensemble; ++m) {
        TrainConfig tc = config.train;
        tc.seed = config.train.seed + uint64_t(m);
        Rng rng(tc.seed);
        FaceEncoder f(config.encoder, rng);
        // fold1_triplet.ckpt, fold1_triplet2.ckpt, ... (app/training.hpp)
        const std::string member = m == 0 ? "" : std::to_string(m + 1);
        auto checkpoint = [&](const std::string& model) {
            if (config.checkpoint_dir.empty()) return;
            tc.checkpoint = config.resume.checkpoint(config.checkpoint_dir,
                                                     "fold" + std::to_string(k + 1) + "_" + model + member);
            tc.resume = config.resume.resumes(tc.checkpoint);
        };
        tc.label = "fold " + std::to_string(k + 1) + " triplet " + mining_name(config.mining) +
                   (config.ensemble > 1 ? " encoder " + std::to_string(m + 1) + "/" + std::to_string(config.ensemble) : "");
        checkpoint("triplet");
        const TrainHistory history = train_triplet(f, train, tc, config.mining, config.alpha, config.identity);
        Tensor E_test = encode_all(f, test.images), E_train = encode_all(f, train.images);
        Tensor P;  // fitted on the training people only
        if (config.whitening < 1) {
            add(plain_test, D(E_test));  // kept to report plain d beside d_W
            add(plain_train, D(E_train));
            P = fit_whitening(E_train, train.labels, config.whitening);
            E_test = whiten(E_test, P);
            E_train = whiten(E_train, P);
        }
        add(D_test, D(E_test));
        add(D_train, D(E_train));
        if (m == 0) {
            r.triplet_history = history;
            r.triplet_single = score_distances(D_test, test.labels, D_train, train.labels);
        }
        if (!config.verifier) continue;
        BinaryVerifier v(config.encoder.dim, config.feature);
        tc.label = "fold " + std::to_string(k + 1) + " verifier " + pair_feature_name(config.feature) + member;
        tc.epochs = config.verifier_epochs;
        tc.lr = config.verifier_lr;
        tc.freeze_encoder = true;
        checkpoint(std::string("verifier_") + pair_feature_name(config.feature));
        const TrainHistory verifier_history = train_binary_verifier(f, v, train, tc, P);
        if (m == 0) r.verifier_history = verifier_history;
        add(V_test, verifier_distance_matrix(v, E_test));
        add(V_train, verifier_distance_matrix(v, E_train));
    }
    // the mean of the members' d; the sum ranks pairs the same way, but tau is on d's own scale
    const float inv_m = 1.0f / float(config.ensemble);
    r.triplet = score_distances(D_test * inv_m, test.labels, D_train * inv_m, train.labels);
    r.triplet_plain = config.whitening < 1
                          ? score_distances(plain_test * inv_m, test.labels, plain_train * inv_m, train.labels)
                          : r.triplet;
    if (config.verifier)
        r.verifier = score_distances(V_test * inv_m, test.labels, V_train * inv_m, train.labels);
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
