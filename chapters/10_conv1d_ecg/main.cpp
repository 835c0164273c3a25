// chapters/10_conv1d_ecg/main.cpp
//
// build/bin/10_conv1d_ecg: the lecture's 1D shape walk-through, computed by the engine, then a 1D ConvNet
// that tells normal from abnormal heartbeats, beside the 1-nearest-neighbour baseline.
//                                                                      [lecture: "1D and 3D Generalizations"]
//   10_conv1d_ecg                          synthetic beats (data/synthetic_ecg.hpp)
//   10_conv1d_ecg --data ../shared/data/ecg  UCR ECG200: 100 training and 100 test beats of 96 samples
#include <cstdio>
#include <memory>
#include <string>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/10_conv1d_ecg/augment.hpp"
#include "chapters/10_conv1d_ecg/classifier.hpp"
#include "chapters/10_conv1d_ecg/conv_shape.hpp"
#include "chapters/10_conv1d_ecg/ecg_net.hpp"
#include "chapters/10_conv1d_ecg/nearest_neighbour.hpp"
#include "chapters/10_conv1d_ecg/report.hpp"
#include "data/synthetic_ecg.hpp"
#include "data/ucr.hpp"
#include "io/plot.hpp"
#include "io/progress.hpp"
#include "nn/layers.hpp"
#include "ops/conv.hpp"

using namespace convlab;

