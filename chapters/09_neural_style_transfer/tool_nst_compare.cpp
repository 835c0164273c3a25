// chapters/09_neural_style_transfer/tool_nst_compare.cpp  ->  build/bin/nst_compare
//
// Makes the pictures docs/nst-feature-networks.md chooses from: every embedded candidate network (rows)
// on every content x style pair (columns), the same recipe for all, one grid PNG, and the costs and time
// per iteration of each run on stdout and in metrics.json.
//
//   build/bin/nst_compare --networks reference,pyramid,blur-pyramid --image-size 128 --out docs/img/x
#include <cstdio>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "chapters/09_neural_style_transfer/nst_app.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"

using namespace convlab;

int main(int argc, char** argv) {
    return app::guarded_main("nst_compare", [&] {
        std::vector<std::string> networks = {"reference", "pyramid", "blur-pyramid", "single"};
        std::vector<std::string> pairs = {"tubingen:starry_night", "golden_gate:the_scream"};
        int64_t image_size = 128, iterations = 100;
        double style_weight = -1;
        app::Options options("nst_compare", "Style transfer with each embedded candidate network, in one grid.");
        options.list("networks", &networks, "candidate networks (rows)");
        options.list("pairs", &pairs, "content:style pairs from the nst data set (columns)");
        options.integer("image-size", &image_size, "longer side in pixels", 16, 2048);
        options.integer("iterations", &iterations, "L-BFGS iterations per run", 1, 100000);
        options.number("style-weight", &style_weight, "beta for every run (-1: each network's default)", -1, 1e12);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        const std::string data = find_nst_data(common.data);
        check(!data.empty(), "nst_compare: needs the nst pictures (../shared/data/nst or --data DIR)");

        std::vector<Tensor> cells;
        std::vector<std::string> captions, rows;
        app::Metrics metrics;
        for (const std::string& network : networks) {
            rows.push_back(network);
            for (const std::string& pair : pairs) {
                const size_t colon = pair.find(':');
                check(colon != std::string::npos, "--pairs: expected content:style, got '", pair, "'");
                const std::string content = pair.substr(0, colon), style = pair.substr(colon + 1);
                const NstImages images = load_nst_images(data + "/content/" + content + ".jpg",
                                                         {data + "/style/" + style + ".jpg"}, data, image_size, 1.0,
                                                         common.seed);
                const auto net = make_feature_net("", "max", network, {images.styles[0], images.content}, common.seed);
                StyleTransferSettings settings;
                settings.content_layer = net->default_content_layer();
                parse_style_layers({}, *net, settings.style_layers, settings.lambda);
                settings.beta = style_weight < 0 ? net->default_style_weight() : float(style_weight);
                Rng rng(common.seed);
                const Tensor G0 = initial_image("content", images.content, rng);
                const StyleTargets targets =
                    compute_targets(*net, settings, G0.shape(), images.content, images.styles, {1.0f});
                std::printf("== %s: %s x %s ==\n", network.c_str(), content.c_str(), style.c_str());
                OptimizeOptions run;
                run.iterations = int(iterations);
                const RunReport report =
                    run_and_report(*net, targets, settings, G0, run, int(iterations), 0, common.out, "");
                put_metrics(report, network + "." + content + "." + style + ".", metrics);
                cells.push_back(report.G);
                char caption[128];
                std::snprintf(caption, sizeof(caption), "%s x %s, %.2f s/iter", content.c_str(), style.c_str(),
                              report.seconds_per_iteration);
                captions.push_back(caption);
                save_png(common.out + "/" + network + "_" + content + "_" + style + ".png", report.G);
            }
        }
        GridOptions grid;
        grid.cols = int(pairs.size());
        grid.captions = captions;
        grid.row_labels = rows;
        grid.title = "embedded feature networks, " + std::to_string(image_size) + " px, " + std::to_string(iterations) +
                     " L-BFGS iterations from the content image";
        save_png(common.out + "/grid.png", make_grid(cells, grid));
        metrics.write(common.out);
        std::printf("wrote %s/grid.png\n", common.out.c_str());
        return 0;
    });
}
