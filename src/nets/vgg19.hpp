// src/nets/vgg19.hpp
//
// VGG-19's convolutional part, exactly as torchvision builds vgg19().features: 16 convolutions 3x3 (padding
// 1) each followed by ReLU, in five blocks closed by 2x2 max pooling with stride 2. Layer names follow the
// style-transfer literature; torchvision's index in features[...] is given for each:
//
//   block 1: conv1_1 relu1_1 conv1_2 relu1_2 pool1                                  (0 .. 4)     64 channels
//   block 2: conv2_1 relu2_1 conv2_2 relu2_2 pool2                                  (5 .. 9)    128
//   block 3: conv3_1 relu3_1 .. conv3_4 relu3_4 pool3                               (10 .. 18)  256
//   block 4: conv4_1 relu4_1 .. conv4_4 relu4_4 pool4                               (19 .. 27)  512
//   block 5: conv5_1 relu5_1 .. conv5_4 relu5_4 pool5                               (28 .. 36)  512
//
// [Simonyan and Zisserman, 2014. Very deep convolutional networks; Gatys et al., 2015]
//
// Weights come from a convlab checkpoint (io/checkpoint.hpp, docs/checkpoint-format.md) holding "<conv>.weight"
// (C_out, C_in, 3, 3) and "<conv>.bias" (C_out,) for the 16 convolutions; data/export_vgg19.py writes one from
// torchvision (the chapters call it data/vgg19.weights). Images in [0, 1] are first normalised as
// torchvision's ImageNet models expect:
//   x' = (x - mean) / std,   mean = (0.485, 0.456, 0.406),  std = (0.229, 0.224, 0.225)   per RGB channel.
//
// width_divisor > 1 builds the same layout with every width divided by it (64 / 16 = 4 ...): the small
// copy whose torch reference is committed for the always-on parity test.
#pragma once

#include <string>
#include <vector>

#include "io/checkpoint.hpp"
#include "nets/feature_net.hpp"

namespace convlab {

enum class VggKind { conv, relu, pool };

struct VggLayer {
    std::string name;        // "conv3_2"
    VggKind kind;
    int64_t in_channels;     // for conv layers; for relu/pool the channels passing through
    int64_t out_channels;
};

// The 37 layers of vgg19().features, in order.
std::vector<VggLayer> vgg19_layers(int width_divisor = 1);

enum class Pooling { max, avg };  // Gatys et al. report smoother results with average pooling

class Vgg19 : public FeatureNet {
public:
    // Loads the 32 tensors vgg19_layers(width_divisor) needs with load_into: a damaged file, a missing or
    // misshapen tensor -> convlab::Error naming the file, the tensor, the expected and the actual shape.
    // Other tensors in the file are ignored.
    static Vgg19 from_file(const std::string& path, int width_divisor = 1, Pooling pooling = Pooling::max);

    std::vector<Tensor> features(const Tensor& images, const std::vector<std::string>& layers) const override;
    std::vector<std::string> layer_names() const override;
    std::string description() const override;
    std::string default_content_layer() const override { return "conv4_2"; }
    std::vector<std::string> default_style_layers() const override {
        return {"conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"};
    }
    // Gatys et al.'s alpha / beta = 1e-3 in their units, converted to the lecture's normalised J_content
    // (1 / (4 n_H n_W n_C), n_H n_W n_C = 32 * 32 * 512 for conv4_2 at 256 px) and J_style.
    float default_style_weight() const override { return 0.01f; }

    const std::vector<VggLayer>& layers() const { return layers_; }
    const NamedTensors& weights() const { return weights_; }   // in layer order
    Pooling pooling() const { return pooling_; }

private:
    Vgg19(std::vector<VggLayer> layers, NamedTensors weights, Pooling pooling, std::string source);
    std::vector<VggLayer> layers_;
    NamedTensors weights_;              // conv1_1.weight, conv1_1.bias, conv1_2.weight, ...
    Pooling pooling_;
    std::string source_;
};

}  // namespace convlab
