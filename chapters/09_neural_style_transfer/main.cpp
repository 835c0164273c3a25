// chapters/09_neural_style_transfer/main.cpp
//
// The whole Neural Style Transfer program, with the options users of neural-style expect.
//                                     [lecture: "Neural Style Transfer", "Cost Function", Gatys et al., 2015]
//
//   build/bin/09_neural_style_transfer                                   # tubingen x starry_night, or drawn images
//   build/bin/09_neural_style_transfer --content me.jpg --style a.jpg,b.jpg --style-blend 0.7,0.3
//   build/bin/09_neural_style_transfer --pooling avg --output me_painted.png   # VGG-19 once `make vgg19` ran
#include <algorithm>
#include <cstdio>
#include <filesystem>

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
    metrics.set("content.name", images.content_name);
    metrics.set("content.size", std::to_string(images.content.dim(2)) + "x" + std::to_string(images.content.dim(1)));
    for (size_t i = 0; i < images.styles.size(); ++i) {
        const std::string key = "style" + std::to_string(i + 1);
        metrics.set(key + ".name", images.style_names[i]);
        metrics.set(key + ".blend", blend[i]);
        metrics.set(key + ".size", std::to_string(images.styles[i].dim(2)) + "x" + std::to_string(images.styles[i].dim(1)));
    }
    metrics.set("alpha", settings.alpha);
    metrics.set("beta", settings.beta);
    metrics.set("tv_weight", settings.tv_weight);
    metrics.set("content_layers", weighted_list(settings.content_layers, settings.content_lambda));
    metrics.set("style_layers", weighted_list(settings.style_layers, settings.lambda));
}

