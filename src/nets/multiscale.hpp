// src/nets/multiscale.hpp
//
// The embedded feature network: no downloaded weights. One layer of random filters at several scales, side by
// side, each followed by ReLU; its Gram matrices describe style, one scale's activations describe content.
// Random shallow networks with many filter sizes are nearly as good a texture model as a trained VGG
// [Ustyuzhaninov, Brendel, Gatys, Bethge 2016; He, Wang, Hopcroft 2016]; docs/nst-feature-networks.md
// shows what it paints and explains the default.
//
// Each scale s convolves a copy of the image downsampled by 2^level_s (level_s halvings: a binomial blur
// [1 3 3 1]/8 on each axis, then every second pixel) with
// filters_s random k_s x k_s filters, reflect-padded so the output keeps the copy's size:
//
//   y_c = W_c * x + b_c,    W_c ~ N(0, 1) then rescaled:  W_c <- W_c / sigma_c,  b_c = -mu_c / sigma_c
//   a_c = max(0, y_c)
//
// where mu_c and sigma_c are the mean and standard deviation of W_c * x over every position of the
// calibration images (the program's own content and style images): every channel then has zero mean and
// unit variance on the data at hand, so no channel is dead and none drowns the others.
// A filter at level L sees k * 2^L pixels of the full image: a 11x11 filter at level 2 spans 44 pixels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nets/feature_net.hpp"

namespace convlab {

struct MultiScaleConfig {
    struct Scale {
        int level;    // the image is downsampled by 2^level before this scale's filters
        int kernel;   // k: filters are k x k
        int filters;  // n_C of this scale
    };
    std::string name;
    std::vector<Scale> scales;
    std::string content_layer;   // one of the scale names, "k11@1" style (see layer_name)
    float style_weight;          // beta for alpha = 10, with lambda^[l] = 1 / (number of scales)
};

// One halving of the pyramid, (N, C, H, W) -> (N, C, H / 2, W / 2) rounded down: each channel blurred with
// the binomial filter [1 3 3 1]/8 along each axis (reflect-padded by 1), then every second pixel.
Tensor blur_halve(const Tensor& x);

// "k<kernel>@<2^level>": "k11@1" is 11x11 on the full image, "k7@4" is 7x7 on the image downsampled 4x.
std::string multiscale_layer_name(const MultiScaleConfig::Scale& s);

// The embedded networks, by name (docs/nst-feature-networks.md shows both and says why the default):
//   "default"    small and middle kernels on a pyramid of the image (full, 1/2, 1/4, 1/8), 3 to 88 pixels
//   "reference"  the reference's network C (../shared/reference): 3, 5, 7, 11, 15, 23, 128 filters each,
//                all on the full image
std::vector<std::string> multiscale_config_names();
MultiScaleConfig multiscale_config(const std::string& name);  // unknown name -> convlab::Error listing them

// The configs above are tuned at 256 px. For a longer side of image_size = 256 * 2^e px (e = floor of
// log2(image_size / 256), when >= 1), every scale above the full image moves e levels down the pyramid
// (k11@2 -> k11@4 at 512 px): its filters then span the same fraction of the picture as at 256 px, while
// the full-image scales keep the finest strokes. Smaller sizes keep the config as it is.
MultiScaleConfig multiscale_config_for_size(const MultiScaleConfig& config, int64_t image_size);

class MultiScaleNet : public FeatureNet {
public:
    // calibration: images (3, H, W) in [0, 1] whose statistics normalise each channel (at least one).
    MultiScaleNet(const MultiScaleConfig& config, const std::vector<Tensor>& calibration, uint64_t seed);

    std::vector<Tensor> features(const Tensor& images, const std::vector<std::string>& layers) const override;
    std::vector<std::string> layer_names() const override;
    std::string description() const override;
    std::string default_content_layer() const override { return config_.content_layer; }
    std::vector<std::string> default_style_layers() const override { return layer_names(); }
    float default_style_weight() const override { return config_.style_weight; }

    const MultiScaleConfig& config() const { return config_; }
    const Tensor& weight(size_t scale) const { return W_[scale]; }  // (filters, 3, k, k), rescaled
    const Tensor& bias(size_t scale) const { return b_[scale]; }    // (filters,)

private:
    Tensor pre_activation(const Tensor& downsampled, size_t scale, const Tensor& W, const Tensor& b) const;
    MultiScaleConfig config_;
    std::vector<Tensor> W_, b_;
    uint64_t seed_;
};

}  // namespace convlab
