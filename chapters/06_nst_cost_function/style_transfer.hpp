// chapters/06_nst_cost_function/style_transfer.hpp
//
// Neural Style Transfer's algorithm, as the lecture gives it with the cost.       [lecture: "Cost Function"]
//   1. initiate G randomly (white noise), or from the content image;
//   2. use gradient descent to minimise J(G) = alpha J_content(C, G) + beta J_style(S, G).
// Here: the fixed targets a^[l](C) and G^[l](S), one evaluation of J(G) with its gradient, and the step
// handed to the loop that changes G's pixels (app/image_optimizer.hpp). Chapters 07 and 08 run it with one
// term switched off (beta = 0: reconstruct from content; alpha = 0: synthesise texture); chapter 09 with
// every option.
#pragma once

#include <string>
#include <vector>

#include "app/image_optimizer.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"
#include "nets/feature_net.hpp"

namespace convlab {

struct StyleTransferSettings {
    std::vector<std::string> content_layers;  // the layers of J_content (the lecture uses one) ...
    std::vector<float> content_lambda;        // ... and their weights: J_content = sum_l w_l J_content^[l]
    std::vector<std::string> style_layers;  // the layers of J_style ...
    std::vector<float> lambda;              // ... and their weights lambda^[l]
    float alpha = 10.0f;                    // content weight
    float beta = 40.0f;                     // style weight
    float tv_weight = 0.0f;                 // smoothness (total variation) weight
};

// What G is compared with; computed once, before the loop.
struct StyleTargets {
    std::vector<Tensor> a_C;  // (n_C, n_H, n_W) per content layer: the content image's activations (if alpha > 0)
    std::vector<Tensor> G_S;  // (n_C, n_C) per style layer (if beta > 0)
};

// G_shape: (1, 3, H, W) of the image to generate; content: (3, H, W) (undefined when alpha = 0); styles: one
// or more (3, H', W') with blend weights summing to anything > 0 (normalised here):
//   G_S = sum_i w_i G^[l](S_i) * (n_H n_W of G) / (n_H n_W of S_i) / sum_i w_i
// The rescaling matters when S and G differ in size: G_kk' sums over positions, so a larger style image
// would otherwise ask G for larger correlations than it can have.
StyleTargets compute_targets(const FeatureNet& net, const StyleTransferSettings& settings, const Shape& G_shape,
                             const Tensor& content, const std::vector<Tensor>& styles, const std::vector<float>& blend);

// J_tv(G) = 1/(n_H n_W) * sum_c sum_i sum_j ((G_{i+1,j} - G_{i,j})^2 + (G_{i,j+1} - G_{i,j})^2)
// G: (1, 3, H, W) -> shape ().  Penalises pixel-to-pixel noise (Mahendran and Vedaldi, 2015).
Tensor total_variation(const Tensor& G);

// One evaluation of J(G) = alpha J_content + beta J_style + tv_weight J_tv and its gradient, with
// J_content = sum_l w_l J_content^[l] over the content layers (one, weight 1, in the lecture): clears G's
// gradient, computes the costs, back-propagates, so G.grad() = dJ/dG. G: (1, 3, H, W), requires grad.
StyleCosts style_transfer_step(const FeatureNet& net, const StyleTargets& targets,
                               const StyleTransferSettings& settings, Tensor& G);

// style_transfer_step as the loop's CostStep (net, targets and settings must outlive it).
CostStep style_transfer_cost(const FeatureNet& net, const StyleTargets& targets, const StyleTransferSettings& settings);

// G0 for --init: "noise" (uniform white noise, the lecture's start), "content", or "content+noise"
// (0.4 content + 0.6 noise, as in the course's programming exercise). content: (3, H, W).
// init_image (3, H', W'), when defined, wins over --init: G0 is that picture resized to the content's size.
Tensor initial_image(const std::string& init, const Tensor& content, Rng& rng, const Tensor& init_image = Tensor());

// One synthesis: G0 = white noise the size of `reference`, targets from C (may be undefined) and the styles
// S (equal blend), then run_and_report with a cost line every iterations / 5.
RunReport synthesize_from_noise(const FeatureNet& net, const StyleTransferSettings& settings, const Tensor& reference,
                                const Tensor& C, const std::vector<Tensor>& S, int64_t iterations, uint64_t seed,
                                const std::string& out_dir);

}  // namespace convlab
