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
    std::printf("protocol: %d identity-disjoint folds, running %zu; %d epochs for each of %d triplet encoder(s) "
                "(%s, alpha %.2f, identity lambda %.2f), then %d for a binary verifier (%s) on top of each; whitening "
                "lambda %.2f, s-norm against the nearest %.0f%% of the training photos (0: off)\n",
                config.folds, config.run_folds.size(), config.train.epochs, config.ensemble, mining_name(config.mining),
                config.alpha, config.identity.lambda, config.verifier_epochs, pair_feature_name(config.feature),
                config.whitening, 100.0 * config.cohort_fraction);
    if (config.calibration_people > 0)
        std::printf("tau: chosen on the last %d training people of each fold, scored by a calibration encoder (and "
                    "verifier) trained on the others", config.calibration_people);
    else
        std::printf("tau: chosen on the training pairs of the encoder itself");
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
    const bool plain_differs = config.plain_differs();
    for (int k : config.run_folds) {
        const FoldResult r = run_fold(ds, k, config);
        std::printf("fold %d (scored on %s .. %s, %.0f s): rank-1 / AUC / EER   raw %.3f / %.4f / %.3f   triplet "
                    "%.3f / %.4f / %.3f   verifier %.3f / %.4f / %.3f", k + 1, r.test_people.front().c_str(),
                    r.test_people.back().c_str(), r.train_seconds, r.raw.rank1, r.raw.auc, r.raw.eer, r.triplet.rank1,
                    r.triplet.auc, r.triplet.eer, r.verifier.rank1, r.verifier.auc, r.verifier.eer);
        std::printf("   triplet TAR / FAR at tau %.3f / %.4f", r.triplet.at_tau.tar, r.triplet.at_tau.far);
        if (config.calibration_people > 0 && r.calibration_people == 0)
            std::printf("   (too few training people with two photos to hold some out: tau on the training pairs)");
        if (plain_differs)
            std::printf("   (plain d %.3f / %.4f / %.3f)", r.triplet_plain.rank1, r.triplet_plain.auc,
                        r.triplet_plain.eer);
        if (config.ensemble > 1)
            std::printf("   (first encoder alone %.3f / %.4f / %.3f)", r.triplet_single.rank1, r.triplet_single.auc,
                        r.triplet_single.eer);
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
    metrics.set("ensemble", double(config.ensemble));
    metrics.set("identity_lambda", double(config.identity.lambda));
    metrics.set("whitening_lambda", double(config.whitening));
    metrics.set("cohort_fraction", double(config.cohort_fraction));
    metrics.set("calibration_people", double(config.calibration_people));
    metrics.set("target_far", config.target_far);
    using Method = std::pair<const char*, Scores FoldResult::*>;
    std::vector<Method> methods{{"raw", &FoldResult::raw}, {"triplet", &FoldResult::triplet},
                                {"verifier", &FoldResult::verifier}};
    std::printf("mean +- std over %zu fold(s)          raw pixels         triplet + tau      binary verifier",
                results.size());
    if (plain_differs) {
        methods.push_back({"triplet_plain", &FoldResult::triplet_plain});
        std::printf("    triplet, plain d");
    }
    if (config.ensemble > 1) {
        methods.push_back({"triplet_single", &FoldResult::triplet_single});
        std::printf("    first encoder alone");
    }
    std::printf("\n");
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

int main(int argc, char** argv) {
    return app::guarded_main("face", [&] {
        std::string db, name, model_path = "out/03_triplet_loss/encoder.ckpt", mining = "semi-hard", feature = "abs";
        double tau = -1, alpha = ProtocolConfig{}.alpha, lr = TrainConfig{}.lr,
               identity_lambda = ProtocolConfig{}.identity.lambda, whitening = ProtocolConfig{}.whitening,
               cohort = ProtocolConfig{}.cohort_fraction, far = ProtocolConfig{}.target_far;
        int64_t epochs = 160, verifier_epochs = ProtocolConfig{}.verifier_epochs, validate = 0,
                ensemble = ProtocolConfig{}.ensemble, calibration = ProtocolConfig{}.calibration_people;
        std::vector<std::string> folds;
        app::Options options("face", "Enrol, verify and identify faces; evaluate the method on a data set.");
        options.positional_usage("enroll|verify|identify|eval [IMG...]",
                                 "enroll --db DB --name NAME IMG...; verify --db DB --name NAME IMG; "
                                 "identify --db DB IMG; eval [--data DIR]");
        options.text("db", &db, "the enrolment database file");
        options.text("name", &name, "the person to enrol or verify");
        options.text("model", &model_path, "the encoder and tau (written by 03_triplet_loss)");
        options.number("tau", &tau, "threshold on d (default: the model's, chosen on its training people)", -1, 4);
        options.integer("epochs", &epochs, "eval: training epochs per model (--quick: 6)", 1, 10000);
        options.choice("mining", &mining, {"random", "hard", "semi-hard"}, "eval: triplet selection");
        options.number("alpha", &alpha, "eval: the triplet margin alpha", 0, 4);
        options.number("identity", &identity_lambda,
                       "eval: weight lambda of the identification term trained beside the triplet loss (0: off)",
                       0, 100);
        options.number("whitening", &whitening,
                       "eval: lambda of the within-class covariance normalisation of the encodings, fitted on "
                       "the training people (1: plain d)", 0, 1);
        options.number("cohort", &cohort,
                       "eval: s-norm of the scores against the nearest fraction of the training photos (0: off)", 0, 1);
        options.integer("calibration", &calibration,
                        "eval: choose tau on this many held-out training people (at most a third), scored by a "
                        "calibration encoder trained on the others (0: on the encoder's own training pairs)", 0, 1000);
        options.number("far", &far,
                       "eval: choose tau for this false accept rate on the pairs it is chosen on, as a door would "
                       "(0: the best balanced accuracy)", 0, 0.999);
        options.number("lr", &lr, "eval: Adam's learning rate", 1e-6, 1);
        options.choice("feature", &feature, {"abs", "chi-square"}, "eval: the binary verifier's pair feature");
        options.integer("verifier-epochs", &verifier_epochs,
                        "eval: epochs of the verifier on top of the triplet encoder (--quick: 2)", 1, 10000);
        options.integer("ensemble", &ensemble,
                        "eval: encoders per fold (seeds seed+1, seed+2, ...), pairs scored by their mean d "
                        "(--quick: 1)", 1, 16);
        options.integer("validate", &validate,
                        "eval: score on the last N training people instead of the test people (0: off), "
                        "to choose settings without the test people", 0, 1000);
        options.list("folds", &folds, "eval: folds to run, 1..4 (default all; --quick: 1)");
        app::ResumeOptions resume;  // eval: one checkpoint per fold and model in --out
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        std::vector<std::string> args = options.positional();
        check(!args.empty(), "expected a command: enroll, verify, identify or eval (see --help)");
        const std::string command = args[0];
        args.erase(args.begin());
        if (command == "eval") {
            ProtocolConfig config;
            config.train.epochs = int(common.quick ? std::min<int64_t>(epochs, 6) : epochs);
            config.train.lr = float(lr);
            config.train.seed = common.seed + 1;
            config.train.log_every = common.quick ? 2 : 20;
            config.mining = parse_mining(mining);
            config.alpha = float(alpha);
            config.identity.lambda = float(identity_lambda);
            config.whitening = float(whitening);
            config.cohort_fraction = float(cohort);
            config.calibration_people = int(calibration);
            config.target_far = far;
            config.verifier_epochs = int(common.quick ? std::min<int64_t>(verifier_epochs, 2) : verifier_epochs);
            config.validation = int(validate);
            config.ensemble = int(common.quick ? 1 : ensemble);
            config.feature = parse_pair_feature(feature);
            config.checkpoint_dir = common.out;
            config.resume = resume;
            for (const std::string& f : folds) {
                check(f.size() == 1 && f[0] >= '1' && f[0] <= '4', "eval: --folds takes 1..4, got \"", f, "\"");
                config.run_folds.push_back(f[0] - '1');
            }
            if (common.quick && folds.empty()) config.run_folds = {0};
            return eval_cmd(common, config);
        }
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
