// chapters/03_triplet_loss/main.cpp
//
// Trains the face encoder from scratch with the triplet loss, once per way of choosing triplets (random,
// hard, semi-hard), on the same people, seeds and epochs, and compares them on people none of them has
// seen. Saves the semi-hard encoder (FaceNet's choice) for the face tool and chapter 04.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "face/batches.hpp"
#include "face/folds.hpp"
#include "face/metrics.hpp"
#include "face/train_triplet.hpp"
#include "face/whitening.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "io/plot.hpp"
#include "ops/distance.hpp"

using namespace convlab;

namespace {

struct Outcome {
    std::string mining;
    double rank1, auc, eer, easy_random;
    std::vector<RocPoint> roc;
    std::vector<float> loss;
};

// Share of triplets chosen by `mining` on the training people that already satisfy
// d(A,P) + alpha <= d(A,N), i.e. have zero loss and teach nothing.
double share_satisfied(const Tensor& E, const std::vector<int>& labels, Mining mining, float alpha, uint64_t seed) {
    Rng rng(seed);
    const Tensor D = pairwise_sq_distances(E, E);
    const std::vector<Triplet> t = select_triplets(D, labels, mining, rng);
    int64_t easy = 0;
    for (const Triplet& x : t) easy += D.at({x.a, x.p}) + alpha <= D.at({x.a, x.n});
    return double(easy) / t.size();
}

// The hardest test triplets for the trained encoder: anchor, positive, negative with their distances.
void save_triplet_grid(const std::string& path, const FaceDataset& test, const Tensor& E, float alpha) {
    Rng rng(1);
    const Tensor D = pairwise_sq_distances(E, E);
    std::vector<Triplet> t = select_triplets(D, test.labels, Mining::Hard, rng);
    std::stable_sort(t.begin(), t.end(), [&](const Triplet& x, const Triplet& y) {
        return D.at({x.a, x.p}) - D.at({x.a, x.n}) > D.at({y.a, y.p}) - D.at({y.a, y.n});
    });
    // one triplet per anchor person, so the grid shows different people
    std::vector<Triplet> shown;
    for (const Triplet& x : t) {
        bool seen = false;
        for (const Triplet& y : shown) seen = seen || test.labels[y.a] == test.labels[x.a];
        if (!seen && shown.size() < 6) shown.push_back(x);
    }
    t = shown;
    std::vector<Tensor> images;
    std::vector<std::string> captions;
    char text[64];
    for (size_t k = 0; k < t.size(); ++k) {
        const float d_ap = D.at({t[k].a, t[k].p}), d_an = D.at({t[k].a, t[k].n});
        for (int64_t i : {t[k].a, t[k].p, t[k].n}) images.push_back(test.images[i]);
        captions.push_back("A " + test.people[test.labels[t[k].a]]);
        std::snprintf(text, sizeof text, "P  d=%.2f", d_ap);
        captions.push_back(text);
        std::snprintf(text, sizeof text, "N  d=%.2f\nL=%.2f", d_an, std::max(0.0f, d_ap - d_an + alpha));
        captions.push_back(text);
    }
    GridOptions g;
    g.cols = 6;
    g.captions = captions;
    g.scale = 2;
    g.title = "hardest unseen triplets (anchor, positive, negative)";
    save_png(path, make_grid(images, g));
}

// The saved model's tau on d_W, chosen on people an encoder like it has never seen (split_calibration): a
// calibration encoder, trained as f was (same start, batches and epochs) without the last training
// people, scores their pairs; tau is chosen on them for target_far (0: balanced; choose_threshold). nullopt
// when there are too few people to hold some out.
std::optional<float> calibrated_tau(const FaceDataset& train, TrainConfig tc, Mining mining, float alpha,
                                    double target_far, const app::CommonOptions& common,
                                    const app::ResumeOptions& resume, const std::string& name) {
    const std::optional<Split> held = split_calibration(train, kCalibrationPeople, "03_triplet_loss: calibration");
    if (!held) return std::nullopt;
    std::printf("  tau: from a calibration encoder trained on %zu of the training people, scoring the other %zu "
                "(%s .. %s)\n", held->train.people.size(), held->test.people.size(),
                held->test.people.front().c_str(), held->test.people.back().c_str());
    Rng rng(common.seed);
    FaceEncoder f_c(EncoderConfig{}, rng);
    tc.label = name + " calibration";
    tc.checkpoint = resume.checkpoint(common.out, name + "_calibration");
    tc.resume = resume.resumes(tc.checkpoint);
    train_triplet(f_c, held->train, tc, mining, alpha);
    const Tensor P_c = fit_whitening(encode_all(f_c, held->train.images), held->train.labels, kWhiteningLambda);
    const Tensor W = whiten(encode_all(f_c, held->test.images), P_c);
    return choose_threshold(pair_distances(pairwise_sq_distances(W, W), held->test.labels), target_far);
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("03_triplet_loss", [&] {
        int64_t epochs = 40, fold = 1;
        double alpha = kTripletAlpha, lr = TrainConfig{}.lr, far = 0;
        std::vector<std::string> minings{"random", "hard", "semi-hard"};
        app::Options options("03_triplet_loss",
                             "Train a face encoder with the triplet loss; compare random, hard and semi-hard triplets.");
        options.integer("epochs", &epochs, "training epochs per mining (--quick: 6)", 1, 10000);
        options.list("mining", &minings, "triplet selections to compare", {"random", "hard", "semi-hard"});
        options.number("alpha", &alpha, "the margin alpha", 0.0, 4.0);
        options.number("lr", &lr, "Adam's learning rate", 1e-6, 1.0);
        options.number("far", &far,
                       "the saved model's tau: for this false accept rate on new people's pairs, as a door would "
                       "(0: the best balanced accuracy)", 0, 0.999);
        options.integer("fold", &fold, "which of 4 identity-disjoint folds is the unseen test set", 1, 4);
        app::ResumeOptions resume;  // one checkpoint per mining: train_random.ckpt, train_hard.ckpt, ...
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) epochs = std::min<int64_t>(epochs, 6);

        const FaceDataset all = chapter_faces(common.data, common.quick);
        const Split split = split_fold(all, 4, int(fold - 1));
        std::printf("split: fold %lld of 4: train on %zu people, test on %zu unseen people (%s .. %s)\n",
                    static_cast<long long>(fold), split.train.people.size(), split.test.people.size(),
                    split.test.people.front().c_str(), split.test.people.back().c_str());
        std::printf("L(A,P,N) = max(||f(A)-f(P)||^2 - ||f(A)-f(N)||^2 + alpha, 0),  alpha = %.2f\n\n", alpha);
        app::ensure_dir(common.out);

        auto D = [](const Tensor& E) { return pairwise_sq_distances(E, E); };
        const Tensor px_test = split.test.images.reshape({split.test.size(), -1});
        const PairDistances raw_pairs = pair_distances(D(px_test), split.test.labels);
        const double raw_rank1 = rank1_one_shot(D(px_test), split.test.labels), raw_auc = roc_auc(raw_pairs);

        // the encoder kept for the face tool: semi-hard (FaceNet's choice, made before measuring), else the last
        const bool has_semi = std::find(minings.begin(), minings.end(), "semi-hard") != minings.end();
        const std::string saved = has_semi ? "semi-hard" : minings.back();
        std::vector<Outcome> outcomes;
        app::Metrics metrics;
        metrics.set_run(common);
        for (const std::string& name : minings) {
            const Mining mining = parse_mining(name);
            std::printf("== %s triplets ==\n", name.c_str());
            Rng rng(common.seed);  // the same initial weights for every mining
            FaceEncoder f(EncoderConfig{}, rng);
            TrainConfig tc;
            tc.epochs = int(epochs);
            tc.lr = float(lr);
            tc.seed = common.seed + 1;  // the same batches and augmentations for every mining
            tc.log_every = common.quick ? 2 : 10;
            tc.label = name;
            tc.checkpoint = resume.checkpoint(common.out, name);
            tc.resume = resume.resumes(tc.checkpoint);
            const TrainHistory h = train_triplet(f, split.train, tc, mining, float(alpha));
            const Tensor E_train = encode_all(f, split.train.images), E_test = encode_all(f, split.test.images);
            const PairDistances test_pairs = pair_distances(D(E_test), split.test.labels);
            Outcome o{name, rank1_one_shot(D(E_test), split.test.labels), roc_auc(test_pairs),
                      equal_error_rate(test_pairs).rate,
                      share_satisfied(E_train, split.train.labels, Mining::Random, float(alpha), common.seed),
                      roc_curve(test_pairs), h.loss};
            std::printf("  random triplets of training people already satisfied (zero loss): %.1f%%\n",
                        100 * o.easy_random);
            std::printf("  unseen people: one-shot rank-1 %.3f  ROC AUC %.4f  EER %.3f\n\n", o.rank1, o.auc, o.eer);
            const std::string key = app::metric_word(name);  // semi_hard
            metrics.set(key + ".rank1", o.rank1);
            metrics.set(key + ".auc", o.auc);
            metrics.set(key + ".eer", o.eer);
            metrics.set(key + ".loss_final", h.loss.back());
            metrics.set(key + ".random_triplets_satisfied", o.easy_random);
            outcomes.push_back(o);
            if (name == saved) {
                // the face tool compares photos by d_W (face/whitening.hpp), P fitted on the training people
                const Tensor P = fit_whitening(E_train, split.train.labels, kWhiteningLambda);
                const std::optional<float> calibrated =
                    calibrated_tau(split.train, tc, mining, float(alpha), far, common, resume, name);
                if (!calibrated)
                    std::printf("  tau: too few training people with two photos to hold some out; chosen on the "
                                "encoder's own training pairs (strict on new people)\n");
                const float tau_W =
                    calibrated ? *calibrated
                               : choose_threshold(pair_distances(D(whiten(E_train, P)), split.train.labels), far);
                save_face_model(common.out + "/encoder.ckpt", f, tau_W, P);
                save_triplet_grid(common.out + "/hard_triplets.png", split.test, E_test, float(alpha));
                std::printf("saved %s/encoder.ckpt (%s encoder, whitening P from the training people, tau = %.3f on "
                            "d_W", common.out.c_str(), name.c_str(), tau_W);
                if (far > 0) std::printf(" for FAR <= %g", far);
                std::printf(")\n\n");
                metrics.set("saved_encoder.mining", name);
                metrics.set("saved_encoder.tau", tau_W);
                metrics.set("saved_encoder.target_far", far);
            }
        }

        std::printf("unseen people (%zu): one-shot rank-1   ROC AUC   EER\n", split.test.people.size());
        std::printf("  %-10s            %.3f     %.4f   %.3f\n", "raw pixels", raw_rank1, raw_auc,
                    equal_error_rate(raw_pairs).rate);
        for (const Outcome& o : outcomes)
            std::printf("  %-10s            %.3f     %.4f   %.3f\n", o.mining.c_str(), o.rank1, o.auc, o.eer);
        metrics.set("raw_pixels.rank1", raw_rank1);
        metrics.set("raw_pixels.auc", raw_auc);
        metrics.set("data", all.source);
        metrics.set("epochs", double(epochs));
        metrics.set("alpha", alpha);

        std::vector<Series> loss_series, roc_series;
        for (const Outcome& o : outcomes) {
            Series l{o.mining, {}, {}}, r{o.mining, {}, {}};
            for (size_t e = 0; e < o.loss.size(); ++e) l.x.push_back(e + 1), l.y.push_back(o.loss[e]);
            for (const RocPoint& p : o.roc) r.x.push_back(p.far), r.y.push_back(p.tar);
            loss_series.push_back(l);
            roc_series.push_back(r);
        }
        Series raw_roc{"raw pixels", {}, {}};
        for (const RocPoint& p : roc_curve(raw_pairs)) raw_roc.x.push_back(p.far), raw_roc.y.push_back(p.tar);
        roc_series.push_back(raw_roc);
        save_line_plot(common.out + "/loss.png", loss_series,
                       {"loss on each mining's own triplets", "epoch",
                        "mean L(A,P,N)", false});
        PlotOptions roc_options{"ROC on unseen people", "false accept rate", "true accept rate", false};
        roc_options.diagonal = true;
        save_line_plot(common.out + "/roc.png", roc_series, roc_options);
        metrics.write(common.out);
        resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
        std::printf("\nfigures: %s/loss.png, roc.png, hard_triplets.png; numbers: metrics.json\n", common.out.c_str());
        return 0;
    });
}
