// chapters/01_one_shot_learning/main.cpp
//
// Verification (1:1) vs recognition (1:K), why 99% per comparison is not enough at K = 100, and the
// lecture's office: four employees enrolled with one photo each; the door opens only for them. The
// similarity function d is tried on raw pixels and on a learned encoder f(x), on people neither has seen.
#include <algorithm>
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/01_one_shot_learning/one_shot.hpp"
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
    metrics.set("p_all_correct_K100", probability_all_correct(0.99, 100));
}

// Rows of the (N, D) representation for the office: `enrolled` rows form the database.
struct Office {
    int employees;
    std::vector<int64_t> enrolled, visitors;
    std::vector<std::string> employee_names;
};

Office make_office(const FaceDataset& test) {
    std::vector<int> people;  // those with at least two photos: one to enrol, one to come back with
    for (int p = 0; p < static_cast<int>(test.people.size()); ++p)
        if (test.images_of(p).size() >= 2) people.push_back(p);
    check(people.size() >= 2, "01_one_shot_learning: the office needs 2 unseen people with 2 photos each, got ",
          people.size());
    Office o;
    o.employees = std::min<int>(kEmployees, static_cast<int>(people.size()) / 2);
    for (int k = 0; k < 2 * o.employees; ++k) {
        const int p = people[k];
        const std::vector<int64_t> photos = test.images_of(p);
        if (k < o.employees) {
            o.enrolled.push_back(photos[0]);  // ONE photo per employee
            o.employee_names.push_back(test.people[p]);
        }
        o.visitors.push_back(photos[1]);      // employees come back; strangers try the door
    }
    return o;
}

// Opens the door for each visitor with d on the given representation; returns the number of right calls.
int run_door(const char* what, const FaceDataset& test, const Office& o, const Tensor& X, float tau,
             std::vector<std::string>& captions) {
    const Tensor db = take_copy(X, o.enrolled);
    int right = 0;
    std::printf("%s, tau = %.3f (chosen on the training people):\n", what, tau);
    for (int64_t v : o.visitors) {
        const Identification id = who_is_it(take_copy(X, {v}), db, o.employee_names, tau);
        const std::string truth = test.people[test.labels[v]];
        const bool employee =
            std::find(o.employee_names.begin(), o.employee_names.end(), truth) != o.employee_names.end();
        const bool ok = employee ? id.name() == truth : !id.known;
        right += ok;
        std::printf("  visitor %-8s (%s)  closest %-8s d = %7.3f  ->  %-8s %s\n", truth.c_str(),
                    employee ? "employee" : "stranger", id.ranking[0].name.c_str(), id.ranking[0].distance,
                    id.known ? ("open: " + id.name()).c_str() : "closed", ok ? "" : "  WRONG");
        captions.push_back(std::string(what).substr(0, 3) + ": " + (id.known ? id.name() : "closed") + (ok ? "" : " X"));
    }
    std::printf("  right calls: %d of %zu\n\n", right, o.visitors.size());
    return right;
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("01_one_shot_learning", [&] {
        int64_t epochs = 30;
        app::Options options("01_one_shot_learning",
                             "One-shot learning: verification vs recognition, and a door that knows its employees.");
        options.integer("epochs", &epochs, "epochs to train the encoder f(x) (--quick: 5)", 1, 10000);
        app::ResumeOptions resume;  // one training run, one checkpoint: train_encoder.ckpt
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) epochs = std::min<int64_t>(epochs, 5);
        app::Metrics metrics;
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

        const Office office = make_office(test);
        std::vector<std::string> raw_captions, f_captions;
        const int raw_right = run_door("raw pixels d = ||x1 - x2||^2", test, office, P_test, tau_raw, raw_captions);
        const int f_right = run_door("encoder    d = ||f(x1) - f(x2)||^2", test, office, E_test, tau_f, f_captions);

        const double raw_rank1 = rank1_one_shot(D(P_test), test.labels), f_rank1 = rank1_one_shot(D(E_test), test.labels);
        const double raw_auc = roc_auc(pair_distances(D(P_test), test.labels));
        const double f_auc = roc_auc(pair_distances(D(E_test), test.labels));
        std::printf("all %zu unseen people, one photo enrolled each:  one-shot rank-1   verification ROC AUC\n"
                    "  raw pixels                                        %.3f             %.4f\n"
                    "  learned encoder f(x)                              %.3f             %.4f\n\n",
                    test.people.size(), raw_rank1, raw_auc, f_rank1, f_auc);

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
            captions.push_back(test.people[test.labels[office.visitors[k]]] + "\n" + raw_captions[k] + "\n" + f_captions[k]);
        }
        GridOptions g;
        g.cols = int(office.visitors.size());
        g.captions = captions;
        g.scale = 2;
        g.title = "one photo per employee; visitors: raw-pixel d vs learned d (X = wrong)";
        save_png(common.out + "/office.png", make_grid(images, g));

        metrics.set("office_right_raw", raw_right);
        metrics.set("office_right_encoder", f_right);
        metrics.set("office_visitors", double(office.visitors.size()));
        metrics.set("raw_pixels.rank1", raw_rank1);
        metrics.set("raw_pixels.auc", raw_auc);
        metrics.set("encoder.rank1", f_rank1);
        metrics.set("encoder.auc", f_auc);
        metrics.set("data", all.source);
        metrics.write(common.out);
        std::printf("figure: %s/office.png; numbers: metrics.json\n", common.out.c_str());
        return 0;
    });
}
