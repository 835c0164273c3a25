// chapters/06_nst_cost_function/style_transfer.cpp
//
// Neural Style Transfer: G's pixels are the parameters.                   [lecture: "Cost Function"]
//
//   1. Initiate G randomly (white noise), or from the content image.
//   2. Use gradient descent (here L-BFGS or Adam) to minimise
//        J(G) = alpha J_content(C, G) + beta J_style(S, G)
//      updating  G := G - (learning rate) * dJ/dG.
//
// The feature network's weights never change; only the image does.  [Gatys et al., 2015]
#include "chapters/06_nst_cost_function/style_transfer.hpp"


#include "chapters/06_nst_cost_function/cost_terms.hpp"
#include "chapters/06_nst_cost_function/total_cost.hpp"
#include "core/autograd.hpp"
#include "core/error.hpp"
#include "io/image.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {
namespace {

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
        check(settings.content_layers.size() == settings.content_lambda.size() && !settings.content_layers.empty(),
              "compute_targets: expected one weight per content layer, got ", settings.content_layers.size(),
              " layers and ", settings.content_lambda.size(), " weights");
        for (const Tensor& a : net.features(as_batch(content), settings.content_layers)) targets.a_C.push_back(a[0]);
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
    // BEGIN SOLUTION ch06.style_transfer_step
    G.zero_grad();
    // one forward pass of G through the network gives every layer both costs need
    std::vector<std::string> layers = settings.style_layers;
    const size_t n_style = layers.size();
    if (settings.alpha > 0) layers.insert(layers.end(), settings.content_layers.begin(), settings.content_layers.end());
    const std::vector<Tensor> a_G = net.features(G, layers);
    for (size_t l = n_style; l < layers.size(); ++l)  // J_content = sum_l w_l J_content^[l]
        costs.J_content = costs.J_content +
                          settings.content_lambda[l - n_style] * compute_content_cost(targets.a_C[l - n_style], a_G[l][0]);
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

CostStep style_transfer_cost(const FeatureNet& net, const StyleTargets& targets, const StyleTransferSettings& settings) {
    return [&net, &targets, &settings](Tensor& G) { return style_transfer_step(net, targets, settings, G); };
}

Tensor initial_image(const std::string& init, const Tensor& content, Rng& rng, const Tensor& init_image) {
    check(content.ndim() == 3 && content.dim(0) == 3, "initial_image: expected a content image (3, H, W), got ",
          content.shape_str());
    if (init_image.defined()) {
        check(init_image.ndim() == 3 && init_image.dim(0) == 3, "initial_image: expected an init image (3, H, W), ",
              "got ", init_image.shape_str());
        return as_batch(resize_bilinear(init_image, content.dim(1), content.dim(2)).detach().contiguous());
    }
    const Tensor noise = Tensor::rand(content.shape(), rng);
    Tensor G;
    if (init == "noise") G = noise;
    else if (init == "content") G = content.clone();
    else if (init == "content+noise") G = 0.4f * content + 0.6f * noise;
    else fail("initial_image: --init must be noise, content or content+noise, got ", init);
    return as_batch(G.detach().contiguous());
}

RunReport synthesize_from_noise(const FeatureNet& net, const StyleTransferSettings& settings, const Tensor& reference,
                                const Tensor& C, const std::vector<Tensor>& S, int64_t iterations, uint64_t seed,
                                const std::string& out_dir) {
    Rng rng(seed);
    const Tensor G0 = initial_image("noise", reference, rng);
    const StyleTargets targets =
        compute_targets(net, settings, G0.shape(), C, S, std::vector<float>(S.size(), 1.0f));
    OptimizeOptions run;
    run.iterations = int(iterations);
    return run_and_report(style_transfer_cost(net, targets, settings), G0, run, int(iterations / 5), 0, out_dir, "");
}

}  // namespace convlab
