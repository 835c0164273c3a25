// chapters/04_face_verification/main.cpp
//
// Face verification as binary classification: trains the triplet encoder, then on top of it (frozen) a
// logistic unit on pairs (|f_i - f_j| and the chi-square variant), compares them with the triplet encoder
// + threshold on people none of them has seen, and times the precomputed-database trick. With real photos
// and the pretrained face networks (make face-models), the same unseen people are also scored with a net
// trained elsewhere on millions of faces, side by side with the one trained here (scratch_vs_pretrained.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/01_one_shot_learning/pretrained_encoder.hpp"
#include "chapters/04_face_verification/protocol.hpp"
#include "chapters/04_face_verification/scratch_vs_pretrained.hpp"
#include "face/batches.hpp"
#include "io/plot.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"

using namespace convlab;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The lecture's computational trick, timed: a gallery of one photo per person; for each camera photo,
// either encode the whole gallery again with it (no database), or encode it alone against the stored
// gallery encodings. Returns {ms per camera photo without, with the database}.
std::pair<double, double> time_database_trick(FaceEncoder& f, const FaceDataset& test, int probes) {
    std::vector<int64_t> gallery, camera;
    for (int p = 0; p < static_cast<int>(test.people.size()); ++p) gallery.push_back(test.images_of(p)[0]);
    for (int64_t i = 0; i < test.size() && int(camera.size()) < probes; ++i)
        if (std::find(gallery.begin(), gallery.end(), i) == gallery.end()) camera.push_back(i);
    const Tensor G = take_copy(test.images, gallery);
    auto t = std::chrono::steady_clock::now();
    for (int64_t i : camera) {
        const Tensor E_gallery = encode_all(f, G), e = encode_all(f, take_copy(test.images, {i}));
        pairwise_sq_distances(e, E_gallery);
    }
    const double without = 1000 * seconds_since(t) / camera.size();
    t = std::chrono::steady_clock::now();
    const Tensor E_gallery = encode_all(f, G);  // once, at enrolment
    const double enrol = seconds_since(t);
    t = std::chrono::steady_clock::now();
    for (int64_t i : camera) pairwise_sq_distances(encode_all(f, take_copy(test.images, {i})), E_gallery);
    const double with = 1000 * seconds_since(t) / camera.size();
    std::printf("precomputed database (%zu people, %zu camera photos):\n"
                "  without: encode the camera photo and all %zu gallery photos each time   %7.2f ms per camera photo\n"
                "  with:    encode the gallery once (%.1f ms), then one forward pass each  %7.2f ms per camera photo\n\n",
                gallery.size(), camera.size(), gallery.size(), without, 1000 * enrol, with);
    return {without, with};
}

