// chapters/02_siamese_network/main.cpp
//
// One network f(x), applied to both photos, gives 128-d encodings on the unit sphere; d is the squared
// distance between them. Shows the encodings and the distances of same and different people, before
// training (random weights) and after (triplet loss, chapter 03), on people the network never saw.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/02_siamese_network/siamese.hpp"
#include "face/folds.hpp"
#include "face/metrics.hpp"
#include "face/train_triplet.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "io/plot.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"

using namespace convlab;

namespace {

constexpr int kShown = 4;  // people in the printed distance table, 2 photos each

// Prints d between photos 1 and 2 of the first kShown test people, and the mean same / different d.
PairDistances report(const char* when, FaceEncoder& f, const FaceDataset& test) {
    std::vector<Tensor> e;
    std::vector<std::string> names;
    int shown = 0;  // the first kShown unseen people with at least two photos
    for (int p = 0; p < static_cast<int>(test.people.size()) && shown < kShown; ++p) {
        if (test.images_of(p).size() < 2) continue;
        ++shown;
        for (int k = 0; k < 2; ++k) {
            e.push_back(img_to_encoding(f, test.images[test.images_of(p)[k]]));
            names.push_back(test.people[p] + "#" + std::to_string(k + 1));
        }
    }
    std::printf("%s: d(x_i, x_j) = ||f(x_i) - f(x_j)||^2 (same person on the diagonal blocks)\n%14s", when, "");
    for (const auto& n : names) std::printf("%12s", n.c_str());
    std::printf("\n");
    for (size_t i = 0; i < e.size(); ++i) {
        std::printf("%14s", names[i].c_str());
        for (size_t j = 0; j < e.size(); ++j) std::printf("%12.3f", sum(square(e[i] - e[j])).item());
        std::printf("\n");
    }
    const Tensor E = encode_all(f, test.images);
    const PairDistances pairs = pair_distances(pairwise_sq_distances(E, E), test.labels);
    double same = 0, diff = 0;
    for (float d : pairs.genuine) same += d;
    for (float d : pairs.impostor) diff += d;
    std::printf("all %zu unseen people: mean d, same person %.3f, different people %.3f;  ROC AUC %.4f\n\n",
                test.people.size(), same / pairs.genuine.size(), diff / pairs.impostor.size(), roc_auc(pairs));
    return pairs;
}

// Histogram of distances in [0, 4] as a line: share of pairs per bin.
Series histogram(const std::string& label, const std::vector<float>& d) {
    constexpr int kBins = 40;
    Series s{label, {}, std::vector<double>(kBins, 0.0)};
    for (int b = 0; b < kBins; ++b) s.x.push_back((b + 0.5) * 4.0 / kBins);
    for (float v : d) s.y[std::min(kBins - 1, std::max(0, int(v / 4.0f * kBins)))] += 1.0 / d.size();
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("02_siamese_network", [&] {
        int64_t epochs = 30;
        app::Options options("02_siamese_network", "The Siamese network: one encoder f(x) for both photos.");
        options.integer("epochs", &epochs, "epochs to train f(x) with the triplet loss (--quick: 5)", 1, 10000);
        app::ResumeOptions resume;  // one training run, one checkpoint: train_encoder.ckpt
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) epochs = std::min<int64_t>(epochs, 5);

        const FaceDataset all = chapter_faces(common.data, common.quick);
        const Split split = split_fold(all, 4, 0);
        app::ensure_dir(common.out);
        Rng rng(common.seed);
        FaceEncoder f(EncoderConfig{}, rng);
        std::printf("f(x): %d x %d grey photo -> %lld numbers on the unit sphere; %zu parameters shared by both "
                    "branches\n", f.config().height, f.config().width, static_cast<long long>(f.config().dim),
                    [&] { size_t n = 0; for (const Tensor& t : f.parameters()) n += t.numel(); return n; }());
        const Tensor f0 = img_to_encoding(f, split.test.images[0]);
        std::printf("f(%s #1) = [", split.test.people[0].c_str());
        for (int k = 0; k < 6; ++k) std::printf("%.3f, ", f0.values()[k]);
        std::printf("...]   ||f|| = %.3f\n\n", std::sqrt(sum(square(f0)).item()));

        const PairDistances before = report("random weights", f, split.test);
        TrainConfig tc;
        tc.epochs = int(epochs);
        tc.seed = common.seed + 1;
        tc.log_every = common.quick ? 1 : 10;
        tc.label = "train f(x) on " + std::to_string(split.train.people.size()) + " other people";
        tc.checkpoint = resume.checkpoint(common.out, "encoder");
        tc.resume = resume.resumes(tc.checkpoint);
        train_triplet(f, split.train, tc, Mining::SemiHard);
        std::printf("\n");
        const PairDistances after = report("after training", f, split.test);

        save_line_plot(common.out + "/distances.png",
                       {histogram("same person, random f", before.genuine),
                        histogram("different, random f", before.impostor),
                        histogram("same person, trained f", after.genuine),
                        histogram("different, trained f", after.impostor)},
                       {"d(x_i, x_j) between unseen people's photos", "d = ||f(x_i) - f(x_j)||^2", "share of pairs",
                        false});
        app::Metrics metrics;
        metrics.set_run(common);
        metrics.set("random_weights.auc", roc_auc(before));
        metrics.set("trained.auc", roc_auc(after));
        metrics.set("data", all.source);
        metrics.write(common.out);
        resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
        std::printf("figure: %s/distances.png; numbers: metrics.json\n", common.out.c_str());
        return 0;
    });
}
