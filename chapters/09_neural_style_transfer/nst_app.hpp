// chapters/09_neural_style_transfer/nst_app.hpp
//
// What the style-transfer programs (chapters 06-09) share around the lecture functions: finding the images,
// choosing the feature network, printing the costs as they fall, writing frames and metrics.json.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/metrics.hpp"
#include "app/options.hpp"
#include "chapters/09_neural_style_transfer/style_transfer.hpp"
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

// --weights FILE: VGG-19 from that file (pooling "max" or "avg"); else the embedded network `network`
// ("default", "reference", or a candidate name from nets/multiscale.hpp) calibrated on the given images.
std::unique_ptr<FeatureNet> make_feature_net(const std::string& weights_path, const std::string& pooling,
                                             const std::string& network, const std::vector<Tensor>& calibration,
                                             uint64_t seed);

// "0.7", "0.3" -> {0.7, 0.3}; anything else -> convlab::Error naming the option.
std::vector<float> parse_numbers(const std::vector<std::string>& items, const std::string& option);

// "conv1_1:0.5,conv2_1" style list -> layer names and lambda^[l] (unweighted layers share what is left
// of 1 equally; with no list, the network's defaults with equal weights).
void parse_style_layers(const std::vector<std::string>& items, const FeatureNet& net, std::vector<std::string>& layers,
                        std::vector<float>& lambda);

// Runs optimize_image with the program's reporting: one line at the start and every print_every iterations
// (0: none),
//   iter   20   J 1.2340e+01   J_content 2.1000e-01   J_style 4.5000e-03   0.410 s/iter
// and a frame <out>/<prefix>_<iter>.png every save_every iterations (0: none).
struct Frame {
    int iteration;
    Tensor image;  // (3, H, W)
};
struct RunReport {
    Tensor G;                  // (3, H, W), the result in [0, 1]
    double J_first = 0;        // J(G0), before the first step
    StyleCosts last;           // the costs at the last evaluation
    double seconds_per_iteration = 0, seconds = 0;
    std::vector<Frame> frames; // the saved frames
};
RunReport run_and_report(const FeatureNet& net, const StyleTargets& targets, const StyleTransferSettings& settings,
                         const Tensor& G0, const OptimizeOptions& options, int print_every, int save_every,
                         const std::string& out_dir, const std::string& prefix);

// The report's numbers into metrics.json, each key prefixed (J_final -> <key_prefix>J_final).
void put_metrics(const RunReport& report, const std::string& key_prefix, app::Metrics& metrics);

// The one-cost demos (chapters 07 and 08) start from white noise and minimise J_content alone or J_style
// alone. Their options: --image-size, --iterations, --weights; --quick caps them at 64 px and 30 iterations.
struct SynthesisOptions {
    int64_t image_size = 128, iterations = 100;
    std::string weights;
    void declare(app::Options& options);
    void apply_quick(bool quick);
};

// One synthesis: G0 = white noise the size of `reference`, targets from C (may be undefined) and the styles
// S (equal blend), then run_and_report with a cost line every iterations / 5.
RunReport synthesize_from_noise(const FeatureNet& net, const StyleTransferSettings& settings, const Tensor& reference,
                                const Tensor& C, const std::vector<Tensor>& S, int64_t iterations, uint64_t seed,
                                const std::string& out_dir);

// Writes the side-by-side grid <out_dir>/<file> and metrics.json (with the network's description).
void write_panel(const std::string& out_dir, const std::string& file, const std::vector<Tensor>& panel,
                 const std::vector<std::string>& captions, const FeatureNet& net, app::Metrics& metrics);

}  // namespace convlab
