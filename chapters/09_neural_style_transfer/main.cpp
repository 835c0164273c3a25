// chapters/09_neural_style_transfer/main.cpp
//
// The whole Neural Style Transfer program, with the options users of neural-style expect.
//                                     [lecture: "Neural Style Transfer", "Cost Function", Gatys et al., 2015]
//
//   build/bin/09_neural_style_transfer                                   # tubingen x starry_night, or drawn images
//   build/bin/09_neural_style_transfer --content me.jpg --style a.jpg,b.jpg --style-blend 0.7,0.3
//   build/bin/09_neural_style_transfer --weights data/vgg19.weights --pooling avg   # VGG-19 (export_vgg19.py)
#include <algorithm>
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/nst_app.hpp"
#include "app/options.hpp"
#include "chapters/06_nst_cost_function/style_transfer.hpp"
#include "chapters/09_neural_style_transfer/original_colors.hpp"
#include "core/error.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "nets/multiscale.hpp"

using namespace convlab;

int main(int argc, char** argv) {
    return app::guarded_main("09_neural_style_transfer", [&] {
        std::string content, weights, content_layer, init = "content", optimizer = "lbfgs", pooling = "max";
        std::string network = "default";
        std::vector<std::string> styles, blend, style_layers;
        int64_t image_size = 256, iterations = -1, print_every = 10, save_every = 50;
        double content_weight = 10, style_weight = -1, tv_weight = 0, style_scale = 1, learning_rate = 0.02;
        bool original_colors = false;

        app::Options options("09_neural_style_transfer", "Paint a content image in the style of a painting.");
        options.text("content", &content, "content image (default: tubingen from ../shared/data/nst, else drawn)");
        options.list("style", &styles, "style image(s), comma-separated (default: starry_night, else drawn)");
        options.list("style-blend", &blend, "weights of the style images (default: equal)");
        options.integer("image-size", &image_size, "longer side of the generated image in pixels", 16, 4096);
        options.number("content-weight", &content_weight, "alpha, the content cost's weight", 0, 1e12);
        options.number("style-weight", &style_weight, "beta, the style cost's weight (-1: the network's default)", -1, 1e12);
        options.number("tv-weight", &tv_weight, "total-variation (smoothness) weight", 0, 1e12);
        options.text("content-layer", &content_layer, "layer l of J_content (default: the network's)");
        options.list("style-layers", &style_layers, "layers of J_style as name[:lambda], comma-separated");
        options.choice("init", &init, {"noise", "content", "content+noise"}, "the starting image G");
        options.choice("optimizer", &optimizer, {"lbfgs", "adam"}, "how G's pixels are updated");
        options.number("learning-rate", &learning_rate, "Adam's step size (pixels are in [0, 1])", 1e-6, 10);
        options.integer("iterations", &iterations, "optimisation iterations (-1: 100 embedded network, 300 VGG-19)", -1,
                        100000);
        options.integer("print-every", &print_every, "print the costs every N iterations (0: never)", 0, 100000);
        options.integer("save-every", &save_every, "write a frame every N iterations (0: only the result)", 0, 100000);
        options.flag("original-colors", &original_colors, "keep the content image's colours");
        options.number("style-scale", &style_scale, "style image size relative to --image-size", 0.05, 8);
        options.choice("pooling", &pooling, {"max", "avg"}, "VGG-19 pooling (with --weights)");
        options.text("weights", &weights, "VGG-19 weights file (data/export_vgg19.py); default: the embedded network");
        options.choice("network", &network, multiscale_config_names(), "embedded feature network (without --weights)");
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        std::vector<float> blend_weights = parse_numbers(blend, "--style-blend");  // checked before any work
        check(blend.empty() || blend.size() == std::max<size_t>(1, styles.size()), "--style-blend: expected one "
              "weight per --style image (", std::max<size_t>(1, styles.size()), "), got ", blend.size());
        // the embedded network's J levels off after 60 to 80 L-BFGS iterations at 256 px; 300 for VGG-19 (Gatys)
        if (iterations < 1) iterations = weights.empty() ? 100 : 300;
        if (common.quick) {
            image_size = std::min<int64_t>(image_size, 128);
            iterations = std::min<int64_t>(iterations, 40);
        }

        const NstImages images = load_nst_images(content, styles, common.data, image_size, style_scale, common.seed);
        if (blend_weights.empty()) blend_weights.assign(images.styles.size(), 1.0f);

        std::vector<Tensor> calibration = images.styles;
        calibration.push_back(images.content);
        const auto net = make_feature_net(weights, pooling, network, calibration, common.seed);
        StyleTransferSettings settings;
        settings.content_layer = content_layer.empty() ? net->default_content_layer() : content_layer;
        parse_style_layers(style_layers, *net, settings.style_layers, settings.lambda);
        settings.alpha = float(content_weight);
        settings.beta = style_weight < 0 ? net->default_style_weight() : float(style_weight);
        settings.tv_weight = float(tv_weight);
        std::printf("network: %s\ncontent %s (%lldx%lld), style", net->description().c_str(),
                    images.content_name.c_str(), (long long)images.content.dim(2), (long long)images.content.dim(1));
        for (const auto& s : images.style_names) std::printf(" %s", s.c_str());
        std::printf("; alpha %g, beta %g, content layer %s, %zu style layers\n", settings.alpha, settings.beta,
                    settings.content_layer.c_str(), settings.style_layers.size());

        const Tensor G0 = [&] {
            Rng rng(common.seed);
            return initial_image(init, images.content, rng);
        }();
        const StyleTargets targets = compute_targets(*net, settings, G0.shape(), images.content, images.styles, blend_weights);
        OptimizeOptions run;
        run.optimizer = optimizer;
        run.iterations = int(iterations);
        run.learning_rate = float(learning_rate);
        const RunReport report = run_and_report(style_transfer_cost(*net, targets, settings), G0, run, int(print_every),
                                                int(save_every), common.out, "frame");
        Tensor G = report.G;
        if (original_colors) G = keep_original_colors(G, images.content);
        save_png(common.out + "/result.png", G);
        std::vector<Tensor> panel = {images.content};
        std::vector<std::string> captions = {"content: " + images.content_name};
        for (size_t i = 0; i < images.styles.size(); ++i) {
            panel.push_back(images.styles[i]);
            captions.push_back("style: " + images.style_names[i]);
        }
        panel.push_back(G);
        captions.push_back("generated");
        save_png(common.out + "/summary.png", make_grid(panel, int(panel.size()), captions));
        app::Metrics metrics;
        metrics.set_run(common);
        metrics.set("network", net->description());
        metrics.set("content", images.content_name);
        metrics.set("style", images.style_names[0]);
        metrics.set("image_width", double(G.dim(2)));
        metrics.set("image_height", double(G.dim(1)));
        metrics.set("optimizer", optimizer);
        metrics.set("iterations", double(iterations));
        put_metrics(report, "", metrics);
        metrics.write(common.out);
        std::printf("wrote %s/result.png, summary.png and metrics.json\n", common.out.c_str());
        return 0;
    });
}
