// chapters/09_neural_style_transfer/main.cpp
//
// The whole Neural Style Transfer program, with the options users of neural-style expect.
//                                     [lecture: "Neural Style Transfer", "Cost Function", Gatys et al., 2015]
//
//   build/bin/09_neural_style_transfer                                   # tubingen x starry_night, or drawn images
//   build/bin/09_neural_style_transfer --content me.jpg --style a.jpg,b.jpg --style-blend 0.7,0.3
//   build/bin/09_neural_style_transfer --pooling avg --output me_painted.png   # VGG-19 once `make vgg19` ran
#include <cstdio>
#include <filesystem>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/nst_app.hpp"
#include "app/options.hpp"
#include "chapters/06_nst_cost_function/style_transfer.hpp"
#include "chapters/09_neural_style_transfer/original_colors.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "nets/multiscale.hpp"

using namespace convlab;

namespace {

// "conv4_2:0.5,conv5_2:0.5": layers with their weights, as --content-layers / --style-layers take them.
std::string weighted_list(const std::vector<std::string>& names, const std::vector<float>& weights) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
        char w[32];
        std::snprintf(w, sizeof(w), ":%g", double(weights[i]));
        out += (i ? "," : "") + names[i] + w;
    }
    return out;
}

// What made the picture, into metrics.json: the network, every style with its blend weight and size, the
// content layers and style layers with their weights, alpha, beta and the total-variation weight.
void put_settings(const FeatureNet& net, const NstImages& images, const std::vector<float>& blend,
                  const StyleTransferSettings& settings, app::Metrics& metrics) {
    metrics.set("network", net.description());
    metrics.set("content", images.content_name);
    metrics.set("content_size", std::to_string(images.content.dim(2)) + "x" + std::to_string(images.content.dim(1)));
    for (size_t i = 0; i < images.styles.size(); ++i) {
        const std::string key = "style_" + std::to_string(i + 1);
        metrics.set(key, images.style_names[i]);
        metrics.set(key + "_blend", blend[i]);
        metrics.set(key + "_size", std::to_string(images.styles[i].dim(2)) + "x" + std::to_string(images.styles[i].dim(1)));
    }
    metrics.set("alpha", settings.alpha);
    metrics.set("beta", settings.beta);
    metrics.set("tv_weight", settings.tv_weight);
    metrics.set("content_layers", weighted_list(settings.content_layers, settings.content_lambda));
    metrics.set("style_layers", weighted_list(settings.style_layers, settings.lambda));
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("09_neural_style_transfer", [&] {
        std::string content, weights, init = "content", init_image, optimizer = "lbfgs", pooling = "max", output;
        std::string network = "default";
        std::vector<std::string> styles, blend, style_layers, content_layers;
        int64_t image_size = 256, iterations = -1, print_every = 10, save_every = 50;
        double alpha = 10, beta = -1, tv_weight = 0, style_scale = 1, learning_rate = 0.02;
        bool original_colors = false;

        app::Options options("09_neural_style_transfer", "Paint a content image in the style of a painting.");
        options.text("content", &content, "content image (default: tubingen from ../shared/data/nst, else drawn)");
        options.list("style", &styles, "style image(s), comma-separated (default: starry_night, else drawn)");
        options.list("style-blend", &blend, "weights of the style images (default: equal)");
        options.integer("image-size", &image_size, "longer side of the generated image in pixels", 16, 4096);
        options.number("alpha", &alpha, "the content cost's weight", 0, 1e12);
        options.number("content-weight", &alpha, "the same as --alpha", 0, 1e12);
        options.number("beta", &beta, "the style cost's weight (-1: the network's default)", -1, 1e12);
        options.number("style-weight", &beta, "the same as --beta", -1, 1e12);
        options.number("tv-weight", &tv_weight, "total-variation (smoothness) weight", 0, 1e12);
        options.list("content-layers", &content_layers, "layers of J_content as name[:weight] (default: the network's)");
        options.list("content-layer", &content_layers, "the same as --content-layers");
        options.list("style-layers", &style_layers, "layers of J_style as name[:lambda], comma-separated");
        options.choice("init", &init, {"noise", "content", "content+noise"}, "the starting image G");
        options.text("init-image", &init_image, "start from this picture instead (resized to the content's size)");
        options.choice("optimizer", &optimizer, {"lbfgs", "adam"}, "how G's pixels are updated");
        options.number("learning-rate", &learning_rate, "Adam's step size (pixels are in [0, 1])", 1e-6, 10);
        options.integer("iterations", &iterations, "optimisation iterations (-1: 100 embedded network, 300 VGG-19)", -1,
                        100000);
        options.integer("print-every", &print_every, "a progress line every N iterations (0: never)", 0, 100000);
        options.integer("save-every", &save_every, "write a frame every N iterations (0: only the result)", 0, 100000);
        options.flag("original-colors", &original_colors, "keep the content image's colours");
        options.number("style-scale", &style_scale, "style image size relative to --image-size", 0.05, 8);
        options.choice("pooling", &pooling, {"max", "avg"}, "VGG-19 pooling (with VGG-19 weights)");
        options.text("weights", &weights, "VGG-19 weights (default: data/vgg19.weights if there; none: embedded)");
        options.choice("network", &network, multiscale_config_names(), "embedded feature network (without VGG-19)");
        options.text("output", &output, "the generated picture, a .png (default: <out>/result.png)");
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        check(output.empty() || std::filesystem::path(output).extension() == ".png", "--output ", output,
              ": expected a file name ending in .png");
        check(output.empty() || std::filesystem::is_directory(std::filesystem::path(output).parent_path().empty()
                                                                  ? "."
                                                                  : std::filesystem::path(output).parent_path()),
              "--output ", output, ": its folder does not exist");
        const std::string weights_file = resolve_weights(weights);
        // the embedded network's J levels off after 60 to 80 L-BFGS iterations at 256 px; 300 for VGG-19 (Gatys)
        if (iterations < 1) iterations = weights_file.empty() ? 100 : 300;
        if (common.quick) {
            image_size = std::min<int64_t>(image_size, 128);
            iterations = std::min<int64_t>(iterations, 40);
        }

        const NstImages images = load_nst_images(content, styles, common.data, image_size, style_scale, common.seed);
        std::vector<float> blend_weights = parse_numbers(blend, "--style-blend");
        if (blend_weights.empty()) blend_weights.assign(images.styles.size(), 1.0f);
        check(blend_weights.size() == images.styles.size(), "--style-blend: expected one weight per style image (",
              images.styles.size(), "), got ", blend_weights.size());
        const Tensor start = init_image.empty() ? Tensor() : load_image(init_image, 3);

        std::vector<Tensor> calibration = images.styles;
        calibration.push_back(images.content);
        const auto net = make_feature_net(weights_file.empty() ? "none" : weights_file, pooling, network, calibration,
                                          common.seed);
        StyleTransferSettings settings;
        parse_weighted_layers(content_layers, {net->default_content_layer()}, "--content-layers",
                              settings.content_layers, settings.content_lambda);
        parse_weighted_layers(style_layers, net->default_style_layers(), "--style-layers", settings.style_layers,
                              settings.lambda);
        settings.alpha = float(alpha);
        settings.beta = beta < 0 ? net->default_style_weight() : float(beta);
        settings.tv_weight = float(tv_weight);
        std::printf("content %s (%lldx%lld), style", images.content_name.c_str(), (long long)images.content.dim(2),
                    (long long)images.content.dim(1));
        for (const auto& s : images.style_names) std::printf(" %s", s.c_str());
        std::printf("; alpha %g, beta %g, %zu content and %zu style layers\n", settings.alpha, settings.beta,
                    settings.content_layers.size(), settings.style_layers.size());

        const Tensor G0 = [&] {
            Rng rng(common.seed);
            return initial_image(init, images.content, rng, start);
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
        const std::string result = output.empty() ? common.out + "/result.png" : output;
        save_png(result, G);
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
        metrics.set_run("09_neural_style_transfer", common.seed, command_line(argc, argv));
        put_settings(*net, images, blend_weights, settings, metrics);
        metrics.set("result", result);
        metrics.set("image_width", double(G.dim(2)));
        metrics.set("image_height", double(G.dim(1)));
        metrics.set("init", init_image.empty() ? init : init_image);
        metrics.set("optimizer", optimizer);
        metrics.set("iterations", double(iterations));
        put_metrics(report, "", metrics);
        metrics.write(common.out);
        std::printf("wrote %s, %s/summary.png and metrics.json\n", result.c_str(), common.out.c_str());
        return 0;
    });
}