void add_roc(std::vector<Series>& series, const std::string& label, const Scores& s) {
    Series r{label, {}, {}};
    for (const RocPoint& p : s.roc) r.x.push_back(p.far), r.y.push_back(p.tar);
    series.push_back(r);
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("04_face_verification", [&] {
        int64_t epochs = 40, verifier_epochs = ProtocolConfig{}.verifier_epochs, fold = 1;
        double lr = TrainConfig{}.lr;
        app::Options options("04_face_verification",
                             "Face verification as binary classification (DeepFace) against the triplet encoder.");
        options.integer("epochs", &epochs, "training epochs of the triplet encoder (--quick: 5)", 1, 10000);
        options.integer("verifier-epochs", &verifier_epochs, "epochs of each verifier on top of it (--quick: 2)", 1,
                        10000);
        options.number("lr", &lr, "Adam's learning rate", 1e-6, 1.0);
        options.integer("fold", &fold, "which of 4 identity-disjoint folds is the unseen test set", 1, 4);
        std::string models;
        options.text("models", &models, "the pretrained face networks (make face-models); default: $CONVLAB_MODELS, "
                                        "else data/models; used with --data");
        app::ResumeOptions resume;  // one checkpoint per model: train_triplet.ckpt, train_verifier_abs.ckpt, ...
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) {
            epochs = std::min<int64_t>(epochs, 5);
            verifier_epochs = std::min<int64_t>(verifier_epochs, 2);
        }
        const PretrainedChoice pretrained = choose_pretrained(models, common.data);

        const FaceDataset all = chapter_faces(common.data, common.quick);
        const Split split = split_fold(all, 4, int(fold - 1));
        const FaceDataset &train = split.train, &test = split.test;
        std::printf("split: fold %lld of 4: train on %zu people, test on %zu unseen people\n",
                    static_cast<long long>(fold), train.people.size(), test.people.size());
        if (!pretrained.pipeline) std::printf("%s\n", pretrained.why_not.c_str());
        std::printf("y_hat = sigmoid( sum_k w_k |f(x_i)_k - f(x_j)_k| + b )   (or chi-square: "
                    "(f_i - f_j)^2 / (|f_i| + |f_j|))\n\n");
        app::ensure_dir(common.out);
        TrainConfig tc;
        tc.epochs = int(epochs);
        tc.lr = float(lr);
        tc.seed = common.seed + 1;
        tc.log_every = common.quick ? 1 : 10;
        auto D = [](const Tensor& E) { return pairwise_sq_distances(E, E); };
        app::Metrics metrics;
        metrics.set_run(common);
        std::vector<Series> roc;

        // the triplet encoder + threshold tau (chapter 03)
        Rng rng(common.seed);
        FaceEncoder f(EncoderConfig{}, rng);
        tc.label = "triplet semi-hard";
        tc.checkpoint = resume.checkpoint(common.out, "triplet");
        tc.resume = resume.resumes(tc.checkpoint);
        train_triplet(f, train, tc, Mining::SemiHard);
        const Tensor E_test = encode_all(f, test.images), E_train = encode_all(f, train.images);
        const Scores triplet = score_distances(D(E_test), test.labels, D(E_train), train.labels);
        add_roc(roc, "triplet + tau", triplet);

        // the binary verifiers: logistic units trained on pairs on top of the frozen triplet encoder
        std::vector<std::pair<std::string, Scores>> verifiers;
        tc.epochs = int(verifier_epochs);
        tc.lr = ProtocolConfig{}.verifier_lr;
        tc.freeze_encoder = true;
        for (PairFeature feature : {PairFeature::Abs, PairFeature::ChiSquare}) {
            BinaryVerifier v(f.config().dim, feature);
            tc.label = std::string("verifier ") + pair_feature_name(feature);
            tc.checkpoint = resume.checkpoint(common.out, std::string("verifier_") + pair_feature_name(feature));
            tc.resume = resume.resumes(tc.checkpoint);
            train_binary_verifier(f, v, train, tc);
            const Scores s = score_distances(verifier_distance_matrix(v, E_test, E_test), test.labels,
                                             verifier_distance_matrix(v, E_train, E_train), train.labels);
            // a few pairs, to see y_hat at work: photo 0 of person 0 against photo 1 of persons 0, 1, 2
            std::printf("  %s: y_hat(%s #1, x) for x =", pair_feature_name(feature), test.people[0].c_str());
            for (int p = 0; p < std::min<int>(3, static_cast<int>(test.people.size())); ++p) {
                if (test.images_of(p).size() < 2) continue;  // a person with a single photo has no #2
                const int64_t j = test.images_of(p)[1];
                const float y = sigmoid(v.logits(take_copy(E_test, {test.images_of(0)[0]}), take_copy(E_test, {j})))
                                    .item();
                std::printf("  %s #2: %.3f", test.people[p].c_str(), y);
            }
            std::printf("\n\n");
            add_roc(roc, std::string("verifier ") + pair_feature_name(feature), s);
            verifiers.push_back({pair_feature_name(feature), s});
        }

        std::printf("unseen people (%zu)             one-shot rank-1   ROC AUC   EER     accuracy at train tau\n",
                    test.people.size());
        auto row = [&](const std::string& name, const Scores& s) {
            std::printf("  %-28s   %.3f         %.4f    %.3f   %.3f\n", name.c_str(), s.rank1, s.auc, s.eer,
                        s.at_tau.accuracy);
            metrics.set(name + ".rank1", s.rank1);
            metrics.set(name + ".auc", s.auc);
            metrics.set(name + ".eer", s.eer);
            metrics.set(name + ".accuracy", s.at_tau.accuracy);
        };
        row("triplet", triplet);
        for (const auto& [name, s] : verifiers) row("verifier_" + app::metric_word(name), s);  // verifier_chi_square
        metrics.set("triplet.tau", triplet.tau);
        metrics.set("triplet.tar", triplet.at_tau.tar);
        metrics.set("triplet.far", triplet.at_tau.far);
        std::printf("\n");
        if (pretrained.pipeline) {
            std::printf("the same fold with the pretrained networks: every photo described once\n");
            const PretrainedFold pre = run_pretrained_fold(*pretrained.pipeline, all, 4, int(fold - 1));
            print_scratch_vs_pretrained(triplet, int(train.people.size()), pre);
            set_pretrained_metrics(metrics, pre);
            save_scratch_vs_pretrained_roc(common.out + "/scratch_vs_pretrained.png", triplet,
                                           int(train.people.size()), pre);
        }
        const auto [without, with] = time_database_trick(f, test, common.quick ? 5 : 20);
        metrics.set("without_database.ms_per_photo", without);
        metrics.set("with_database.ms_per_photo", with);
        metrics.set("data", all.source);
        metrics.set("epochs", double(epochs));
        metrics.write(common.out);
        resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
        PlotOptions po{"ROC on unseen people", "false accept rate", "true accept rate", false};
        po.diagonal = true;
        save_line_plot(common.out + "/roc.png", roc, po);
        std::printf("figures: %s/roc.png%s; numbers: metrics.json\n", common.out.c_str(),
                    pretrained.pipeline ? ", scratch_vs_pretrained.png" : "");
        return 0;
    });
}
