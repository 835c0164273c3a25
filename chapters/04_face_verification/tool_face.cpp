// chapters/04_face_verification/tool_face.cpp -> build/bin/face
//
// A small face tool built on the chapters: enrol people from one photo or a few, then verify (1:1) and
// identify (1:K) camera images against the enrolment database, or evaluate the whole method.
//
//   face enroll   --db DB --name NAME IMG...   encode the photos, add them to DB (created if missing)
//   face verify   --db DB --name NAME IMG      d(f(IMG), f(NAME)) against tau: the door opens or not
//   face identify --db DB IMG                  the 3 closest people, or "unknown"
//   face eval     [--data DIR]                 the identity-disjoint 4-fold protocol (protocol.hpp)
//
// The encoder and tau come from --model (written by 03_triplet_loss). Enrolling never retrains: it adds
// precomputed encodings to the database, which is replaced atomically and only after every photo encoded.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/04_face_verification/face_tool.hpp"
#include "chapters/04_face_verification/protocol.hpp"
#include "io/plot.hpp"

using namespace convlab;

namespace {

// "s1/7" for ".../s1/7.pgm": the photo's folder and name, enough to tell photos apart in the output.
std::string short_name(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string folder = p.parent_path().filename().string();
    return folder.empty() ? p.stem().string() : folder + "/" + p.stem().string();
}

FaceModel load_model(const std::string& path, double tau_override) {
    check(std::filesystem::exists(path), "no trained encoder at ", path,
          ": run build/bin/03_triplet_loss first (it writes out/03_triplet_loss/encoder.ckpt), or pass --model FILE");
    FaceModel model = load_face_model(path);
    if (tau_override >= 0) model.tau = float(tau_override);
    return model;
}

int enroll(const std::string& db_path, const std::string& name, const std::vector<std::string>& images,
           FaceModel& model) {
    check(!name.empty(), "enroll: --name NAME is required");
    const FaceDatabase db = enroll_photos(db_path, name, images, *model.f, model.P);
    std::printf("enrolled %s: %zu photo(s); %s now holds %lld photos of %zu people (no retraining)\n", name.c_str(),
                images.size(), db_path.c_str(), static_cast<long long>(db.size()), db.people().size());
    return 0;
}

int verify_cmd(const std::string& db_path, const std::string& name, const std::string& image, FaceModel& model) {
    check(!name.empty(), "verify: --name NAME is required");
    const Verdict v = verify_photo(db_path, name, image, *model.f, model.tau, model.P);
    std::printf("%s(f(%s), f(%s)) = %.3f   threshold tau = %.3f   ->  %s\n", model.P.defined() ? "d_W" : "d",
                short_name(image).c_str(), name.c_str(), v.distance, v.tau,
                (v.same ? "it's " + name + ": welcome, the door opens" : "not " + name + ": door stays closed").c_str());
    return 0;
}

int identify_cmd(const std::string& db_path, const std::string& image, FaceModel& model) {
    const Identification id = identify_photo(db_path, image, *model.f, model.tau, model.P);
    std::printf("%s: closest enrolled people (threshold tau = %.3f)\n", short_name(image).c_str(), model.tau);
    for (size_t k = 0; k < std::min<size_t>(3, id.ranking.size()); ++k)
        std::printf("  %zu. %-16s d = %.3f%s\n", k + 1, id.ranking[k].name.c_str(), id.ranking[k].distance,
                    id.ranking[k].distance <= model.tau ? "" : "  (beyond tau)");
    std::printf("->  %s\n", id.known ? ("it's " + id.name()).c_str() : "unknown: not in the database");
    return 0;
}

void add_roc(std::vector<Series>& series, const std::string& label, const std::vector<RocPoint>& roc) {
    Series s{label, {}, {}};
    for (const RocPoint& p : roc) s.x.push_back(p.far), s.y.push_back(p.tar);
    series.push_back(s);
}

int eval_cmd(const app::CommonOptions& common, ProtocolConfig config) {
    const auto start = std::chrono::steady_clock::now();
    const FaceDataset ds = chapter_faces(common.data, common.quick);
    if (config.run_folds.empty())
        for (int k = 0; k < config.folds; ++k) config.run_folds.push_back(k);
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
    for (int k : config.run_folds) {
        const FoldResult r = run_fold(ds, k, config);
        std::printf("fold %d (scored on %s .. %s, %.0f s): rank-1 / AUC / EER   raw %.3f / %.4f / %.3f   triplet "
                    "%.3f / %.4f / %.3f   verifier %.3f / %.4f / %.3f", k + 1, r.test_people.front().c_str(),
                    r.test_people.back().c_str(), r.train_seconds, r.raw.rank1, r.raw.auc, r.raw.eer, r.triplet.rank1,
                    r.triplet.auc, r.triplet.eer, r.verifier.rank1, r.verifier.auc, r.verifier.eer);
        std::printf("   triplet TAR / FAR at tau %.3f / %.4f", r.triplet.at_tau.tar, r.triplet.at_tau.far);
        if (r.calibration_people == 0)
            std::printf("   (too few training people with two photos to hold some out: tau on the training pairs)");
        std::printf("   (plain d %.3f / %.4f / %.3f)", r.triplet_plain.rank1, r.triplet_plain.auc, r.triplet_plain.eer);
        std::printf("\n\n");
        std::fflush(stdout);
        add_roc(roc, "fold " + std::to_string(k + 1) + " triplet", r.triplet.roc);
        add_roc(roc, "fold " + std::to_string(k + 1) + " verifier", r.verifier.roc);
        results.push_back(r);
    }
    add_roc(roc, "raw pixels (last fold)", results.back().raw.roc);

    app::Metrics metrics;
    metrics.set("data", ds.source);
    metrics.set("folds_run", double(results.size()));
    metrics.set("epochs", double(config.train.epochs));
    metrics.set("target_far", config.target_far);
    using Method = std::pair<const char*, Scores FoldResult::*>;
    const std::vector<Method> methods{{"raw", &FoldResult::raw}, {"triplet", &FoldResult::triplet},
                                      {"verifier", &FoldResult::verifier}, {"triplet_plain", &FoldResult::triplet_plain}};
    std::printf("mean +- std over %zu fold(s)          raw pixels         triplet + tau      binary verifier"
                "    triplet, plain d\n", results.size());
    struct Row {
        const char* name;
        double (*get)(const Scores&);
    };
    const Row rows[] = {
        {"one-shot rank-1", [](const Scores& s) { return s.rank1; }},
        {"ROC AUC", [](const Scores& s) { return s.auc; }},
        {"EER", [](const Scores& s) { return s.eer; }},
        {"accuracy at tau", [](const Scores& s) { return s.at_tau.accuracy; }},
        {"TAR at tau", [](const Scores& s) { return s.at_tau.tar; }},
        {"FAR at tau", [](const Scores& s) { return s.at_tau.far; }},
        {"open-set TAR", [](const Scores& s) { return s.open.tar; }},
        {"open-set FAR", [](const Scores& s) { return s.open.far; }},
    };
    for (const Row& row : rows) {
        std::printf("  %-28s", row.name);
        for (const auto& [method, member] : methods) {
            std::string key = std::string(method) + "." + row.name;
            for (char& c : key) c = (c == ' ' || c == '-') ? '_' : c;
            std::vector<double> v;
            for (const FoldResult& r : results) {
                v.push_back(row.get(r.*member));
                metrics.set("fold" + std::to_string(r.fold + 1) + "." + key, v.back());  // fold1.triplet.ROC_AUC
            }
            const MeanStd m = mean_std(v);
            std::printf("   %.4f +- %.4f", m.mean, m.std);
            metrics.set(key + ".mean", m.mean);
            metrics.set(key + ".std", m.std);
        }
        std::printf("\n");
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics.set("seconds", seconds);
    metrics.write(common.out);
    PlotOptions options{"ROC on unseen people, per fold", "false accept rate", "true accept rate", false};
    options.diagonal = true;
    save_line_plot(common.out + "/roc.png", roc, options);
    std::printf("\ntotal %.0f s; ROC curves: %s/roc.png; numbers: %s/metrics.json\n", seconds, common.out.c_str(),
                common.out.c_str());
    return 0;
}

}  // namespace

// The options of `face eval`: the lecture's choices (epochs, triplet selection, margin) and the door's FAR.
struct EvalOptions {
    int64_t epochs = 160, validate = 0;
    std::string mining = "semi-hard";
    double alpha = ProtocolConfig{}.alpha, far = ProtocolConfig{}.target_far;
    std::vector<std::string> folds;

