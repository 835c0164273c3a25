// chapters/08_style_cost/main.cpp
//
// What J_style keeps: starting from white noise, minimise J_style(S, G) alone, with the style image and no
// content. One layer gives the painting's colours in its finest grain; several layers add strokes and
// swirls at every size. The picture itself is gone: Gram matrices do not know where.
//                                                                         [lecture: "Style Cost Function"]
//
//   build/bin/08_style_cost                              # embedded network: k3@1 alone vs every scale
//   build/bin/08_style_cost --style ../shared/data/nst/style/wave.jpg
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "chapters/09_neural_style_transfer/nst_app.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"

using namespace convlab;

int main(int argc, char** argv) {
    return app::guarded_main("08_style_cost", [&] {
        std::string style, weights, single;
        int64_t image_size = 128, iterations = 100;
        app::Options options("08_style_cost", "Synthesise texture from a style image: one layer vs several.");
        options.text("style", &style, "style image S (default: starry_night, else a drawn painting)");
        options.text("single-layer", &single, "the one layer of the first synthesis (default: the shallowest)");
        options.integer("image-size", &image_size, "longer side in pixels", 16, 2048);
        options.integer("iterations", &iterations, "L-BFGS iterations per synthesis", 1, 100000);
        options.text("weights", &weights, "VGG-19 weights file (default: the embedded network)");
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) {
            image_size = std::min<int64_t>(image_size, 64);
            iterations = std::min<int64_t>(iterations, 30);
        }

        const NstImages images = load_nst_images("", style.empty() ? std::vector<std::string>{} : std::vector{style},
                                                 common.data, image_size, 1.0, common.seed);
        const Tensor& S = images.styles[0];
        const auto net = make_feature_net(weights, "avg", "default", {S}, common.seed);
        const std::vector<std::string> all = net->default_style_layers();
        if (single.empty()) single = all.front();
        std::vector<Tensor> panel = {S};
        std::vector<std::string> captions = {"style S"};
        app::Metrics metrics;
        for (const auto& layers : {std::vector<std::string>{single}, all}) {
            StyleTransferSettings settings;
            settings.style_layers = layers;
            settings.lambda.assign(layers.size(), 1.0f / float(layers.size()));
            settings.alpha = 0.0f;
            settings.beta = 1.0f;
            Rng rng(common.seed);
            const Tensor G0 = initial_image("noise", S, rng);
            const StyleTargets targets = compute_targets(*net, settings, G0.shape(), Tensor(), {S}, {1.0f});
            const std::string label = layers.size() == 1 ? layers[0] : std::to_string(layers.size()) + " layers";
            std::printf("J_style on %s, from white noise:\n", label.c_str());
            OptimizeOptions run;
            run.iterations = int(iterations);
            const RunReport report = run_and_report(*net, targets, settings, G0, run, int(iterations / 5), 0,
                                                    common.out, "");
            put_metrics(report, (layers.size() == 1 ? "single_" : "all_"), metrics);
            panel.push_back(report.G);
            captions.push_back("texture from " + label);
        }
        save_png(common.out + "/textures.png", make_grid(panel, int(panel.size()), captions));
        metrics.set("network", net->description());
        metrics.write(common.out);
        std::printf("wrote %s/textures.png and metrics.json\n", common.out.c_str());
        return 0;
    });
}
