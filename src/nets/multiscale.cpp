// src/nets/multiscale.cpp: the embedded multi-scale random feature network (see multiscale.hpp).
#include "nets/multiscale.hpp"

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "ops/conv.hpp"
#include "ops/elementwise.hpp"
#include "ops/reflect_pad.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

std::string multiscale_layer_name(const MultiScaleConfig::Scale& s) {
    return "k" + std::to_string(s.kernel) + "@" + std::to_string(1 << s.level);
}

// 2x2 averaging instead of the blur would give the gradient the same value over each block, and three
// halvings would paint 8x8 blocks into G; the blur's overlapping footprints spread it smoothly.
Tensor blur_halve(const Tensor& x) {
    check(x.dim(2) >= 2 && x.dim(3) >= 2, "MultiScaleNet: cannot halve an image of ", x.dim(2), " x ", x.dim(3));
    const float taps[4] = {1, 3, 3, 1};
    std::vector<float> k(16);
    for (int u = 0; u < 4; ++u)
        for (int v = 0; v < 4; ++v) k[u * 4 + v] = taps[u] * taps[v] / 64.0f;
    const int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
    const Tensor one_channel = reflect_pad(x.reshape({N * C, 1, H, W}), {1, 1, 1, 1});
    const Tensor y = conv2d(one_channel, Tensor::from({1, 1, 4, 4}, k), Tensor(), /*stride=*/2);
    return y.reshape({N, C, y.dim(2), y.dim(3)});
}

std::vector<std::string> multiscale_config_names() {
    return {"default", "reference"};
}

MultiScaleConfig multiscale_config(const std::string& name) {
    // Style weights are beta for alpha = 10 in the lecture's units. The reference used ~4e6 for Gram / (C H W)
    // and MSE: 4e6 / 4096 = 977 with content weight 4 (MSE = 4 J_content), so ~2500 for alpha = 10.
    if (name == "reference") {
        MultiScaleConfig c{"reference C: 6 scales on the full image", {}, "k11@1", 2500.0f};
        for (int k : {3, 5, 7, 11, 15, 23}) c.scales.push_back({0, k, 128});
        return c;
    }
    if (name == "default")
        return {"default = blur-pyramid: 3 to 88 pixels on 4 image scales",
                {{0, 3, 128}, {0, 7, 128}, {1, 5, 128}, {1, 11, 128}, {2, 7, 128}, {2, 11, 128}, {3, 11, 128}},
                "k11@2",
                5000.0f};  // picked by eye between 2500 and 10000 (docs/nst-feature-networks.md)
    std::string known;
    for (const auto& n : multiscale_config_names()) known += " " + n;
    fail("multiscale_config: no network named '", name, "'; the embedded ones are", known);
}

MultiScaleConfig multiscale_config_for_size(const MultiScaleConfig& config, int64_t image_size) {
    int extra = 0;
    while ((int64_t(256) << (extra + 1)) <= image_size) ++extra;
    if (extra == 0) return config;
    MultiScaleConfig sized = config;
    for (size_t s = 0; s < sized.scales.size(); ++s) {
        if (sized.scales[s].level == 0) continue;
        const bool is_content = multiscale_layer_name(sized.scales[s]) == config.content_layer;
        sized.scales[s].level += extra;
        if (is_content) sized.content_layer = multiscale_layer_name(sized.scales[s]);
    }
    sized.name += ", coarse scales " + std::to_string(1 << extra) + "x deeper for " + std::to_string(image_size) + " px";
    return sized;
}

