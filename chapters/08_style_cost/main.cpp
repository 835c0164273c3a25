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
#include "app/nst_app.hpp"
#include "app/options.hpp"
#include "chapters/06_nst_cost_function/style_transfer.hpp"
#include "io/image.hpp"

using namespace convlab;

int main(int argc, char** argv) {
    return app::guarded_main("08_style_cost", [&] {
        std::string style, single;
        SynthesisOptions synthesis;
        app::Options options("08_style_cost", "Synthesise texture from a style image: one layer vs several.");
        options.text("style", &style, "style image S (default: starry_night, else a drawn painting)");
        options.text("single-layer", &single, "the one layer of the first synthesis (default: the shallowest)");
        synthesis.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        synthesis.apply_quick(common.quick);

        const NstImages images = load_nst_images("", style.empty() ? std::vector<std::string>{} : std::vector{style},
                                                 common.data, synthesis.image_size, 1.0, common.seed);
        const Tensor& S = images.styles[0];
        const auto net = make_feature_net(synthesis.weights, "avg", "default", {S}, common.seed);
        const std::vector<std::string> all = net->default_style_layers();
        if (single.empty()) single = all.front();
        std::vector<Tensor> panel = {S};
        std::vector<std::string> captions = {"style S"};
        app::Metrics metrics;
        metrics.set_run(common);
        metrics.set("single.layer", single);
        for (const auto& layers : {std::vector<std::string>{single}, all}) {
            StyleTransferSettings settings;
            settings.style_layers = layers;
            settings.lambda.assign(layers.size(), 1.0f / float(layers.size()));
            settings.alpha = 0.0f;
            settings.beta = 1.0f;
            const std::string label = layers.size() == 1 ? layers[0] : std::to_string(layers.size()) + " layers";
            std::printf("J_style on %s, from white noise:\n", label.c_str());
            const RunReport report =
                synthesize_from_noise(*net, settings, S, Tensor(), {S}, synthesis.iterations, common.seed, common.out);
            put_metrics(report, (layers.size() == 1 ? "single." : "all."), metrics);
            panel.push_back(report.G);
            captions.push_back("texture from " + label);
        }
        write_panel(common.out, "textures.png", panel, captions, *net, metrics);
        return 0;
    });
}
