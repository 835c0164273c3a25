// src/app/nst_app.cpp
#include "app/nst_app.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "data/synthetic_paintings.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "nets/multiscale.hpp"
#include "nets/vgg19.hpp"

namespace convlab {
namespace fs = std::filesystem;

std::string find_nst_data(const std::string& data_option) {
    const std::string root = data_option.empty() ? "../shared/data" : data_option;
    for (const fs::path& p : {fs::path(root) / "nst", fs::path(root)})
        if (fs::is_directory(p / "content") && fs::is_directory(p / "style")) return p.string();
    return "";
}

Tensor resize_longest(const Tensor& image, int64_t size) {
    check(size >= 8, "resize_longest: image size must be >= 8 pixels, got ", size);
    Tensor x = image;
    auto longest = [&] { return std::max(x.dim(1), x.dim(2)); };
    while (longest() > 2 * size) x = resize_bilinear(x, (x.dim(1) + 1) / 2, (x.dim(2) + 1) / 2);  // no aliasing
    const double f = double(size) / double(longest());
    return resize_bilinear(x, std::max<int64_t>(1, std::llround(x.dim(1) * f)), std::max<int64_t>(1, std::llround(x.dim(2) * f)));
}

NstImages load_nst_images(const std::string& content_path, const std::vector<std::string>& style_paths,
                          const std::string& data_option, int64_t image_size, double style_scale, uint64_t seed) {
    const std::string data = find_nst_data(data_option);
    check(data_option.empty() || !data.empty(), "--data ", data_option, ": no content/ and style/ folders there");
    const int64_t style_size = std::max<int64_t>(8, std::llround(image_size * style_scale));
    NstImages images;
    std::string content_file = content_path;
    if (content_file.empty() && !data.empty()) content_file = data + "/content/tubingen.jpg";
    if (content_file.empty()) {
        images.content = draw_town(image_size * 3 / 4, image_size, seed);
        images.content_name = "embedded town";
    } else {
        images.content = resize_longest(load_image(content_file, 3), image_size);
        images.content_name = fs::path(content_file).stem().string();
    }
    std::vector<std::string> style_files = style_paths;
    if (style_files.empty() && !data.empty()) style_files = {data + "/style/starry_night.jpg"};
    if (style_files.empty()) {
        images.styles = {draw_swirl_painting(style_size * 3 / 4, style_size, seed + 1)};
        images.style_names = {"embedded swirl painting"};
    }
    for (const std::string& f : style_files) {
        images.styles.push_back(resize_longest(load_image(f, 3), style_size));
        images.style_names.push_back(fs::path(f).stem().string());
    }
    if (content_path.empty() || style_paths.empty())
        std::printf("images: content %s, style %s%s\n", images.content_name.c_str(), images.style_names[0].c_str(),
                    data.empty() ? " (no ../shared/data/nst here: pictures drawn by the program)" : "");
    return images;
}

std::string resolve_weights(const std::string& weights_option) {
    if (weights_option == "none") return "";
    if (weights_option.empty()) return fs::is_regular_file(kDefaultVggWeights) ? kDefaultVggWeights : "";
    return weights_option;
}

std::unique_ptr<FeatureNet> make_feature_net(const std::string& weights_option, const std::string& pooling,
                                             const std::string& network, const std::vector<Tensor>& calibration,
                                             uint64_t seed, int64_t image_size) {
    check(pooling == "max" || pooling == "avg", "--pooling must be max or avg, got ", pooling);
    const std::string weights = resolve_weights(weights_option);
    std::unique_ptr<FeatureNet> net;
    if (!weights.empty())
        net = std::make_unique<Vgg19>(Vgg19::from_file(weights, 1, pooling == "max" ? Pooling::max : Pooling::avg));
    else
        net = std::make_unique<MultiScaleNet>(multiscale_config_for_size(multiscale_config(network), image_size),
                                              calibration, seed);
    std::printf("feature network: %s%s\n", net->description().c_str(),
                weights.empty() ? " (make vgg19 for VGG-19)" : "");
    return net;
}

std::vector<float> parse_numbers(const std::vector<std::string>& items, const std::string& option) {
    std::vector<float> numbers;
    for (const std::string& item : items) {
        size_t used = 0;
        float value = 0;
        try {
            value = std::stof(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        check(used == item.size() && used > 0, option, ": expected numbers, got '", item, "'");
        numbers.push_back(value);
    }
    return numbers;
}

void parse_weighted_layers(const std::vector<std::string>& items, const std::vector<std::string>& defaults,
                           const std::string& option, std::vector<std::string>& layers, std::vector<float>& weights) {
    layers.clear();
    weights.clear();
    std::vector<bool> weighted;
    float given = 0.0f;
    for (const std::string& item : items.empty() ? defaults : items) {
        const size_t colon = item.find(':');
        layers.push_back(item.substr(0, colon));
        weighted.push_back(colon != std::string::npos);
        float w = 0.0f;
        if (colon != std::string::npos) {
            w = parse_numbers({item.substr(colon + 1)}, option + ": weight of " + layers.back())[0];
            check(w >= 0, option, ": weight of ", layers.back(), " must be >= 0, got ", w);
        }
        weights.push_back(w);
        given += w;
    }
    const long unweighted = std::count(weighted.begin(), weighted.end(), false);
    for (size_t l = 0; l < layers.size(); ++l)
        if (!weighted[l]) weights[l] = std::max(0.0f, 1.0f - given) / float(unweighted);
}

void SynthesisOptions::declare(app::Options& options) {
    options.integer("image-size", &image_size, "longer side in pixels", 16, 2048);
    options.integer("iterations", &iterations, "L-BFGS iterations per synthesis", 1, 100000);
    options.text("weights", &weights, "VGG-19 weights file (default: data/vgg19.weights if there; none: embedded)");
}

void SynthesisOptions::apply_quick(bool quick) {
    if (!quick) return;
    image_size = std::min<int64_t>(image_size, 64);
    iterations = std::min<int64_t>(iterations, 30);
}

void write_panel(const std::string& out_dir, const std::string& file, const std::vector<Tensor>& panel,
                 const std::vector<std::string>& captions, const FeatureNet& net, app::Metrics& metrics) {
    GridOptions grid;
    grid.cols = int(panel.size());
    grid.captions = captions;
    int64_t widest = 1;
    for (const Tensor& image : panel) widest = std::max(widest, image.dim(image.ndim() - 1));
    grid.scale = int(std::max<int64_t>(1, (kMinPanelWidth + grid.cols * widest - 1) / (grid.cols * widest)));
    if (grid.scale > 1)
        grid.title = "each pixel shown " + std::to_string(grid.scale) + "x" + std::to_string(grid.scale) +
                     " (nearest neighbour)";
    save_png(out_dir + "/" + file, make_grid(panel, grid));
    metrics.set("network", net.description());
    metrics.write(out_dir);
    std::printf("wrote %s/%s and metrics.json\n", out_dir.c_str(), file.c_str());
}

}  // namespace convlab