namespace {

constexpr double kTarget = 0.90;  // the FCN's accuracy on ECG200 (Wang et al., 2017)

std::string label_name(int y) { return y == 1 ? "normal" : y == -1 ? "abnormal" : "class " + std::to_string(y); }

// The lecture's shapes, each the result of a real convolution.
void print_walkthrough(nn::Sequential& net, int64_t L) {
    std::printf("Shapes, computed by the engine                    [lecture: \"1D and 3D Generalizations\"]\n");
    const Shape image = lecture_shape(conv2d(Tensor::zeros({1, 1, 14, 14}), Tensor::zeros({16, 1, 5, 5})).shape());
    std::printf("  2D: image 14 x 14 x 1, 16 filters 5 x 5   ->  %s\n", dims_str(image).c_str());
    std::printf("  1D: ECG 14 x 1,        16 filters of 5    ->  %s        n_out = (14 - 5)/1 + 1 = %ld\n",
                dims_str(conv1d_shape(14, 1, 16, 5)).c_str(), static_cast<long>(conv_output_size(14, 5)));
    std::printf("  one beat through the network:\n");
    print_layer_shapes(net, {1, 1, L});
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("10_conv1d_ecg", [&] {
        int64_t seeds = 5, epochs = 500, width = 16, batch = 16;
        double lr = 3e-3, weight_decay = 1e-2;
        app::Options options("10_conv1d_ecg", "1D convolution: shape walk-through, then a ConvNet on heartbeats "
                                              "(ECG200 with --data, synthetic beats without).");
        options.integer("seeds", &seeds, "networks trained from different seeds (accuracy: mean and std)", 1, 100);
        options.integer("epochs", &epochs, "passes over the training beats", 1, 100000);
        options.integer("width", &width, "filters in the first block (2 width in the second)", 1, 512);
        options.integer("batch", &batch, "beats per minibatch", 1, 4096);
        options.number("lr", &lr, "Adam's learning rate alpha at the start (cosine decay to 0)", 1e-6, 1.0);
        options.number("weight-decay", &weight_decay, "AdamW's decoupled weight decay lambda", 0.0, 1.0);
        app::ResumeOptions resume;
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) {  // about ten seconds: one network, a short run
            seeds = 1;
            epochs = std::min<int64_t>(epochs, 40);
            width = std::min<int64_t>(width, 8);
        }

        // ---- data --------------------------------------------------------------------------------------
        UcrSet train, test;
        if (common.data.empty()) {
            Rng data_rng(common.seed + 1000);
            train = synthetic_ecg(common.quick ? 100 : 200, data_rng);
            test = synthetic_ecg(common.quick ? 100 : 500, data_rng);
        } else {
            train = load_ucr(common.data + "/ECG200_TRAIN.txt");
            test = load_ucr(common.data + "/ECG200_TEST.txt");
        }
        check(train.length() == test.length(), test.name, ": beats of ", test.length(), " samples, expected ",
              train.length(), " as in ", train.name);
        const std::vector<int> classes = ucr_classes(train.label);
        const std::vector<int> y_train = ucr_class_index(train.label, classes);
        const std::vector<int> y_test = ucr_class_index(test.label, classes);
        app::ensure_dir(common.out);  // the data read well: outputs from here on
        std::printf("data: %s, %ld training and %ld test beats of %ld samples, classes", train.name.c_str(),
                    static_cast<long>(train.size()), static_cast<long>(test.size()), static_cast<long>(train.length()));
        for (const int c : classes) std::printf(" %d (%s)", c, label_name(c).c_str());
        std::printf("\n\n");

        Rng rng(common.seed);
        print_walkthrough(*make_ecg_net(static_cast<int64_t>(classes.size()), width, rng), train.length());

        // ---- baseline and ConvNets ---------------------------------------------------------------------
        const double nn_accuracy = accuracy(nearest_neighbour(train.X, y_train, test.X), y_test);
        std::printf("\n1-NN Euclidean (no training): test accuracy %.3f\n\n", nn_accuracy);

        FitOptions fit;
        fit.epochs = epochs;
        fit.batch_size = batch;
        fit.lr = static_cast<float>(lr);
        fit.weight_decay = static_cast<float>(weight_decay);
        fit.augment = [](const Tensor& x, Rng& r) { return augment_beats(x, r); };
        std::vector<double> accuracies, curve;
        std::shared_ptr<nn::Sequential> first;
        for (int64_t s = 0; s < seeds; ++s) {
            Rng seed_rng(common.seed + static_cast<uint64_t>(s));
            auto net = make_ecg_net(static_cast<int64_t>(classes.size()), width, seed_rng);
            fit.checkpoint = resume.checkpoint(common.out, "seed" + std::to_string(common.seed + s));
            fit.resume = resume.resumes(fit.checkpoint);
            Progress progress("seed " + std::to_string(common.seed + s), epochs, std::max<int64_t>(1, epochs / 5));
            fit_classifier(*net, train.X, y_train, fit, seed_rng, [&](int64_t epoch, double J, double train_acc) {
                if (s == 0) curve.push_back(J);
                char line[64];
                std::snprintf(line, sizeof line, "J %.4f  train accuracy %.3f", J, train_acc);
                progress.update(epoch, line);
            });
            progress.done();
            accuracies.push_back(accuracy(predict_classes(*net, test.X), y_test));
            std::printf("  seed %ld: test accuracy %.3f\n", static_cast<long>(common.seed + s), accuracies.back());
            if (s == 0) first = net;
        }
        const Summary acc = summarize(accuracies);
        std::printf("\n1D ConvNet: test accuracy %.3f +- %.3f (mean +- std over %ld seeds)   1-NN Euclidean: %.3f",
                    acc.mean, acc.std, static_cast<long>(seeds), nn_accuracy);
        if (!common.data.empty()) std::printf("   FCN target: %.2f", kTarget);
        std::printf("\n");

        // ---- figures and metrics -----------------------------------------------------------------------
        save_beats_plot(common.out + "/beats.png", train, label_name);
        save_filters_grid(common.out + "/filters.png", dynamic_cast<nn::Conv&>(*(*first)[0]).W);
        std::vector<double> epoch_axis;
        for (size_t e = 1; e <= curve.size(); ++e) epoch_axis.push_back(static_cast<double>(e));
        save_line_plot(common.out + "/training.png", {{"J (seed " + std::to_string(common.seed) + ")", epoch_axis, curve}},
                       {"Training cost of the 1D ConvNet", "epoch", "cross-entropy J", true});

        app::Metrics metrics;
        metrics.set_run(common);
        metrics.set("data", train.name);
        metrics.set("train_size", static_cast<double>(train.size()));
        metrics.set("test_size", static_cast<double>(test.size()));
        metrics.set("epochs", static_cast<double>(epochs));
        metrics.set("width", static_cast<double>(width));
        metrics.set("seeds", static_cast<double>(seeds));
        metrics.set("accuracy_mean", acc.mean);
        metrics.set("accuracy_std", acc.std);
        for (size_t s = 0; s < accuracies.size(); ++s)
            metrics.set("seed" + std::to_string(common.seed + s) + ".accuracy", accuracies[s]);
        metrics.set("one_nn.accuracy", nn_accuracy);
        metrics.write(common.out);
        resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
        std::printf("figures: %s/{beats,filters,training}.png   metrics: %s/metrics.json\n", common.out.c_str(),
                    common.out.c_str());
        return 0;
    });
}
