// src/face/pretrained/mobilenet_v1.hpp
//
// MobileNetV1, the backbone of face-api's SSD face detector: a full 3x3 convolution, then 13 depthwise-
// separable blocks, each a depthwise 3x3 convolution (one filter per channel: groups = C) and a pointwise
// 1x1 convolution that mixes the channels. Every convolution is followed by ReLU6, y = min(max(x, 0), 6).
//                                                                                [Howard et al., 2017. MobileNets]
//
// A k x k convolution from C_in to C_out channels costs k^2 C_in C_out multiply-adds per position; the
// depthwise-separable pair costs k^2 C_in + C_in C_out, about 1/9 of that for k = 3 and wide layers.
//
// Layer table (TensorFlow's SAME padding, ops/same_padding.hpp; shapes for a 512 x 512 input):
//   layer      op                                  stride   C_in -> C_out   output (C, H, W)
//   conv_0     conv 3x3 + offset + ReLU6              2        3 -> 32      (32, 256, 256)
//   conv_1     dw 3x3 + bn + ReLU6, pw 1x1 + ReLU6    1       32 -> 64      (64, 256, 256)
//   conv_2     dw, pw                                 2       64 -> 128     (128, 128, 128)
//   conv_3     dw, pw                                 1      128 -> 128     (128, 128, 128)
//   conv_4     dw, pw                                 2      128 -> 256     (256, 64, 64)
//   conv_5     dw, pw                                 1      256 -> 256     (256, 64, 64)
//   conv_6     dw, pw                                 2      256 -> 512     (512, 32, 32)
//   conv_7..11 dw, pw (five blocks)                   1      512 -> 512     (512, 32, 32)    "conv11"
//   conv_12    dw, pw                                 2      512 -> 1024    (1024, 16, 16)
//   conv_13    dw, pw                                 1     1024 -> 1024    (1024, 16, 16)   "out"
// The stride of a block is its depthwise convolution's; pointwise convolutions have stride 1.
//
// Weights: the tfjs manifest's names, as the face-weights converter stores them (src/io/checkpoint.hpp):
//   MobilenetV1/Conv2d_0_pointwise/weights (32, 3, 3, 3), .../convolution_bn_offset (32)
//   MobilenetV1/Conv2d_<i>_depthwise/depthwise_weights (C, 1, 3, 3), .../BatchNorm/{gamma, beta,
//     moving_mean, moving_variance} (C)
//   MobilenetV1/Conv2d_<i>_pointwise/weights (C_out, C_in, 1, 1), .../convolution_bn_offset (C_out)
// The pointwise layers' batch norms were folded into their weights when the model was exported (only the
// offset is left); the depthwise ones are folded here, at load time (fold_batch_norm).
#pragma once

#include <map>
#include <string>

#include "core/tensor.hpp"

namespace convlab {

// The tensors of a checkpoint by name, and the file they came from (for error messages).
struct WeightMap {
    std::map<std::string, Tensor> tensors;
    std::string source;
    // The tensor `name`, which must have `shape`, else convlab::Error naming the file, the tensor, the
    // expected and the actual shape.
    Tensor take(const std::string& name, const Shape& shape) const;
    static WeightMap load(const std::string& path);
};

// A convolution with TensorFlow's SAME padding, a bias, then ReLU6:
//   y = min(max(conv(x, W) + b, 0), 6)
// W (C_out, C_in / groups, f, f), b (C_out); groups = C_in for a depthwise convolution.
// x (N, C_in, H, W) -> (N, C_out, ceil(H / stride), ceil(W / stride)).
struct ConvRelu6 {
    Tensor W, b;
    int64_t stride = 1, groups = 1;
    Tensor forward(const Tensor& x) const;
    // Weights <prefix>/weights and the offset <prefix>/convolution_bn_offset: face-api's "pointwise" layer
    // (a 1x1 or, in conv_0 and some of the SSD's extra layers, a 3x3 convolution).
    static ConvRelu6 pointwise(const WeightMap& w, const std::string& prefix, int64_t C_in, int64_t C_out,
                               int64_t f, int64_t stride);
};

// Batch norm after a convolution without bias, folded into the convolution:
//   BN(conv(x, W)) = gamma (conv(x, W) - mu) / sqrt(sigma^2 + eps) + beta = conv(x, W') + b'
//   W'[c] = W[c] s_c,   b'[c] = beta_c - mu_c s_c,   s_c = gamma_c / sqrt(sigma^2_c + eps)
// W (C, ...), gamma, beta, mu, sigma^2 (C).
ConvRelu6 fold_batch_norm(const Tensor& W, const Tensor& gamma, const Tensor& beta, const Tensor& mu,
                          const Tensor& sigma2, float eps, int64_t stride, int64_t groups);

class MobileNetV1 {
public:
    static constexpr int kBlocks = 13;
    // The batch norms' epsilon, as face-api's mobileNetV1.ts has it (0.001 as float32).
    static constexpr float kBatchNormEps = 0.0010000000474974513f;

    // Reads every MobilenetV1/... tensor the layer table needs from `w`.
    static MobileNetV1 from_weights(const WeightMap& w);

    struct Features {
        Tensor conv11;  // (N, 512, H/16, W/16): after block 11
        Tensor out;     // (N, 1024, H/32, W/32): after block 13
    };
    // x (N, 3, H, W), RGB scaled to [-1, 1] -> the two feature maps the SSD's box predictors read.
    Features forward(const Tensor& x) const;

private:
    ConvRelu6 conv0_;
    ConvRelu6 depthwise_[kBlocks], pointwise_[kBlocks];
};

}  // namespace convlab
