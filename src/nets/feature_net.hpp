// src/nets/feature_net.hpp
//
// A feature network for Neural Style Transfer: a ConvNet whose weights stay fixed while the pixels of the
// generated image change. It maps images to the activations a^[l] of named layers; the content cost compares
// one layer's, the style cost the Gram matrices of several.        [lecture: "Content Cost Function"]
//
// Two implementations: Vgg19 (nets/vgg19.hpp, weights from a file) and MultiScaleNet (nets/multiscale.hpp,
// the embedded default that needs no download).
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

class FeatureNet {
public:
    virtual ~FeatureNet() = default;

    // images: (N, 3, H, W) in [0, 1]  ->  one activation (N, n_C, n_H, n_W) per requested layer, in the order
    // asked. Differentiable with respect to the images. An unknown layer name -> convlab::Error listing the
    // known ones.
    virtual std::vector<Tensor> features(const Tensor& images, const std::vector<std::string>& layers) const = 0;

    virtual std::vector<std::string> layer_names() const = 0;
    virtual std::string description() const = 0;  // one line, for the program's output

    // What works well for style transfer with this network: the content layer, the style layers (equal
    // lambda^[l]), and the style weight beta that balances a content weight alpha = 10.
    virtual std::string default_content_layer() const = 0;
    virtual std::vector<std::string> default_style_layers() const = 0;
    virtual float default_style_weight() const = 0;
};

}  // namespace convlab