MultiScaleNet::MultiScaleNet(const MultiScaleConfig& config, const std::vector<Tensor>& calibration, uint64_t seed)
    : config_(config), seed_(seed) {
    check(!config.scales.empty(), "MultiScaleNet: config '", config.name, "' has no scales");
    check(!calibration.empty(), "MultiScaleNet: needs at least one calibration image");
    for (const Tensor& image : calibration)
        check(image.ndim() == 3 && image.dim(0) == 3, "MultiScaleNet: calibration images must be (3, H, W), got ",
              image.shape_str());
    const std::vector<std::string> names = layer_names();
    check(std::find(names.begin(), names.end(), config.content_layer) != names.end(), "MultiScaleNet: content layer ",
          config.content_layer, " is not one of the scales of '", config.name, "'");

    NoGradGuard no_grad;
    Rng rng(seed);
    for (size_t s = 0; s < config.scales.size(); ++s) {
        const auto& sc = config.scales[s];
        check(sc.kernel >= 1 && sc.kernel % 2 == 1 && sc.filters >= 1 && sc.level >= 0 && sc.level <= 8,
              "MultiScaleNet: scale ", s, " needs an odd kernel, filters >= 1 and level 0..8, got kernel ", sc.kernel,
              ", filters ", sc.filters, ", level ", sc.level);
        const Tensor W0 = Tensor::randn({sc.filters, 3, sc.kernel, sc.kernel}, rng);
        // per-channel mean and variance of W0 * x over every position of every calibration image
        std::vector<double> total(sc.filters, 0.0), total_sq(sc.filters, 0.0);
        double count = 0.0;
        for (const Tensor& image : calibration) {
            Tensor x = image.reshape({1, 3, image.dim(1), image.dim(2)});
            for (int l = 0; l < sc.level; ++l) x = blur_halve(x);
            const Tensor y = pre_activation(x, s, W0, Tensor()).contiguous();
            const int64_t positions = y.dim(2) * y.dim(3);
            for (int64_t c = 0; c < sc.filters; ++c) {
                const float* p = y.data() + c * positions;
                for (int64_t i = 0; i < positions; ++i) {
                    total[c] += p[i];
                    total_sq[c] += double(p[i]) * p[i];
                }
            }
            count += double(positions);
        }
        std::vector<float> inv_sigma(sc.filters), bias(sc.filters);
        for (int64_t c = 0; c < sc.filters; ++c) {
            const double mu = total[c] / count, var = std::max(total_sq[c] / count - mu * mu, 0.0);
            const double sigma = std::sqrt(var) + 1e-6;
            inv_sigma[c] = float(1.0 / sigma);
            bias[c] = float(-mu / sigma);
        }
        W_.push_back((W0 * Tensor::from({sc.filters, 1, 1, 1}, inv_sigma)).contiguous());
        b_.push_back(Tensor::from({sc.filters}, bias));
    }
}

// y = W * x + b on x reflect-padded by k/2 on every side, so that y keeps x's n_H x n_W and the border sees
// image-like values (zero padding would paint a frame). A mirror cannot be wider than the image minus one
// pixel: on tiny images (deep pyramid levels of a small picture) the rest of the border is zeros.
Tensor MultiScaleNet::pre_activation(const Tensor& x, size_t scale, const Tensor& W, const Tensor& b) const {
    const int64_t half = config_.scales[scale].kernel / 2;
    const int64_t mirror_H = std::min(half, x.dim(2) - 1), mirror_W = std::min(half, x.dim(3) - 1);
    Tensor padded = reflect_pad(x, {mirror_H, mirror_H, mirror_W, mirror_W});
    if (mirror_H < half || mirror_W < half)
        padded = pad(padded, {half - mirror_H, half - mirror_H, half - mirror_W, half - mirror_W});
    return conv2d(padded, W, b);
}

std::vector<Tensor> MultiScaleNet::features(const Tensor& images, const std::vector<std::string>& layers) const {
    check(images.ndim() == 4 && images.dim(1) == 3, "MultiScaleNet::features: expected images (N, 3, H, W), got ",
          images.shape_str());
    const std::vector<std::string> names = layer_names();
    std::vector<Tensor> pyramid = {images};  // pyramid[L]: images downsampled by 2^L, made when first needed
    std::vector<Tensor> out;
    for (const std::string& layer : layers) {
        const auto it = std::find(names.begin(), names.end(), layer);
        if (it == names.end()) {
            std::string known;
            for (const auto& n : names) known += " " + n;
            fail("MultiScaleNet::features: no layer named ", layer, "; this network has", known);
        }
        const size_t s = size_t(it - names.begin());
        const int level = config_.scales[s].level;
        while (int(pyramid.size()) <= level) pyramid.push_back(blur_halve(pyramid.back()));
        out.push_back(relu(pre_activation(pyramid[level], s, W_[s], b_[s])));
    }
    return out;
}

std::vector<std::string> MultiScaleNet::layer_names() const {
    std::vector<std::string> names;
    for (const auto& s : config_.scales) names.push_back(multiscale_layer_name(s));
    return names;
}

std::string MultiScaleNet::description() const {
    std::string d = "embedded multi-scale random network (" + config_.name + "; seed " + std::to_string(seed_) + "):";
    for (const auto& s : config_.scales) d += " " + multiscale_layer_name(s) + "x" + std::to_string(s.filters);
    return d;
}

}  // namespace convlab
