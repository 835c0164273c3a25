// chapters/06_nst_cost_function/main.cpp
//
// J(G) = alpha J_content(C, G) + beta J_style(S, G), minimised over the pixels of G, starting from white
// noise: frames every few iterations show the noise turning into the picture.  [lecture: "Cost Function"]
//
//   build/bin/06_nst_cost_function                 # 128 px, 100 iterations, a frame every 10
//   build/bin/06_nst_cost_function --quick         # 64 px, 30 iterations
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/nst_app.hpp"
#include "app/options.hpp"
#include "chapters/06_nst_cost_function/style_transfer.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "io/plot.hpp"

using namespace convlab;

namespace {

// cost.png: J, alpha J_content and beta J_style over the iterations, on a log scale (J falls by orders of
// magnitude), so that one sees which term the descent works on first.
void save_cost_plot(const std::string& path, const RunReport& report, const StyleTransferSettings& settings) {
    Series J{"J(G)", {}, {}}, content{"alpha J_content", {}, {}}, style{"beta J_style", {}, {}};
    for (const CostPoint& p : report.J_curve) {
        for (Series* s : {&J, &content, &style}) s->x.push_back(p.iteration);
        J.y.push_back(p.J);
        content.y.push_back(settings.alpha * p.J_content);
        style.y.push_back(settings.beta * p.J_style);
    }
    save_line_plot(path, {J, content, style}, {"J(G) = alpha J_content + beta J_style", "iteration", "cost", true});
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("06_nst_cost_function", [&] {
        std::string content, style, weights, optimizer = "lbfgs";
        int64_t image_size = 128, iterations = 100, save_every = 10;
        double alpha = 10, beta = -1;
        app::Options options("06_nst_cost_function", "Watch J(G) turn white noise into a painting.");
        options.text("content", &content, "content image C (default: tubingen, else a drawn town)");
        options.text("style", &style, "style image S (default: starry_night, else a drawn painting)");
        options.integer("image-size", &image_size, "longer side of G in pixels", 16, 2048);
        options.integer("iterations", &iterations, "optimisation iterations", 1, 100000);
        options.integer("save-every", &save_every, "a frame every N iterations", 1, 100000);
        options.number("alpha", &alpha, "content weight", 0, 1e12);
        options.number("beta", &beta, "style weight (-1: the network's default)", -1, 1e12);
        options.choice("optimizer", &optimizer, {"lbfgs", "adam"}, "how G's pixels are updated");
        options.text("weights", &weights, "VGG-19 weights (default: data/vgg19.weights if there; none: embedded)");
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) {
            image_size = std::min<int64_t>(image_size, 64);
            iterations = std::min<int64_t>(iterations, 30);
            save_every = std::max<int64_t>(1, iterations / 6);
        }

        const NstImages images = load_nst_images(content, style.empty() ? std::vector<std::string>{} : std::vector{style},
                                                 common.data, image_size, 1.0, common.seed);
        const auto net = make_feature_net(weights, "avg", "default", {images.content, images.styles[0]}, common.seed);
        StyleTransferSettings settings;
        settings.content_layers = {net->default_content_layer()};
        settings.content_lambda = {1.0f};
        parse_weighted_layers({}, net->default_style_layers(), "--style-layers", settings.style_layers, settings.lambda);
        settings.alpha = float(alpha);
        settings.beta = beta < 0 ? net->default_style_weight() : float(beta);
        std::printf("J(G) = %g J_content(C, G) + %g J_style(S, G); G starts as white noise\n", settings.alpha,
                    settings.beta);

        Rng rng(common.seed);
        const Tensor G0 = initial_image("noise", images.content, rng);
        const StyleTargets targets = compute_targets(*net, settings, G0.shape(), images.content, images.styles, {1.0f});
        std::vector<Tensor> frames = {G0[0]};
        std::vector<std::string> captions = {"iteration 0 (noise)"};
        OptimizeOptions run;
        run.optimizer = optimizer;
        run.iterations = int(iterations);
        const RunReport report = run_and_report(style_transfer_cost(*net, targets, settings), G0, run, int(save_every),
                                                int(save_every), common.out, "frame");
        const Tensor& G = report.G;
        for (const Frame& f : report.frames) {
            frames.push_back(f.image);
            captions.push_back("iteration " + std::to_string(f.iteration));
        }
        save_png(common.out + "/frames.png", make_grid(frames, 4, captions));
        save_png(common.out + "/result.png", G);
        save_cost_plot(common.out + "/cost.png", report, settings);
        app::Metrics metrics;
        metrics.set_run(common);
        metrics.set("network", net->description());
        metrics.set("content.name", images.content_name);
        metrics.set("style1.name", images.style_names[0]);
        metrics.set("image_width", double(G.dim(2)));
        metrics.set("image_height", double(G.dim(1)));
        metrics.set("alpha", settings.alpha);
        metrics.set("beta", settings.beta);
        put_metrics(report, "", metrics);
        metrics.write(common.out);
        std::printf("wrote %s/frames.png (noise -> picture), cost.png, result.png, metrics.json\n", common.out.c_str());
        return 0;
    });
}
