// chapters/09_neural_style_transfer/style_transfer.hpp
//
// Neural Style Transfer end to end: the fixed targets a^[l](C) and G^[l](S), the cost J(G) with its
// gradient, and the loop that changes G's pixels until J is small. Chapters 06-08 run it with one term
// switched off (beta = 0: reconstruct from content; alpha = 0: synthesise texture).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "nets/feature_net.hpp"

namespace convlab {

struct StyleTransferSettings {
    std::string content_layer;              // l of J_content
    std::vector<std::string> style_layers;  // the layers of J_style ...
    std::vector<float> lambda;              // ... and their weights lambda^[l]
    float alpha = 10.0f;                    // content weight
    float beta = 40.0f;                     // style weight
    float tv_weight = 0.0f;                 // smoothness (total variation) weight
};

// What G is compared with; computed once, before the loop.
struct StyleTargets {
    Tensor a_C;               // (n_C, n_H, n_W): content image's activations on the content layer (if alpha > 0)
    std::vector<Tensor> G_S;  // (n_C, n_C) per style layer (if beta > 0)
};

// G_shape: (1, 3, H, W) of the image to generate; content: (3, H, W) (undefined when alpha = 0); styles: one
// or more (3, H', W') with blend weights summing to anything > 0 (normalised here):
//   G_S = sum_i w_i G^[l](S_i) * (n_H n_W of G) / (n_H n_W of S_i) / sum_i w_i
// The rescaling matters when S and G differ in size: G_kk' sums over positions, so a larger style image
// would otherwise ask G for larger correlations than it can have.
StyleTargets compute_targets(const FeatureNet& net, const StyleTransferSettings& settings, const Shape& G_shape,
                             const Tensor& content, const std::vector<Tensor>& styles, const std::vector<float>& blend);

struct StyleCosts {
    Tensor J, J_content, J_style, J_tv;  // shape () each
};

// J_tv(G) = 1/(n_H n_W) * sum_c sum_i sum_j ((G_{i+1,j} - G_{i,j})^2 + (G_{i,j+1} - G_{i,j})^2)
// G: (1, 3, H, W) -> shape ().  Penalises pixel-to-pixel noise (Mahendran and Vedaldi, 2015).
Tensor total_variation(const Tensor& G);

// One evaluation of J(G) = alpha J_content + beta J_style + tv_weight J_tv and its gradient: clears G's
// gradient, computes the costs, back-propagates, so G.grad() = dJ/dG. G: (1, 3, H, W), requires grad.
StyleCosts style_transfer_step(const FeatureNet& net, const StyleTargets& targets,
                               const StyleTransferSettings& settings, Tensor& G);

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
Tensor optimize_image(const FeatureNet& net, const StyleTargets& targets, const StyleTransferSettings& settings,
                      const Tensor& G0, const OptimizeOptions& options);

// G0 for --init: "noise" (uniform white noise, the lecture's start), "content", or "content+noise"
// (0.4 content + 0.6 noise, as in the course's programming exercise). content: (3, H, W).
Tensor initial_image(const std::string& init, const Tensor& content, Rng& rng);

// --original-colors: G's luminance with the content image's colours (YIQ; Gatys et al. 2016,
// "Preserving color in neural artistic style transfer"). G, content: (3, H, W) -> (3, H, W).
Tensor keep_original_colors(const Tensor& G, const Tensor& content);

}  // namespace convlab
