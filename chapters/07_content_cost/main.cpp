// chapters/07_content_cost/main.cpp
//
// What J_content keeps, layer by layer: starting from white noise, minimise J_content(C, G) alone on one
// shallow and one deep layer, and put the two reconstructions side by side.
//                                                                         [lecture: "Content Cost Function"]
// The shallow layer gives back C almost pixel for pixel; the deep one keeps what is where, loosely.
//
//   build/bin/07_content_cost                        # embedded network: k3@1 vs k11@8
//   build/bin/07_content_cost --layers conv1_2,conv4_2 --weights data/vgg19.weights
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "convlab.hpp"
#include "chapters/09_neural_style_transfer/nst_app.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"

using namespace convlab;

int main(int argc, char** argv) {
    return app::guarded_main("07_content_cost", [&] {
        std::string content, weights;
        std::vector<std::string> layers;
        int64_t image_size = 128, iterations = 100;
        app::Options options("07_content_cost", "Reconstruct an image from one shallow and one deep layer.");
        options.text("content", &content, "content image C (default: tubingen, else a drawn town)");
        options.list("layers", &layers, "layers to reconstruct from (default: the network's shallowest and deepest)");
        options.integer("image-size", &image_size, "longer side in pixels", 16, 2048);
        options.integer("iterations", &iterations, "L-BFGS iterations per layer", 1, 100000);
        options.text("weights", &weights, "VGG-19 weights file (default: the embedded network)");
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) {
            image_size = std::min<int64_t>(image_size, 64);
            iterations = std::min<int64_t>(iterations, 30);
        }

        const NstImages images = load_nst_images(content, {}, common.data, image_size, 1.0, common.seed);
        const auto net = make_feature_net(weights, "max", "default", {images.content}, common.seed);
        if (layers.empty()) layers = weights.empty() ? std::vector<std::string>{"k3@1", "k11@8"}
                                                     : std::vector<std::string>{"conv1_2", "conv4_2"};
        std::vector<Tensor> panel = {images.content};
        std::vector<std::string> captions = {"content C"};
        app::Metrics metrics;
        for (const std::string& layer : layers) {
            StyleTransferSettings settings;
            settings.content_layer = layer;
            settings.alpha = 1.0f;
            settings.beta = 0.0f;
            Rng rng(common.seed);
            const Tensor G0 = initial_image("noise", images.content, rng);
            const StyleTargets targets = compute_targets(*net, settings, G0.shape(), images.content, {}, {});
            std::printf("J_content on layer %s, from white noise:\n", layer.c_str());
            OptimizeOptions run;
            run.iterations = int(iterations);
            const RunReport report = run_and_report(*net, targets, settings, G0, run, int(iterations / 5), 0,
                                                    common.out, "");
            const Tensor& G = report.G;
            put_metrics(report, layer + "_", metrics);
            save_png(common.out + "/from_" + layer + ".png", G);
            const double pixel_error = mean(square(G - images.content)).item();
            std::printf("  mean squared pixel difference to C: %.4f\n", pixel_error);
            metrics.set("pixel_mse_" + layer, pixel_error);
            panel.push_back(G);
            captions.push_back("from " + layer);
        }
        save_png(common.out + "/reconstructions.png", make_grid(panel, int(panel.size()), captions));
        metrics.set("network", net->description());
        metrics.write(common.out);
        std::printf("wrote %s/reconstructions.png and metrics.json\n", common.out.c_str());
        return 0;
    });
}
