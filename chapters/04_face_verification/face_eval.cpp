// chapters/04_face_verification/face_eval.cpp
#include "chapters/04_face_verification/face_eval.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "app/metrics.hpp"
#include "chapters/04_face_verification/pretrained_eval.hpp"
#include "core/error.hpp"
#include "face/pretrained/pipeline.hpp"
#include "io/plot.hpp"
#include "io/progress.hpp"

namespace convlab {

void EvalOptions::declare(app::Options& options) {
    options.integer("epochs", &epochs, "eval: training epochs per model (--quick: 6)", 1, 10000);
    options.choice("mining", &mining, {"random", "hard", "semi-hard"}, "eval: triplet selection");
    options.number("alpha", &alpha, "eval: the triplet margin alpha", 0, 4);
    options.number("far", &far,
                   "eval: choose tau for this false accept rate on the pairs it is chosen on, as a door would "
                   "(0: the best balanced accuracy)", 0, 0.999);
    options.integer("validate", &validate,
                    "eval: score on the last N training people instead of the test people (0: off), "
                    "to choose settings without the test people", 0, 1000);
    options.list("folds", &folds, "eval: folds to run (default all; --quick: 1)", {"1", "2", "3", "4"});
    resume.declare(options);
}

ProtocolConfig EvalOptions::config(const app::CommonOptions& common) {
    if (common.quick) {
        epochs = std::min<int64_t>(epochs, 6);
        if (folds.empty()) folds = {"1"};
    }
    ProtocolConfig config;
    config.train.epochs = int(epochs);
    config.train.seed = common.seed + 1;
    config.train.log_every = common.quick ? 2 : 20;
    config.mining = parse_mining(mining);
    config.alpha = float(alpha);
    config.target_far = far;
    if (common.quick) config.verifier_epochs = std::min(config.verifier_epochs, 2);
    config.validation = int(validate);
    config.checkpoint_dir = common.out;
    config.resume = resume;
    for (const std::string& f : folds) config.run_folds.push_back(f[0] - '1');  // "1".."4", checked by parse
    if (config.run_folds.empty())
        for (int k = 0; k < config.folds; ++k) config.run_folds.push_back(k);
    return config;
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void add_roc(std::vector<Series>& series, const std::string& label, const std::vector<RocPoint>& roc) {
    Series s{label, {}, {}};
    for (const RocPoint& p : roc) s.x.push_back(p.far), s.y.push_back(p.tar);
    series.push_back(s);
}

// One way of scoring pairs, on each fold run: its key in metrics.json and its column title.
struct Method {
    std::string key, title;
    std::vector<Scores> folds;
};

// The table of mean +- std over the folds, one column per method; every number also into metrics
// ("triplet.auc_mean", and per fold "fold1.triplet.auc").
void mean_table(const std::vector<Method>& methods, const std::vector<int>& folds, app::Metrics& metrics) {
    struct Row {
        const char *name, *key;  // printed; in metrics.json (docs/metrics.md)
        double (*get)(const Scores&);
    };
    const Row rows[] = {
        {"one-shot rank-1", "rank1", [](const Scores& s) { return s.rank1; }},
        {"ROC AUC", "auc", [](const Scores& s) { return s.auc; }},
        {"EER", "eer", [](const Scores& s) { return s.eer; }},
        {"accuracy at tau", "accuracy", [](const Scores& s) { return s.at_tau.accuracy; }},
        {"TAR at tau", "tar", [](const Scores& s) { return s.at_tau.tar; }},
        {"FAR at tau", "far", [](const Scores& s) { return s.at_tau.far; }},
        {"open-set TAR", "open_set_tar", [](const Scores& s) { return s.open.tar; }},
        {"open-set FAR", "open_set_far", [](const Scores& s) { return s.open.far; }},
    };
    std::printf("mean +- std over %zu fold(s)    ", folds.size());
    for (const Method& m : methods) std::printf("   %-16s", m.title.c_str());
    std::printf("\n");
    for (const Row& row : rows) {
        std::printf("  %-28s", row.name);
        for (const Method& m : methods) {
            const std::string key = m.key + "." + row.key;
            std::vector<double> v;
            for (size_t i = 0; i < folds.size(); ++i) {
                v.push_back(row.get(m.folds[i]));
                metrics.set("fold" + std::to_string(folds[i] + 1) + "." + key, v.back());  // fold1.triplet.auc
            }
            const MeanStd ms = mean_std(v);
            std::printf("   %.4f +- %.4f", ms.mean, ms.std);
            metrics.set(key + "_mean", ms.mean);
            metrics.set(key + "_std", ms.std);
        }
        std::printf("\n");
    }
}

void write_roc(const app::CommonOptions& common, const std::vector<Series>& roc) {
    PlotOptions options{"ROC on unseen people, per fold", "false accept rate", "true accept rate", false};
    options.diagonal = true;
    save_line_plot(common.out + "/roc.png", roc, options);
}

}  // namespace

int eval_trained(const app::CommonOptions& common, ProtocolConfig config) {
    const auto start = std::chrono::steady_clock::now();
    const FaceDataset ds = chapter_faces(common.data, common.quick);
    std::printf("protocol: %d identity-disjoint folds, running %zu; %d epochs for a triplet encoder (%s, alpha "
                "%.2f), then %d for a binary verifier (abs) on top of it; pairs scored by s-normed d_W (whitening "
                "lambda %.2f, the nearest %.0f%% of the training photos as cohort)\n",
                config.folds, config.run_folds.size(), config.train.epochs, mining_name(config.mining), config.alpha,
                config.verifier_epochs, kWhiteningLambda, 100.0 * kCohortFraction);
    std::printf("tau: chosen on the last %d training people of each fold (at most a third), scored by a calibration "
                "encoder (and verifier) trained on the others", kCalibrationPeople);
    if (config.target_far > 0)
        std::printf(", for FAR <= %g on those pairs\n", config.target_far);
    else
        std::printf(", for the best balanced accuracy on those pairs\n");
    if (config.validation > 0)
        std::printf("VALIDATION: the scores below are on the last %d training people of each fold, not on its test "
                    "people (who are not used at all)\n", config.validation);
    std::printf("\n");
    app::ensure_dir(common.out);
    std::vector<FoldResult> results;
    std::vector<Series> roc;
    // one plain line per fold (the training between them prints its own lines): folds done, the mean
    // triplet AUC so far, the rate and the time left
    Progress progress("eval folds", int64_t(config.run_folds.size()), 1, std::cout, /*terminal=*/false);
    double auc_sum = 0;
    for (int k : config.run_folds) {
        const FoldResult r = run_fold(ds, k, config);
        std::printf("fold %d (scored on %s .. %s, %.0f s): rank-1 / AUC / EER   raw %.3f / %.4f / %.3f   triplet "
                    "%.3f / %.4f / %.3f   verifier %.3f / %.4f / %.3f", k + 1, r.test_people.front().c_str(),
                    r.test_people.back().c_str(), r.train_seconds, r.raw.rank1, r.raw.auc, r.raw.eer, r.triplet.rank1,
                    r.triplet.auc, r.triplet.eer, r.verifier.rank1, r.verifier.auc, r.verifier.eer);
        std::printf("   triplet TAR / FAR at tau %.3f / %.4f", r.triplet.at_tau.tar, r.triplet.at_tau.far);
        if (r.calibration_people == 0)
            std::printf("   (too few training people with two photos to hold some out: tau on the training pairs)");
        std::printf("   (plain d %.3f / %.4f / %.3f)\n", r.triplet_plain.rank1, r.triplet_plain.auc,
                    r.triplet_plain.eer);
        add_roc(roc, "fold " + std::to_string(k + 1) + " triplet", r.triplet.roc);
        add_roc(roc, "fold " + std::to_string(k + 1) + " verifier", r.verifier.roc);
        results.push_back(r);
        auc_sum += r.triplet.auc;
        char auc[48];
        std::snprintf(auc, sizeof auc, "triplet AUC %.4f (mean so far)", auc_sum / double(results.size()));
        progress.update(int64_t(results.size()), auc);
        std::printf("\n");
        std::fflush(stdout);
    }
    progress.done();
    add_roc(roc, "raw pixels (last fold)", results.back().raw.roc);

    app::Metrics metrics;
    metrics.set_run(common);
    metrics.set("model", "trained here");
    metrics.set("data", ds.source);
    metrics.set("folds_run", double(results.size()));
    metrics.set("epochs", double(config.train.epochs));
    metrics.set("target_far", config.target_far);
    std::vector<Method> methods{{"raw", "raw pixels", {}}, {"triplet", "triplet + tau", {}},
                                {"verifier", "binary verifier", {}}, {"triplet_plain", "triplet, plain d", {}}};
    for (const FoldResult& r : results) {
        methods[0].folds.push_back(r.raw), methods[1].folds.push_back(r.triplet);
        methods[2].folds.push_back(r.verifier), methods[3].folds.push_back(r.triplet_plain);
    }
    mean_table(methods, config.run_folds, metrics);
    const double seconds = seconds_since(start);
    metrics.set("seconds", seconds);
    metrics.write(common.out);
    config.resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
    write_roc(common, roc);
    std::printf("\ntotal %.0f s; ROC curves: %s/roc.png; numbers: %s/metrics.json\n", seconds, common.out.c_str(),
                common.out.c_str());
    return 0;
}

int eval_pretrained(const app::CommonOptions& common, const std::string& models_dir, ProtocolConfig config) {
    check(!common.data.empty(), "eval_pretrained: no --data folder");
    const auto start = std::chrono::steady_clock::now();
    const FaceDataset ds = load_face_folder(common.data, 56, 46);  // the people and files; the pixels are re-read
    std::printf("data: %s: %zu people, %lld photos\n", ds.source.c_str(), ds.people.size(),
                static_cast<long long>(ds.size()));
    std::printf("protocol: %d identity-disjoint folds, scoring %zu; nothing trained: f(x) is the pretrained "
                "descriptor, d = ||f(x1) - f(x2)||; tau chosen on the other folds' people", config.folds,
                config.run_folds.size());
    if (config.target_far > 0)
        std::printf(" for FAR <= %g on their pairs\n\n", config.target_far);
    else
        std::printf(" for the best balanced accuracy on their pairs\n\n");
    app::ensure_dir(common.out);
    const FacePipeline pipeline = FacePipeline::load(models_dir);
    const PhotoDescriptors photos = describe_photos(pipeline, ds.files);
    const double per_photo = photos.seconds / double(ds.size());
    std::printf("photos: %lld described in %.1f s (%.3f s per photo): the face found in %d as they are, in %d only "
                "within a frame, in %d only in the frame of the frame, in %d not at all (described whole)\n\n",
                static_cast<long long>(ds.size()), photos.seconds, per_photo, photos.found, photos.framed,
                photos.framed_twice, photos.whole);

    Method pretrained{"pretrained", "pretrained", {}};
    std::vector<Rates> at_dlib;
    std::vector<Series> roc;
    for (int k : config.run_folds) {
        const Scores s = score_pretrained_fold(ds, photos, config.folds, k, config.target_far);
        const std::vector<int> people = fold_people(int(ds.people.size()), config.folds, k);
        at_dlib.push_back(pretrained_fold_rates(ds, photos, config.folds, k, kPretrainedThreshold));
        std::printf("fold %d (scored on %s .. %s): rank-1 / AUC / EER   %.3f / %.4f / %.4f   TAR / FAR at tau %.3f: "
                    "%.3f / %.4f   at dlib's %.1f: %.3f / %.4f\n", k + 1, ds.people[size_t(people.front())].c_str(),
                    ds.people[size_t(people.back())].c_str(), s.rank1, s.auc, s.eer, s.tau, s.at_tau.tar,
                    s.at_tau.far, kPretrainedThreshold, at_dlib.back().tar, at_dlib.back().far);
        add_roc(roc, "fold " + std::to_string(k + 1), s.roc);
        pretrained.folds.push_back(s);
    }
    std::printf("\n");

    app::Metrics metrics;
    metrics.set_run(common);
    metrics.set("model", "pretrained");
    metrics.set("models", models_dir);
    metrics.set("data", ds.source);
    metrics.set("folds_run", double(config.run_folds.size()));
    metrics.set("target_far", config.target_far);
    metrics.set("photos", double(ds.size()));
    metrics.set("photos_found", photos.found);
    metrics.set("photos_framed", photos.framed);
    metrics.set("photos_framed_twice", photos.framed_twice);
    metrics.set("photos_whole", photos.whole);
    metrics.set("seconds_per_photo", per_photo);
    mean_table({pretrained}, config.run_folds, metrics);
    for (size_t i = 0; i < at_dlib.size(); ++i) {
        const std::string fold = "fold" + std::to_string(config.run_folds[i] + 1) + ".pretrained.";
        metrics.set(fold + "tar_at_dlib_tau", at_dlib[i].tar);
        metrics.set(fold + "far_at_dlib_tau", at_dlib[i].far);
    }
    const double seconds = seconds_since(start);
    metrics.set("seconds", seconds);
    metrics.write(common.out);
    write_roc(common, roc);
    std::printf("\ntotal %.0f s (%.3f s per photo); ROC curves: %s/roc.png; numbers: %s/metrics.json\n", seconds,
                per_photo, common.out.c_str(), common.out.c_str());
    return 0;
}

}  // namespace convlab
