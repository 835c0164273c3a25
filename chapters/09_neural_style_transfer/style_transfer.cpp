// chapters/09_neural_style_transfer/style_transfer.cpp
//
// Neural Style Transfer: G's pixels are the parameters.                   [lecture: "Cost Function"]
//
//   1. Initiate G randomly (white noise), or from the content image.
//   2. Use gradient descent (here L-BFGS or Adam) to minimise
//        J(G) = alpha J_content(C, G) + beta J_style(S, G)
//      updating  G := G - (learning rate) * dJ/dG.
//
// The feature network's weights never change; only the image does.  [Gatys et al., 2015]
#include "chapters/09_neural_style_transfer/style_transfer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "chapters/06_nst_cost_function/total_cost.hpp"
#include "chapters/07_content_cost/content_cost.hpp"
#include "chapters/08_style_cost/style_cost.hpp"
#include "core/autograd.hpp"
#include "core/error.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"
#include "optim/adam.hpp"
#include "optim/lbfgs.hpp"

namespace convlab {
namespace {

constexpr int kLbfgsHistory = 50;  // pairs (s, y) kept: more curvature memory, 2 x 50 images of floats

Tensor as_batch(const Tensor& image) { return image.reshape({1, image.dim(0), image.dim(1), image.dim(2)}); }

}  // namespace

StyleTargets compute_targets(const FeatureNet& net, const StyleTransferSettings& settings, const Shape& G_shape,
                             const Tensor& content, const std::vector<Tensor>& styles, const std::vector<float>& blend) {
    NoGradGuard no_grad;
    StyleTargets targets;
    if (settings.alpha > 0) {
        check(content.defined() && content.ndim() == 3 && content.dim(0) == 3,
              "compute_targets: expected a content image (3, H, W), got ",
              content.defined() ? content.shape_str() : std::string("none"));
        targets.a_C = net.features(as_batch(content), {settings.content_layer})[0][0];
    }
    if (settings.beta > 0) {
        check(!styles.empty() && styles.size() == blend.size(), "compute_targets: expected one blend weight per ",
              "style image, got ", styles.size(), " styles and ", blend.size(), " weights");
        check(settings.style_layers.size() == settings.lambda.size() && !settings.style_layers.empty(),
              "compute_targets: expected one lambda per style layer, got ", settings.style_layers.size(),
              " layers and ", settings.lambda.size(), " weights");
        float blend_total = 0.0f;
        for (float w : blend) {
            check(w >= 0, "compute_targets: style blend weights must be >= 0, got ", w);
            blend_total += w;
        }
        check(blend_total > 0, "compute_targets: style blend weights sum to 0");
        check(G_shape.size() == 4 && G_shape[0] == 1 && G_shape[1] == 3, "compute_targets: expected G_shape ",
              "(1, 3, H, W), got ", shape_str(G_shape));
        std::vector<int64_t> G_positions;  // n_H n_W of each style layer for an image of G's size
        for (const Tensor& a : net.features(Tensor::zeros(G_shape), settings.style_layers))
            G_positions.push_back(a.dim(2) * a.dim(3));
        for (size_t i = 0; i < styles.size(); ++i) {
            check(styles[i].ndim() == 3 && styles[i].dim(0) == 3, "compute_targets: expected style images (3, H, W), got ",
                  styles[i].shape_str());
            const std::vector<Tensor> a_S = net.features(as_batch(styles[i]), settings.style_layers);
            for (size_t l = 0; l < a_S.size(); ++l) {
                const float positions = float(a_S[l].dim(2) * a_S[l].dim(3));
                const Tensor G = gram_matrix(a_S[l][0]) * (blend[i] / blend_total * float(G_positions[l]) / positions);
                if (i == 0) targets.G_S.push_back(G);
                else targets.G_S[l] = targets.G_S[l] + G;
            }
        }
    }
    return targets;
}

Tensor total_variation(const Tensor& G) {
    const int64_t n_H = G.dim(2), n_W = G.dim(3);
    const Tensor down = slice(G, 2, 1, n_H) - slice(G, 2, 0, n_H - 1);
    const Tensor right = slice(G, 3, 1, n_W) - slice(G, 3, 0, n_W - 1);
    return (sum(square(down)) + sum(square(right))) / float(n_H * n_W);
}

// J(G) and dJ/dG, as the lecture's algorithm needs at every step.
StyleCosts style_transfer_step(const FeatureNet& net, const StyleTargets& targets,
                               const StyleTransferSettings& settings, Tensor& G) {
    check(G.ndim() == 4 && G.dim(0) == 1 && G.dim(1) == 3 && G.requires_grad(),
          "style_transfer_step: expected G (1, 3, H, W) requiring grad, got ", G.shape_str());
    StyleCosts costs;
    costs.J_content = Tensor::scalar(0);
    costs.J_style = Tensor::scalar(0);
    costs.J_tv = Tensor::scalar(0);
    // BEGIN SOLUTION ch09.style_transfer_step
    G.zero_grad();
    // one forward pass of G through the network gives every layer both costs need
    std::vector<std::string> layers = settings.style_layers;
    if (settings.alpha > 0) layers.push_back(settings.content_layer);
    const std::vector<Tensor> a_G = net.features(G, layers);
    if (settings.alpha > 0) costs.J_content = compute_content_cost(targets.a_C, a_G.back()[0]);
    if (settings.beta > 0) {
        std::vector<Tensor> a_G_style;
        for (size_t l = 0; l < settings.style_layers.size(); ++l) a_G_style.push_back(a_G[l][0]);
        costs.J_style = compute_style_cost(targets.G_S, a_G_style, settings.lambda);
    }
    costs.J = total_cost(costs.J_content, costs.J_style, settings.alpha, settings.beta);
    if (settings.tv_weight > 0) {
        costs.J_tv = total_variation(G);
        costs.J = costs.J + settings.tv_weight * costs.J_tv;
    }
    costs.J.backward();
    // END SOLUTION
    return costs;
}

Tensor optimize_image(const FeatureNet& net, const StyleTargets& targets, const StyleTransferSettings& settings,
                      const Tensor& G0, const OptimizeOptions& options) {
    check(G0.ndim() == 4 && G0.dim(0) == 1 && G0.dim(1) == 3, "optimize_image: expected G0 (1, 3, H, W), got ",
          G0.shape_str());
    check(options.optimizer == "lbfgs" || options.optimizer == "adam", "optimize_image: optimizer must be lbfgs or ",
          "adam, got ", options.optimizer);
    Tensor G = G0.detach().clone().requires_grad_();
    StyleCosts first, last;
    const auto closure = [&]() {
        last = style_transfer_step(net, targets, settings, G);
        if (!first.J.defined()) first = last;
        return last.J;
    };
    // L-BFGS minimises J(G) / J(G0), the same minimum on a scale of 1: its first trial step (1 along the
    // gradient, capped) then moves G visibly whatever the network's scale. On J itself, with random VGG-19
    // weights (J ~ 1e-5) at 256 px, float32 saw no change from that step and L-BFGS stood still.
    const auto scaled_closure = [&]() {
        closure();
        const float scale = 1.0f / std::max(first.J.item(), std::numeric_limits<float>::min());
        float* dG = G.grad().data();
        for (int64_t i = 0; i < G.numel(); ++i) dG[i] *= scale;
        return last.J * scale;
    };
    check(options.report_every >= 1, "optimize_image: report_every must be >= 1, got ", options.report_every);
    // L-BFGS: report_every iterations per step() call (the history carries over from call to call). No
    // tolerances: J's scale depends on the network and the weights, and the user asked for `iterations`.
    std::unique_ptr<optim::LBFGS> lbfgs;
    std::unique_ptr<optim::Adam> adam;
    if (options.optimizer == "lbfgs")
        lbfgs = std::make_unique<optim::LBFGS>(std::vector<Tensor>{G}, 1.0f, kLbfgsHistory, options.report_every,
                                               /*tolerance_grad=*/0.0f, /*tolerance_change=*/0.0f);
    else
        adam = std::make_unique<optim::Adam>(std::vector<Tensor>{G}, options.learning_rate);
    for (int done = 0; done < options.iterations;) {
        const int chunk = std::min(options.report_every, options.iterations - done);
        const auto start = std::chrono::steady_clock::now();
        if (lbfgs) {
            if (chunk < options.report_every)  // the last, shorter chunk
                lbfgs = std::make_unique<optim::LBFGS>(std::vector<Tensor>{G}, 1.0f, kLbfgsHistory, chunk, 0.0f, 0.0f);
            lbfgs->step(scaled_closure);
        } else {
            for (int i = 0; i < chunk; ++i) {
                closure();
                adam->step();
                NoGradGuard no_grad;  // Adam's steps may leave [0, 1]; pixels are kept in range as they go
                G.copy_(clamp(G, 0.0f, 1.0f));
            }
        }
        done += chunk;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        check(std::isfinite(last.J.item()), "optimize_image: J became ", last.J.item(), " by iteration ", done,
              " (try a smaller learning rate or style weight)");
        if (options.after_iteration) {
            NoGradGuard no_grad;
            if (done == chunk) options.after_iteration(0, clamp(G0, 0.0f, 1.0f), first, 0.0);  // the start
            options.after_iteration(done, clamp(G.detach(), 0.0f, 1.0f), last, seconds / chunk);
        }
    }
    NoGradGuard no_grad;
    return clamp(G.detach(), 0.0f, 1.0f);
}

Tensor initial_image(const std::string& init, const Tensor& content, Rng& rng) {
    check(content.ndim() == 3 && content.dim(0) == 3, "initial_image: expected a content image (3, H, W), got ",
          content.shape_str());
    const Tensor noise = Tensor::rand(content.shape(), rng);
    Tensor G;
    if (init == "noise") G = noise;
    else if (init == "content") G = content.clone();
    else if (init == "content+noise") G = 0.4f * content + 0.6f * noise;
    else fail("initial_image: --init must be noise, content or content+noise, got ", init);
    return as_batch(G.detach().contiguous());
}

Tensor keep_original_colors(const Tensor& G, const Tensor& content) {
    check(G.ndim() == 3 && G.dim(0) == 3 && G.shape() == content.shape(), "keep_original_colors: expected two ",
          "images (3, H, W) of the same size, got ", G.shape_str(), " and ", content.shape_str());
    // RGB -> YIQ (NTSC): Y carries the luminance, I and Q the colour
    const Tensor to_yiq = Tensor::from({3, 3}, {0.299f, 0.587f, 0.114f, 0.596f, -0.274f, -0.322f, 0.211f, -0.523f, 0.312f});
    const Tensor to_rgb = Tensor::from({3, 3}, {1.0f, 0.956f, 0.621f, 1.0f, -0.272f, -0.647f, 1.0f, -1.106f, 1.703f});
    const Shape flat = {3, G.dim(1) * G.dim(2)};
    const Tensor yiq_G = matmul(to_yiq, G.reshape(flat)), yiq_C = matmul(to_yiq, content.reshape(flat));
    const Tensor mixed = concat({slice(yiq_G, 0, 0, 1), slice(yiq_C, 0, 1, 3)}, 0);
    return clamp(matmul(to_rgb, mixed), 0.0f, 1.0f).reshape(G.shape());
}

}  // namespace convlab
