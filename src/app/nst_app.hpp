// src/app/nst_app.hpp
//
// What the style-transfer programs (chapters 05-09) share around the lecture functions: finding the
// images, choosing the feature network, reading the options, writing the panel and metrics.json.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/metrics.hpp"
#include "app/options.hpp"
#include "core/tensor.hpp"
#include "nets/feature_net.hpp"

namespace convlab {

// <data>/nst when it holds content/ and style/ (data = --data, else ../shared/data), or "".
std::string find_nst_data(const std::string& data_option);

// Scales (3, H, W) so that its longer side is `size` pixels (bilinear, halving first while more than 2x).
Tensor resize_longest(const Tensor& image, int64_t size);

struct NstImages {
    Tensor content;                        // (3, H, W)
    std::vector<Tensor> styles;            // (3, H', W') each
    std::string content_name;              // file stem, or "embedded town"
    std::vector<std::string> style_names;
};

// The content and style images. Explicit paths win; then the named files (tubingen, starry_night) of the
// nst data set; else the pictures the program draws itself (and it says so on stdout). The content is
// scaled to image_size on its longer side, each style to image_size * style_scale.
NstImages load_nst_images(const std::string& content_path, const std::vector<std::string>& style_paths,
                          const std::string& data_option, int64_t image_size, double style_scale, uint64_t seed);

// Where make vgg19 writes the VGG-19 weights (relative to the folder the program runs in).
constexpr const char* kDefaultVggWeights = "data/vgg19.weights";

// The weights file behind --weights: "" -> kDefaultVggWeights when that file exists, else "" (the embedded
// network); "none" -> "" (the embedded network even when the file exists); anything else: that file.
std::string resolve_weights(const std::string& weights_option);

// --weights (resolved as above): VGG-19 from that file (pooling "max" or "avg"); else the embedded network
// `network` ("default" or "reference", nets/multiscale.hpp) calibrated on the given images, its pyramid
// deepened for image_size (multiscale_config_for_size; 0: as tuned). Prints "feature network:
// <description>" so that every run says which network it used.
std::unique_ptr<FeatureNet> make_feature_net(const std::string& weights_option, const std::string& pooling,
                                             const std::string& network, const std::vector<Tensor>& calibration,
                                             uint64_t seed, int64_t image_size = 0);

// "0.7", "0.3" -> {0.7, 0.3}; anything else -> convlab::Error naming the option.
std::vector<float> parse_numbers(const std::vector<std::string>& items, const std::string& option);

// A layer list "conv1_1:0.5,conv2_1" of --style-layers or --content-layers -> layer names and their weights
// (lambda^[l] for the style; unweighted layers share what is left of 1 equally). An empty list gives
// `defaults` with equal weights. A bad weight -> convlab::Error naming `option` and the layer.
void parse_weighted_layers(const std::vector<std::string>& items, const std::vector<std::string>& defaults,
                           const std::string& option, std::vector<std::string>& layers, std::vector<float>& weights);

// The one-cost demos (chapters 07 and 08) start from white noise and minimise J_content alone or J_style
// alone. Their options: --image-size, --iterations, --weights; --quick caps them at 64 px and 30 iterations.
struct SynthesisOptions {
    int64_t image_size = 128, iterations = 100;
    std::string weights;
    void declare(app::Options& options);
    void apply_quick(bool quick);
};

// Writes the side-by-side grid <out_dir>/<file> and metrics.json (with the network's description). Small
// images are scaled up, each pixel drawn as s x s (nearest neighbour, said in the title), so that the figure
// is at least kMinPanelWidth pixels wide.
constexpr int64_t kMinPanelWidth = 512;
void write_panel(const std::string& out_dir, const std::string& file, const std::vector<Tensor>& panel,
                 const std::vector<std::string>& captions, const FeatureNet& net, app::Metrics& metrics);

}  // namespace convlab
