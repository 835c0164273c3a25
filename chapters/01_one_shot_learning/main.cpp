// chapters/01_one_shot_learning/main.cpp
//
// Verification (1:1) vs recognition (1:K), why 99% per comparison is not enough at K = 100, and the
// lecture's office: four employees enrolled with one photo each; the door opens only for them. The
// similarity function d is tried on raw pixels and on a learned encoder f(x), on people neither has seen;
// with real photos and the pretrained face networks (make face-models), also on f(x) of a network trained
// elsewhere on millions of faces, with dlib's tau = 0.6.
#include <algorithm>
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/01_one_shot_learning/office.hpp"
#include "chapters/01_one_shot_learning/one_shot.hpp"
#include "chapters/01_one_shot_learning/pretrained_encoder.hpp"
#include "core/error.hpp"
#include "face/batches.hpp"
#include "face/folds.hpp"
#include "face/metrics.hpp"
#include "face/train_triplet.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "ops/distance.hpp"

using namespace convlab;

namespace {

constexpr int kEmployees = 4;  // the lecture's office (fewer if the test fold has fewer than 8 people)

void print_k_table(app::Metrics& metrics) {
    std::printf("Verification (1:1): \"is this person who they claim to be?\"  d(img1, img2) <= tau\n"
                "Recognition  (1:K): \"is this anyone of the K people in the database, and who?\"\n\n"
                "A verifier right with probability p = 0.99 on each comparison, used for K people:\n"
                "     K   P(all K comparisons right) = p^K   wrong comparisons expected = K (1 - p)\n");
    for (int K : {1, 10, 100, 1000})
        std::printf("  %4d   %10.4g                           %6.2f\n", K, probability_all_correct(0.99, K),
                    expected_errors(0.99, K));
    std::printf("At K = 100 a stranger gets in %.0f%% of the time: recognition needs a far better verifier.\n\n",
                100 * (1 - probability_all_correct(0.99, 100)));
    metrics.set("p_all_correct_k100", probability_all_correct(0.99, 100));
}

// The door on one representation F of the office's photos (rows: office.photos()), printed; returns the
// calls and adds one caption line per visitor ("raw: s3", "enc: closed X").
std::vector<DoorCall> run_door(const std::string& what, const std::string& tau_source, const FaceDataset& test,
                               const Office& o, const Tensor& F, float tau, DoorDistance distance,
                               std::vector<std::string>& captions) {
    int right = 0;
    std::printf("%s, tau = %.3f (%s):\n", what.c_str(), tau, tau_source.c_str());
    const std::vector<DoorCall> calls = open_door(test, o, F, tau, distance);
    for (const DoorCall& c : calls) {
        right += c.right;
        std::printf("  visitor %-8s (%s)  closest %-8s d = %7.3f  ->  %-8s %s\n", c.visitor.c_str(),
                    c.employee ? "employee" : "stranger", c.closest.name.c_str(), c.closest.distance,
                    c.opens ? ("open: " + c.closest.name).c_str() : "closed", c.right ? "" : "  WRONG");
        captions.push_back(what.substr(0, 3) + ": " + (c.opens ? c.closest.name : "closed") + (c.right ? "" : " X"));
    }
    std::printf("  right calls: %d of %zu\n\n", right, o.visitors.size());
    return calls;
}

int right_calls(const std::vector<DoorCall>& calls) {
    return int(std::count_if(calls.begin(), calls.end(), [](const DoorCall& c) { return c.right; }));
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("01_one_shot_learning", [&] {
        int64_t epochs = 30;
        app::Options options("01_one_shot_learning",
                             "One-shot learning: verification vs recognition, and a door that knows its employees.");
        options.integer("epochs", &epochs, "epochs to train the encoder f(x) (--quick: 5)", 1, 10000);
        std::string models;
        options.text("models", &models, "the pretrained face networks (make face-models); default: $CONVLAB_MODELS, "
                                        "else data/models; used with --data");
        app::ResumeOptions resume;  // one training run, one checkpoint: train_encoder.ckpt
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) epochs = std::min<int64_t>(epochs, 5);
        const PretrainedChoice pretrained = choose_pretrained(models, common.data);
        app::Metrics metrics;
        metrics.set_run(common);
        print_k_table(metrics);

        const FaceDataset all = chapter_faces(common.data, common.quick);
        const Split split = split_fold(all, 4, 0);
        const FaceDataset &train = split.train, &test = split.test;
        std::printf("the encoder learns from %zu people; the office's employees and strangers are %zu others\n\n",
                    train.people.size(), test.people.size());
        app::ensure_dir(common.out);
        Rng rng(common.seed);
        FaceEncoder f(EncoderConfig{}, rng);
        TrainConfig tc;
        tc.epochs = int(epochs);
        tc.seed = common.seed + 1;
        tc.log_every = common.quick ? 1 : 10;
        tc.label = "encoder";
        tc.checkpoint = resume.checkpoint(common.out, "encoder");
        tc.resume = resume.resumes(tc.checkpoint);
        train_triplet(f, train, tc, Mining::SemiHard);
        std::printf("\n");

        auto D = [](const Tensor& X) { return pairwise_sq_distances(X, X); };
        auto pixels = [](const FaceDataset& ds) { return ds.images.reshape({ds.size(), -1}); };
        const Tensor E_test = encode_all(f, test.images), P_test = pixels(test);
        const float tau_raw = choose_threshold(pair_distances(D(pixels(train)), train.labels));
        const float tau_f = choose_threshold(pair_distances(D(encode_all(f, train.images)), train.labels));

        const Office office = make_office(test, kEmployees);
        const std::vector<int64_t> rows = office.photos();
        std::vector<std::string> raw_captions, f_captions, pre_captions;
        const std::string trained_here = "chosen on the training people";
        const int raw_right = right_calls(run_door("raw pixels d = ||x1 - x2||^2", trained_here, test, office,
                                                   take_copy(P_test, rows), tau_raw, DoorDistance::Squared,
                                                   raw_captions));
        const int f_right = right_calls(run_door("encoder    d = ||f(x1) - f(x2)||^2", trained_here, test, office,
                                                 take_copy(E_test, rows), tau_f, DoorDistance::Squared, f_captions));
        // the same office with f(x) of a network trained elsewhere on millions of faces, which detects and aligns
        // each face first: every test photo described once (the table below scores them all)
        Tensor F_test;
        std::vector<DoorCall> pre_calls;
        std::vector<FaceFound> found;
        if (pretrained.pipeline) {
            std::printf("pretrained f(x): face-api's port of dlib's ResNet, after its detector and 68-landmark "
                        "alignment (docs/face-models.md)\n");
            F_test = pretrained_encodings(*pretrained.pipeline, test.files, &found);
            pre_calls = run_door("pretrained d = ||f(x1) - f(x2)||", "dlib's own, chosen on none of these people",
                                 test, office, take_copy(F_test, rows), kPretrainedThreshold, DoorDistance::Euclidean,
                                 pre_captions);
        } else if (!common.data.empty() || !models.empty()) {
            std::printf("%s\n\n", pretrained.why_not.c_str());
        }

        const double raw_rank1 = rank1_one_shot(D(P_test), test.labels), f_rank1 = rank1_one_shot(D(E_test), test.labels);
        const double raw_auc = roc_auc(pair_distances(D(P_test), test.labels));
        const double f_auc = roc_auc(pair_distances(D(E_test), test.labels));
        std::printf("all %zu unseen people, one photo enrolled each:  one-shot rank-1   verification ROC AUC\n"
                    "  raw pixels                                        %.3f             %.4f\n"
                    "  learned encoder f(x)                              %.3f             %.4f\n",
                    test.people.size(), raw_rank1, raw_auc, f_rank1, f_auc);
        // rank-1 and AUC depend only on the order of the distances: ||.||^2 ranks as ||.|| does
        const double pre_rank1 = F_test.defined() ? rank1_one_shot(D(F_test), test.labels) : 0;
        const double pre_auc = F_test.defined() ? roc_auc(pair_distances(D(F_test), test.labels)) : 0;
        const auto photos_found = [&](FaceFound how) { return int(std::count(found.begin(), found.end(), how)); };
        if (F_test.defined())
            std::printf("  pretrained f(x), detected and aligned             %.3f             %.4f   (%lld photos: %d "
                        "faces found only in a frame of a frame, %d photos with none, described whole)\n", pre_rank1,
                        pre_auc, static_cast<long long>(test.size()), photos_found(FaceFound::InFrameTwice),
                        photos_found(FaceFound::Whole));
        std::printf("\n");

        // office.png: the enrolled photos, then the visitors with both decisions
        std::vector<Tensor> images;
        std::vector<std::string> captions;
        for (size_t k = 0; k < office.enrolled.size(); ++k) {
            images.push_back(test.images[office.enrolled[k]]);
            captions.push_back("enrolled\n" + office.employee_names[k]);
        }
        for (size_t k = office.enrolled.size(); k < office.visitors.size(); ++k) images.push_back(Tensor::ones({1, 8, 8}));
        captions.resize(office.visitors.size(), "");
        for (size_t k = 0; k < office.visitors.size(); ++k) {
            images.push_back(test.images[office.visitors[k]]);
            captions.push_back(test.people[test.labels[office.visitors[k]]] + "\n" + raw_captions[k] + "\n" +
                               f_captions[k] + (pre_captions.empty() ? "" : "\n" + pre_captions[k]));
        }
        GridOptions g;
        g.cols = int(office.visitors.size());
        g.captions = captions;
        g.scale = 2;
        g.title = pre_captions.empty()
                      ? "one photo per employee; visitors: raw-pixel d vs learned d (X = wrong)"
                      : "one photo per employee; visitors: raw, learned, pretrained d (X = wrong)";
        save_png(common.out + "/office.png", make_grid(images, g));

        metrics.set("office_visitors", double(office.visitors.size()));
        metrics.set("raw_pixels.office_right", raw_right);
        metrics.set("raw_pixels.rank1", raw_rank1);
        metrics.set("raw_pixels.auc", raw_auc);
        metrics.set("encoder.office_right", f_right);
        metrics.set("encoder.rank1", f_rank1);
        metrics.set("encoder.auc", f_auc);
        if (pretrained.pipeline) {
            float employee_max = 0, stranger_min = 1e9f;  // the pretrained d of the visitors, by kind
            for (const DoorCall& c : pre_calls) {
                if (c.employee) employee_max = std::max(employee_max, c.closest.distance);
                else stranger_min = std::min(stranger_min, c.closest.distance);
            }
            metrics.set("pretrained.office_right", right_calls(pre_calls));
            metrics.set("pretrained.tau", kPretrainedThreshold);
            metrics.set("pretrained.employee_d_max", employee_max);
            metrics.set("pretrained.stranger_d_min", stranger_min);
            metrics.set("pretrained.rank1", pre_rank1);
            metrics.set("pretrained.auc", pre_auc);
            metrics.set("pretrained.photos_framed_twice", photos_found(FaceFound::InFrameTwice));
            metrics.set("pretrained.photos_whole", photos_found(FaceFound::Whole));
        }
        metrics.set("data", all.source);
        metrics.write(common.out);
        resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
        std::printf("figure: %s/office.png; numbers: metrics.json\n", common.out.c_str());
        return 0;
    });
}
