// src/app/image_optimizer.hpp
//
// The loop that changes an image's pixels until a cost J(G) is small: Neural Style Transfer's "use gradient
// descent to minimise J(G)" (chapters 06-09), with L-BFGS or Adam, and what the programs print and save on
// the way. What J is comes from outside, as a CostStep: chapter 06 builds it from the lecture's costs
// (style_transfer_cost). The network's weights never change here; only the image does.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/metrics.hpp"
#include "core/tensor.hpp"

namespace convlab {

// The costs of one evaluation, each of shape () (a term the cost does not use is 0).
struct StyleCosts {
    Tensor J, J_content, J_style, J_tv;
};

// One evaluation of J at G (1, 3, H, W), G requiring grad: clears G's gradient, computes the costs and
// back-propagates, so that G.grad() = dJ/dG.
using CostStep = std::function<StyleCosts(Tensor& G)>;

struct OptimizeOptions {
    std::string optimizer = "lbfgs";  // "lbfgs" (history 50, strong Wolfe) or "adam"
    int iterations = 300;
    float learning_rate = 0.02f;      // Adam's step in pixel units (L-BFGS uses 1 with its line search)
    // Called with iteration 0 (G0 and J(G0)), then every report_every iterations and after the last, with
    // the iteration number, the current G
    // (a clamped copy), the costs of the last evaluation and the seconds per iteration since the last call.
    // L-BFGS runs report_every iterations per step() call: it then reuses each line search's last
    // evaluation, where one call per iteration would evaluate J twice per iteration.
    int report_every = 1;
    std::function<void(int iteration, const Tensor& G, const StyleCosts& costs, double seconds_per_iteration)>
        after_iteration;
};

// Minimises J over G's pixels starting from G0 (1, 3, H, W); returns the final G clamped to [0, 1].
Tensor optimize_image(const CostStep& step, const Tensor& G0, const OptimizeOptions& options);

// Runs optimize_image with the program's reporting: one line at the start and a progress line
// (io/progress.hpp) every print_every iterations (0: none),
//   iter   20/100  20.0%  2.4 it/s  elapsed 0:08  ETA 0:33  J 1.2340e+01  J_content 2.1000e-01  J_style 4.5000e-03
// and a frame <out>/<prefix>_<iter>.png every save_every iterations (0: none).
struct Frame {
    int iteration;
    Tensor image;  // (3, H, W)
};
struct CostPoint {
    int iteration;
    double J, J_content, J_style;
};
struct RunReport {
    Tensor G;                  // (3, H, W), the result in [0, 1]
    double J_first = 0;        // J(G0), before the first step
    StyleCosts last;           // the costs at the last evaluation
    double seconds_per_iteration = 0, seconds = 0;
    std::vector<Frame> frames; // the saved frames
    std::vector<CostPoint> J_curve;  // the costs at iteration 0 and at every report
};
RunReport run_and_report(const CostStep& step, const Tensor& G0, const OptimizeOptions& options, int print_every,
                         int save_every, const std::string& out_dir, const std::string& prefix);

// The report's numbers into metrics.json, each key prefixed (J_final -> <key_prefix>J_final).
void put_metrics(const RunReport& report, const std::string& key_prefix, app::Metrics& metrics);

}  // namespace convlab
