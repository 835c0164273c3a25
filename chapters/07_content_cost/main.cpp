// chapters/07_content_cost/main.cpp
//
// What J_content keeps, layer by layer: starting from white noise, minimise J_content(C, G) alone on one
// shallow and one deep layer, and put the two reconstructions side by side.
//                                                                         [lecture: "Content Cost Function"]
// The shallow layer gives back C almost pixel for pixel; the deep one keeps what is where, loosely.
//
//   build/bin/07_content_cost                        # embedded network: k3@1 vs k11@8
//   build/bin/07_content_cost --layers conv1_2,conv4_2       # VGG-19 once `make vgg19` ran
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/nst_app.hpp"
#include "app/options.hpp"
#include "chapters/06_nst_cost_function/style_transfer.hpp"
#include "convlab.hpp"
#include "io/image.hpp"

using namespace convlab;

int main(int argc, char** argv) {
    return app::guarded_main("07_content_cost", [&] {
        std::string content;
        std::vector<std::string> layers;
        SynthesisOptions synthesis;
        app::Options options("07_content_cost", "Reconstruct an image from one shallow and one deep layer.");
        options.text("content", &content, "content image C (default: tubingen, else a drawn town)");
        options.list("layers", &layers, "layers to reconstruct from (default: the network's shallowest and deepest)");
        synthesis.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        synthesis.apply_quick(common.quick);

        const NstImages images = load_nst_images(content, {}, common.data, synthesis.image_size, 1.0, common.seed);
        const Tensor& C = images.content;
        const auto net = make_feature_net(synthesis.weights, "max", "default", {C}, common.seed);
        if (layers.empty()) layers = resolve_weights(synthesis.weights).empty()
                                         ? std::vector<std::string>{"k3@1", "k11@8"}
                                         : std::vector<std::string>{"conv1_2", "conv4_2"};
        std::vector<Tensor> panel = {C};
        std::vector<std::string> captions = {"content C"};
        app::Metrics metrics;
        metrics.set_run(common);
        for (size_t i = 0; i < layers.size(); ++i) {
            const std::string& layer = layers[i];
            // metrics.json names the layers by their place: layer1 (the shallow one), layer2, ...
            const std::string key = "layer" + std::to_string(i + 1);
            metrics.set(key + ".name", layer);
            StyleTransferSettings settings;
            settings.content_layers = {layer};
            settings.content_lambda = {1.0f};
            settings.alpha = 1.0f;
            settings.beta = 0.0f;
            std::printf("J_content on layer %s, from white noise:\n", layer.c_str());
            const RunReport report =
                synthesize_from_noise(*net, settings, C, C, {}, synthesis.iterations, common.seed, common.out);
            const Tensor& G = report.G;
            put_metrics(report, key + ".", metrics);
            save_png(common.out + "/from_" + layer + ".png", G);
            const double pixel_error = mean(square(G - C)).item();
            std::printf("  mean squared pixel difference to C: %.4f\n", pixel_error);
            metrics.set(key + ".pixel_mse", pixel_error);
            panel.push_back(G);
            captions.push_back("from " + layer);
        }
        write_panel(common.out, "reconstructions.png", panel, captions, *net, metrics);
        return 0;
    });
}
