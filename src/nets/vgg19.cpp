// src/nets/vgg19.cpp: the layer table, the loader and the forward pass (see vgg19.hpp).
#include "nets/vgg19.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "ops/conv.hpp"
#include "ops/elementwise.hpp"
#include "ops/pool.hpp"

namespace convlab {
namespace {

constexpr int kConvsPerBlock[5] = {2, 2, 4, 4, 4};
constexpr int64_t kWidths[5] = {64, 128, 256, 512, 512};
constexpr float kImageNetMean[3] = {0.485f, 0.456f, 0.406f};
constexpr float kImageNetStd[3] = {0.229f, 0.224f, 0.225f};

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
    return out;
}

}  // namespace

std::vector<VggLayer> vgg19_layers(int width_divisor) {
    check(width_divisor >= 1 && kWidths[0] % width_divisor == 0, "vgg19_layers: width_divisor must divide 64, got ",
          width_divisor);
    std::vector<VggLayer> layers;
    int64_t channels = 3;
    for (int b = 0; b < 5; ++b) {
        const int64_t width = kWidths[b] / width_divisor;
        const std::string block = std::to_string(b + 1);
        for (int c = 1; c <= kConvsPerBlock[b]; ++c) {
            const std::string id = block + "_" + std::to_string(c);
            layers.push_back({"conv" + id, VggKind::conv, channels, width});
            layers.push_back({"relu" + id, VggKind::relu, width, width});
            channels = width;
        }
        layers.push_back({"pool" + block, VggKind::pool, channels, channels});
    }
    return layers;
}

Vgg19::Vgg19(std::vector<VggLayer> layers, NamedTensors weights, Pooling pooling, std::string source)
    : layers_(std::move(layers)), weights_(std::move(weights)), pooling_(pooling), source_(std::move(source)) {}

Vgg19 Vgg19::from_file(const std::string& path, int width_divisor, Pooling pooling) {
    std::vector<VggLayer> layers = vgg19_layers(width_divisor);
    NamedTensors weights;  // the shapes the layer table expects; load_into checks the file against them
    for (const VggLayer& l : layers) {
        if (l.kind != VggKind::conv) continue;
        weights.emplace_back(l.name + ".weight", Tensor::empty({l.out_channels, l.in_channels, 3, 3}));
        weights.emplace_back(l.name + ".bias", Tensor::empty({l.out_channels}));
    }
    load_into(path, weights);
    return Vgg19(std::move(layers), std::move(weights), pooling, path);
}

std::vector<std::string> Vgg19::layer_names() const {
    std::vector<std::string> names;
    for (const VggLayer& l : layers_) names.push_back(l.name);
    return names;
}

std::string Vgg19::description() const {
    return "VGG-19 (" + std::to_string(layers_[0].out_channels) + ".." + std::to_string(layers_.back().out_channels) +
           " channels, " + (pooling_ == Pooling::max ? "max" : "average") + " pooling) from " + source_;
}

// images (N, 3, H, W) in [0, 1] -> the requested activations. Runs the layers only as far as the deepest
// one asked for: style transfer with conv5_1 never pays for conv5_2 .. pool5.
std::vector<Tensor> Vgg19::features(const Tensor& images, const std::vector<std::string>& wanted) const {
    check(images.ndim() == 4 && images.dim(1) == 3, "Vgg19::features: expected images (N, 3, H, W), got ",
          images.shape_str());
    std::vector<int> index(wanted.size());
    for (size_t w = 0; w < wanted.size(); ++w) {
        const auto it = std::find_if(layers_.begin(), layers_.end(), [&](const VggLayer& l) { return l.name == wanted[w]; });
        check(it != layers_.end(), "Vgg19::features: no layer named ", wanted[w], "; VGG-19 has ", join(layer_names()));
        index[w] = int(it - layers_.begin());
    }
    const int last = index.empty() ? -1 : *std::max_element(index.begin(), index.end());

    Tensor x = (images - Tensor::from({3, 1, 1}, {kImageNetMean[0], kImageNetMean[1], kImageNetMean[2]})) /
               Tensor::from({3, 1, 1}, {kImageNetStd[0], kImageNetStd[1], kImageNetStd[2]});
    std::vector<Tensor> out(wanted.size());
    size_t conv = 0;
    for (int i = 0; i <= last; ++i) {
        switch (layers_[i].kind) {
            case VggKind::conv:
                x = conv2d(x, weights_[2 * conv].second, weights_[2 * conv + 1].second, /*stride=*/1, /*padding=*/1);
                ++conv;
                break;
            case VggKind::relu: x = relu(x); break;
            case VggKind::pool: x = pooling_ == Pooling::max ? max_pool2d(x, 2, 2) : avg_pool2d(x, 2, 2); break;
        }
        for (size_t w = 0; w < wanted.size(); ++w)
            if (index[w] == i) out[w] = x;
    }
    return out;
}

}  // namespace convlab