    void declare(app::Options& options) {
        options.integer("epochs", &epochs, "eval: training epochs per model (--quick: 6)", 1, 10000);
        options.choice("mining", &mining, {"random", "hard", "semi-hard"}, "eval: triplet selection");
        options.number("alpha", &alpha, "eval: the triplet margin alpha", 0, 4);
        options.number("far", &far,
                       "eval: choose tau for this false accept rate on the pairs it is chosen on, as a door would "
                       "(0: the best balanced accuracy)", 0, 0.999);
        options.integer("validate", &validate,
                        "eval: score on the last N training people instead of the test people (0: off), "
                        "to choose settings without the test people", 0, 1000);
        options.list("folds", &folds, "eval: folds to run, 1..4 (default all; --quick: 1)");
    }

    ProtocolConfig config(const app::CommonOptions& common, const app::ResumeOptions& resume) const {
        ProtocolConfig config;
        config.train.epochs = int(common.quick ? std::min<int64_t>(epochs, 6) : epochs);
        config.train.seed = common.seed + 1;
        config.train.log_every = common.quick ? 2 : 20;
        config.mining = parse_mining(mining);
        config.alpha = float(alpha);
        config.target_far = far;
        if (common.quick) config.verifier_epochs = std::min(config.verifier_epochs, 2);
        config.validation = int(validate);
        config.checkpoint_dir = common.out;
        config.resume = resume;
        for (const std::string& f : folds) {
            check(f.size() == 1 && f[0] >= '1' && f[0] <= '4', "eval: --folds takes 1..4, got \"", f, "\"");
            config.run_folds.push_back(f[0] - '1');
        }
        if (common.quick && folds.empty()) config.run_folds = {0};
        return config;
    }
};

int main(int argc, char** argv) {
    return app::guarded_main("face", [&] {
        std::string db, name, model_path = "out/03_triplet_loss/encoder.ckpt";
        double tau = -1;
        app::Options options("face", "Enrol, verify and identify faces; evaluate the method on a data set.");
        options.positional_usage("enroll|verify|identify|eval [IMG...]",
                                 "enroll --db DB --name NAME IMG...; verify --db DB --name NAME IMG; "
                                 "identify --db DB IMG; eval [--data DIR]");
        options.text("db", &db, "the enrolment database file");
        options.text("name", &name, "the person to enrol or verify");
        options.text("model", &model_path, "the encoder and tau (written by 03_triplet_loss)");
        options.number("tau", &tau, "threshold on d (default: the model's, chosen on its training people)", -1, 4);
        EvalOptions eval;
        eval.declare(options);
        app::ResumeOptions resume;  // eval: one checkpoint per fold and model in --out
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        std::vector<std::string> args = options.positional();
        check(!args.empty(), "expected a command: enroll, verify, identify or eval (see --help)");
        const std::string command = args[0];
        args.erase(args.begin());
        if (command == "eval") return eval_cmd(common, eval.config(common, resume));
        check(command == "enroll" || command == "verify" || command == "identify",
              "unknown command \"", command, "\" (expected enroll, verify, identify or eval)");
        check(!db.empty(), command, ": --db DB is required");
        FaceModel model = load_model(model_path, tau);
        if (command == "enroll") return enroll(db, name, args, model);
        check(args.size() == 1, command, ": expected one image, got ", args.size());
        if (command == "verify") return verify_cmd(db, name, args[0], model);
        return identify_cmd(db, args[0], model);
    });
}