// One solve of the coarse-to-fine ladder: the images at that size, the network, the costs, the run.
struct Stage {
    NstImages images;
    std::unique_ptr<FeatureNet> net;
    StyleTransferSettings settings;
    RunReport report;
};

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("09_neural_style_transfer", [&] {
        std::string content, weights, init = "content", init_image, optimizer = "lbfgs", pooling = "max", output;
        std::string network = "default", pyramid = "sized";
        std::vector<std::string> styles, blend, style_layers, content_layers;
        int64_t image_size = 256, iterations = -1, print_every = 10, save_every = 50, start_size = -1,
                start_iterations = 100;
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
        options.integer("iterations", &iterations,
                        "iterations at --image-size (-1: 100 embedded network, 20 after a coarse start, 300 VGG-19)", -1,
                        100000);
        options.integer("print-every", &print_every, "a progress line every N iterations (0: never)", 0, 100000);
        options.integer("save-every", &save_every, "write a frame every N iterations (0: only the result)", 0, 100000);
        options.flag("original-colors", &original_colors, "keep the content image's colours");
        options.number("style-scale", &style_scale, "style image size relative to --image-size", 0.05, 8);
        options.choice("pooling", &pooling, {"max", "avg"}, "VGG-19 pooling (with VGG-19 weights)");
        options.text("weights", &weights, "VGG-19 weights (default: data/vgg19.weights if there; none: embedded)");
        options.choice("network", &network, multiscale_config_names(), "embedded feature network (without VGG-19)");
        options.integer("start-size", &start_size,
                        "coarse-to-fine: solve at N px first (-1: 256 for the embedded network at >= 512 px; 0: off)", -1,
                        4096);
        options.integer("start-iterations", &start_iterations, "iterations at --start-size", 1, 100000);
        options.choice("pyramid", &pyramid, {"sized", "fixed"},
                       "embedded network: coarse scales deepened with --image-size, or as tuned at 256 px");
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

        check(start_size == -1 || start_size == 0 || start_size < image_size, "--start-size ", start_size,
              ": expected 0 (off), -1 (auto) or less than --image-size ", image_size);
        // coarse-to-fine (neural-style's multi-resolution recipe): with the embedded network at 512 px and more,
        // solve at 256 px first, then continue from that picture, upsampled, at the full size
        if (start_size < 0) start_size = weights_file.empty() && image_size >= 512 && !common.quick ? 256 : 0;
        // the embedded network's J levels off after 60 to 80 L-BFGS iterations at 256 px; 300 for VGG-19 (Gatys);
        // 20 at the full size after a coarse start
        if (iterations < 1) iterations = !weights_file.empty() ? 300 : start_size > 0 ? 20 : 100;
        std::vector<float> blend_weights = parse_numbers(blend, "--style-blend");  // checked before any work
        check(blend.empty() || blend.size() == std::max<size_t>(1, styles.size()), "--style-blend: expected one "
              "weight per --style image (", std::max<size_t>(1, styles.size()), "), got ", blend.size());
        if (common.quick) {
            image_size = std::min<int64_t>(image_size, 128);
            iterations = std::min<int64_t>(iterations, 40);
            if (start_size >= image_size) start_size = 0;
        }
        const Tensor start = init_image.empty() ? Tensor() : load_image(init_image, 3);

        const NstImages full = load_nst_images(content, styles, common.data, image_size, style_scale, common.seed);
        // One solve on `images` from `from` (undefined: --init), `count` iterations; size: their longer side.
        const auto solve = [&](const NstImages& images, int64_t size, const Tensor& from, int64_t count, int64_t save) {
            Stage st;
            st.images = images;
            if (blend_weights.empty()) blend_weights.assign(st.images.styles.size(), 1.0f);
            std::vector<Tensor> calibration = st.images.styles;
            calibration.push_back(st.images.content);
            st.net = make_feature_net(weights_file.empty() ? "none" : weights_file, pooling, network, calibration,
                                      common.seed, pyramid == "sized" ? size : 0);
            parse_weighted_layers(content_layers, {st.net->default_content_layer()}, "--content-layers",
                                  st.settings.content_layers, st.settings.content_lambda);
            parse_weighted_layers(style_layers, st.net->default_style_layers(), "--style-layers",
                                  st.settings.style_layers, st.settings.lambda);
            st.settings.alpha = float(alpha);
            st.settings.beta = beta < 0 ? st.net->default_style_weight() : float(beta);
            st.settings.tv_weight = float(tv_weight);
            std::printf("content %s (%lldx%lld), style", st.images.content_name.c_str(),
                        (long long)st.images.content.dim(2), (long long)st.images.content.dim(1));
            for (const auto& name : st.images.style_names) std::printf(" %s", name.c_str());
            std::printf("; alpha %g, beta %g, %zu content and %zu style layers\n", st.settings.alpha,
                        st.settings.beta, st.settings.content_layers.size(), st.settings.style_layers.size());
            Rng rng(common.seed);
            const Tensor G0 = initial_image(init, st.images.content, rng, from);
            const StyleTargets targets = compute_targets(*st.net, st.settings, G0.shape(), st.images.content,
                                                         st.images.styles, blend_weights);
            OptimizeOptions run;
            run.optimizer = optimizer;
            run.iterations = int(count);
            run.learning_rate = float(learning_rate);
            st.report = run_and_report(style_transfer_cost(*st.net, targets, st.settings), G0, run, int(print_every),
                                       int(save), common.out, "frame");
            return st;
        };
        Stage coarse;
        if (start_size > 0) {
            std::printf("coarse-to-fine: %lld iterations at %lld px, then %lld at %lld px\n", (long long)start_iterations,
                        (long long)start_size, (long long)iterations, (long long)image_size);
            NstImages small = full;  // the same pictures, scaled by start_size / image_size
            const auto shrink = [&](const Tensor& x) {
                return resize_longest(x, std::max<int64_t>(8, std::max(x.dim(1), x.dim(2)) * start_size / image_size));
            };
            small.content = shrink(full.content);
            for (Tensor& style : small.styles) style = shrink(style);
            coarse = solve(small, start_size, start, start_iterations, 0);
        }
        const Stage final_stage =
            solve(full, image_size, start_size > 0 ? coarse.report.G : start, iterations, save_every);
        const NstImages& images = final_stage.images;
        const FeatureNet& net = *final_stage.net;
        const StyleTransferSettings& settings = final_stage.settings;
        const RunReport& report = final_stage.report;
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
        metrics.set_run(common);
        put_settings(net, images, blend_weights, settings, metrics);
        metrics.set("result", result);
        metrics.set("image_width", double(G.dim(2)));
        metrics.set("image_height", double(G.dim(1)));
        metrics.set("init", init_image.empty() ? init : init_image);
        metrics.set("optimizer", optimizer);
        metrics.set("iterations", double(iterations));
        put_metrics(report, "", metrics);
        if (start_size > 0) {
            metrics.set("start.size", double(start_size));
            metrics.set("start.iterations", double(start_iterations));
            put_metrics(coarse.report, "start.", metrics);
        }
        metrics.write(common.out);
        std::printf("wrote %s, %s/summary.png and metrics.json\n", result.c_str(), common.out.c_str());
        return 0;
    });
}
