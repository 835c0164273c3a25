// chapters/11_conv3d_volumes/main.cpp
//
// build/bin/11_conv3d_volumes: the lecture's and the quiz's 3D shape walk-throughs, computed by the engine,
// then one 3D ConvNet design trained twice: on CT-like volumes (lesion or not) and on video clips (which
// way an object moves). Held-out accuracy over seeds, and PNG montages of slices and frames.
//                                                                      [lecture: "1D and 3D Generalizations"]
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/10_conv1d_ecg/classifier.hpp"
#include "chapters/10_conv1d_ecg/conv_shape.hpp"
#include "chapters/10_conv1d_ecg/nearest_neighbour.hpp"
#include "chapters/10_conv1d_ecg/report.hpp"
#include "chapters/11_conv3d_volumes/conv3d_shape.hpp"
#include "chapters/11_conv3d_volumes/montage.hpp"
#include "chapters/11_conv3d_volumes/volume_net.hpp"
#include "data/synthetic_volumes.hpp"
#include "io/progress.hpp"

using namespace convlab;

namespace {

struct Settings {
    int64_t seeds, epochs, width;
    uint64_t seed;
    std::string out, task;        // checkpoints go to <out>/train_<task>_seed<k>.ckpt
    app::ResumeOptions resume;
};

void print_walkthrough() {
    std::printf("Shapes, computed by conv3d; parameters (f^3 n_C + 1) n_filters"
                "   [lecture: \"1D and 3D Generalizations\"]\n");
    struct Layer {
        const char* what;
        Shape volume;
        int64_t n_filters, f, stride;
    };
    for (const Layer& l : {Layer{"lecture", {14, 14, 14, 1}, 16, 5, 1}, Layer{"quiz", {32, 32, 32, 16}, 32, 3, 1},
                           Layer{"quiz", {64, 64, 64, 3}, 16, 4, 2}}) {
        const std::string in = dims_str(l.volume) + ", " + std::to_string(l.n_filters) + " filters " +
                               dims_str({l.f, l.f, l.f}) + (l.stride > 1 ? ", stride " + std::to_string(l.stride) : "");
        std::printf("  %-8s %-48s ->  %-20s %6ld parameters\n", l.what, in.c_str(),
                    dims_str(conv3d_shape(l.volume, l.n_filters, l.f, l.stride)).c_str(),
                    static_cast<long>(conv3d_parameters(l.volume[3], l.n_filters, l.f)));
    }
}

// Trains one network per seed on `train`, returns the test accuracy of each; `first` gets seed 0's network.
std::vector<double> run_task(const std::string& title, const VolumeSet& train, const VolumeSet& test, const Settings& s,
                             std::shared_ptr<nn::Sequential>& first) {
    std::printf("\n%s: %ld training and %ld test examples of %s, %zu classes\n", title.c_str(),
                static_cast<long>(train.X.dim(0)), static_cast<long>(test.X.dim(0)),
                dims_str(lecture_shape(Shape(train.X.shape()))).c_str(), train.classes.size());
    const Shape one_input = {1, 1, train.X.dim(2), train.X.dim(3), train.X.dim(4)};
    Rng shape_rng(s.seed);
    print_layer_shapes(*make_volume_net(static_cast<int64_t>(train.classes.size()), s.width, shape_rng), one_input);
    std::printf("  1-NN Euclidean on the raw voxels: test accuracy %.3f\n",
                accuracy(nearest_neighbour(train.X, train.label, test.X), test.label));
    FitOptions fit;
    fit.epochs = s.epochs;
    fit.lr = 3e-3f;
    fit.weight_decay = 1e-2f;
    std::vector<double> accuracies;
    for (int64_t k = 0; k < s.seeds; ++k) {
        Rng rng(s.seed + static_cast<uint64_t>(k));
        auto net = make_volume_net(static_cast<int64_t>(train.classes.size()), s.width, rng);
        Progress progress("  seed " + std::to_string(s.seed + k), s.epochs, std::max<int64_t>(1, s.epochs / 3));
        fit.checkpoint = s.resume.checkpoint(s.out, s.task + "_seed" + std::to_string(s.seed + k));
        fit.resume = s.resume.resumes(fit.checkpoint);
        fit_classifier(*net, train.X, train.label, fit, rng, [&](int64_t epoch, double J, double train_acc) {
            char line[64];
            std::snprintf(line, sizeof line, "J %.4f  train accuracy %.3f", J, train_acc);
            progress.update(epoch, line);
        });
        progress.done();
        accuracies.push_back(accuracy(predict_classes(*net, test.X), test.label));
        std::printf("  seed %ld: test accuracy %.3f\n", static_cast<long>(s.seed + k), accuracies.back());
        if (k == 0) first = net;
    }
    const Summary a = summarize(accuracies);
    std::printf("%s, 3D ConvNet: test accuracy %.3f +- %.3f (mean +- std over %ld seeds; chance %.3f)\n", title.c_str(),
                a.mean, a.std, static_cast<long>(s.seeds), 1.0 / static_cast<double>(train.classes.size()));
    return accuracies;
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("11_conv3d_volumes", [&] {
        int64_t seeds = 3, epochs = 15, width = 8, n_train = 256, n_test = 256, size = 16, frames = 8;
        double clip_noise = 0.3;
        app::Options options("11_conv3d_volumes", "3D convolution: shape walk-throughs, then a 3D ConvNet on "
                                                  "generated CT-like volumes and on generated video clips.");
        options.integer("seeds", &seeds, "networks trained from different seeds (accuracy: mean and std)", 1, 100);
        options.integer("epochs", &epochs, "passes over the training examples", 1, 10000);
        options.integer("width", &width, "filters in the first layer (2 width after)", 1, 256);
        options.integer("train", &n_train, "training examples per task", 8, 100000);
        options.integer("test", &n_test, "held-out examples per task", 8, 100000);
        options.integer("size", &size, "volume side and frame side (a multiple of 4)", 12, 64);
        options.integer("frames", &frames, "frames per clip (a multiple of 4, at most size - 4)", 4, 64);
        options.number("clip-noise", &clip_noise, "standard deviation of the noise on the clips", 0.0, 2.0);
        app::ResumeOptions resume;
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        check(size % 4 == 0 && frames % 4 == 0, "--size and --frames: expected multiples of 4 (two 2x2x2 poolings), "
              "got ", size, " and ", frames);
        check(frames <= size - 4, "--frames: expected at most --size - 4 = ", size - 4, ", "
              "got ", frames);
        if (common.quick) {  // a few seconds: one network per task on few examples
            seeds = 1;
            epochs = std::min<int64_t>(epochs, 8);
            n_train = std::min<int64_t>(n_train, 128);
            n_test = std::min<int64_t>(n_test, 128);
        }
        check(common.data.empty(), "--data: expected none, got '", common.data, "': the volumes and clips are generated");
        app::ensure_dir(common.out);
        print_walkthrough();

        Settings settings{seeds, epochs, width, common.seed, common.out, "volumes", resume};
        Rng data_rng(common.seed + 1000);
        const VolumeSet volumes_train = synthetic_volumes(n_train, size, data_rng);
        const VolumeSet volumes_test = synthetic_volumes(n_test, size, data_rng);
        const VolumeSet clips_train = synthetic_clips(n_train, frames, size, data_rng, static_cast<float>(clip_noise));
        const VolumeSet clips_test = synthetic_clips(n_test, frames, size, data_rng, static_cast<float>(clip_noise));

        std::shared_ptr<nn::Sequential> volume_net, clip_net;
        const std::vector<double> volume_acc = run_task("CT volumes (lesion or not)", volumes_train, volumes_test,
                                                        settings, volume_net);
        settings.task = "clips";
        const std::vector<double> clip_acc = run_task("video clips (direction of motion)", clips_train, clips_test,
                                                      settings, clip_net);

        save_montage(common.out + "/volumes.png", "CT-like volumes: slice 0 .. " + std::to_string(size - 1) + " of each",
                     volumes_test, predict_classes(*volume_net, volumes_test.X), 4);
        save_montage(common.out + "/clips.png", "Clips: frame 0 .. " + std::to_string(frames - 1) + " of each",
                     clips_test, predict_classes(*clip_net, clips_test.X), 4);

        app::Metrics metrics;
        metrics.set_run(common);
        metrics.set("seeds", static_cast<double>(seeds));
        metrics.set("epochs", static_cast<double>(epochs));
        metrics.set("train_size", static_cast<double>(n_train));
        metrics.set("test_size", static_cast<double>(n_test));
        const Summary v = summarize(volume_acc), c = summarize(clip_acc);
        metrics.set("volume.accuracy_mean", v.mean);
        metrics.set("volume.accuracy_std", v.std);
        metrics.set("clip.accuracy_mean", c.mean);
        metrics.set("clip.accuracy_std", c.std);
        metrics.write(common.out);
        resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
        std::printf("\nfigures: %s/{volumes,clips}.png   metrics: %s/metrics.json\n", common.out.c_str(),
                    common.out.c_str());
        return 0;
    });
}
