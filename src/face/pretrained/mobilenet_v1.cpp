// src/face/pretrained/mobilenet_v1.cpp: the weight map, SAME convolutions with ReLU6, batch-norm folding and
// MobileNetV1's forward pass (see mobilenet_v1.hpp).
#include "face/pretrained/mobilenet_v1.hpp"

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/checkpoint.hpp"
#include "kernels/gemm.hpp"
#include "ops/conv.hpp"
#include "ops/elementwise.hpp"
#include "ops/same_padding.hpp"

namespace convlab {

WeightMap WeightMap::load(const std::string& path) {
    WeightMap w{{}, path};
    for (auto& [name, t] : load_checkpoint(path)) w.tensors.emplace(name, t);
    return w;
}

Tensor WeightMap::take(const std::string& name, const Shape& shape) const {
    const auto it = tensors.find(name);
    check(it != tensors.end(), source, ": missing tensor '", name, "' (the file holds ", tensors.size(), " tensors)");
    check(it->second.shape() == shape, source, ": tensor '", name, "' has shape ", it->second.shape_str(),
          ", expected ", shape_str(shape));
    return it->second;
}

namespace {

// ReLU6 in place, on a result no one else holds and no gradient will flow through.
void relu6_in_place(Tensor& y) {
    float* p = y.data();
    parallel_for(y.numel(), [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) p[i] = std::min(std::max(p[i], 0.0f), 6.0f);
    }, kTaskGrain);
}

// Inference with a 1x1 filter: the convolution is one matrix product per sample,
//   Y[n] (C_out, H W) = W (C_out, C_in) X[n] (C_in, H W) + b,
// with Y[n] started at b (gemm's beta = 1) and clipped in place: no copy of x, no second pass for the bias.
Tensor pointwise_relu6(const Tensor& x_in, const Tensor& W, const Tensor& b) {
    const Tensor x = x_in.contiguous();
    const int64_t N = x.dim(0), C_in = x.dim(1), C_out = W.dim(0), L = x.dim(2) * x.dim(3);
    const Tensor Wc = W.contiguous(), bc = b.contiguous();
    Tensor y = Tensor::empty({N, C_out, x.dim(2), x.dim(3)});
    const float *pb = bc.data(), *pw = Wc.data();
    for (int64_t n = 0; n < N; ++n) {
        float* y_n = y.data() + n * C_out * L;
        for (int64_t o = 0; o < C_out; ++o) std::fill(y_n + o * L, y_n + (o + 1) * L, pb[o]);
        gemm(false, false, C_out, L, C_in, 1.0f, pw, C_in, x.data() + n * C_in * L, L, 1.0f, y_n, L);
    }
    relu6_in_place(y);
    return y;
}

}  // namespace

// SAME padding: the convolution pads x itself when TensorFlow's padding is the same on every side (stride 1,
// or stride 2 on an odd size); otherwise (stride 2 on an even size: nothing before, one after) x is padded
// first and the convolution is VALID. Without autodiff (inference), a 1x1 convolution is a plain gemm and
// ReLU6 clips the convolution's output in place.
Tensor ConvRelu6::forward(const Tensor& x) const {
    check(x.ndim() == 4 && x.dim(1) == W.dim(1) * groups, "ConvRelu6: expected x (N, ",
          W.dim(1) * groups, ", H, W), got ", x.shape_str());
    const bool inference = !needs_grad({x, W, b});
    const int64_t f = W.dim(2);
    if (inference && f == 1 && stride == 1 && groups == 1) return pointwise_relu6(x, W, b);
    Tensor y = conv2d_tf_same(x, W, b, stride, groups);
    if (!inference) return clamp(y, 0.0f, 6.0f);
    relu6_in_place(y);
    return y;
}

ConvRelu6 ConvRelu6::pointwise(const WeightMap& w, const std::string& prefix, int64_t C_in, int64_t C_out, int64_t f,
                               int64_t stride) {
    return {w.take(prefix + "/weights", {C_out, C_in, f, f}), w.take(prefix + "/convolution_bn_offset", {C_out}),
            stride, 1};
}

ConvRelu6 fold_batch_norm(const Tensor& W, const Tensor& gamma, const Tensor& beta, const Tensor& mu,
                          const Tensor& sigma2, float eps, int64_t stride, int64_t groups) {
    const int64_t C = W.dim(0), per_filter = W.numel() / C;
    for (const Tensor* t : {&gamma, &beta, &mu, &sigma2})
        check(t->shape() == Shape{C}, "fold_batch_norm: expected batch-norm parameters of shape (", C, "), got ",
              t->shape_str());
    Tensor W_folded = W.contiguous().clone(), b_folded = Tensor::empty({C});
    const std::vector<float> g = gamma.values(), be = beta.values(), m = mu.values(), v = sigma2.values();
    for (int64_t c = 0; c < C; ++c) {
        const float s = g[c] / std::sqrt(v[c] + eps);
        for (int64_t k = 0; k < per_filter; ++k) W_folded.data()[c * per_filter + k] *= s;
        b_folded.data()[c] = be[c] - m[c] * s;
    }
    return {W_folded, b_folded, stride, groups};
}

namespace {

// Output channels of blocks 1 .. 13, and the blocks whose depthwise convolution has stride 2.
constexpr int64_t kWidths[MobileNetV1::kBlocks] = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
bool halves(int block) { return block == 2 || block == 4 || block == 6 || block == 12; }

}  // namespace

MobileNetV1 MobileNetV1::from_weights(const WeightMap& w) {
    MobileNetV1 net;
    net.conv0_ = ConvRelu6::pointwise(w, "MobilenetV1/Conv2d_0_pointwise", 3, 32, 3, 2);
    int64_t C = 32;
    for (int i = 1; i <= kBlocks; ++i) {
        const std::string dw = "MobilenetV1/Conv2d_" + std::to_string(i) + "_depthwise";
        const auto bn = [&](const std::string& what) { return w.take(dw + "/BatchNorm/" + what, {C}); };
        net.depthwise_[i - 1] = fold_batch_norm(w.take(dw + "/depthwise_weights", {C, 1, 3, 3}), bn("gamma"),
                                                bn("beta"), bn("moving_mean"), bn("moving_variance"), kBatchNormEps,
                                                halves(i) ? 2 : 1, C);
        const int64_t C_out = kWidths[i - 1];
        net.pointwise_[i - 1] =
            ConvRelu6::pointwise(w, "MobilenetV1/Conv2d_" + std::to_string(i) + "_pointwise", C, C_out, 1, 1);
        C = C_out;
    }
    return net;
}

MobileNetV1::Features MobileNetV1::forward(const Tensor& x) const {
    check(x.ndim() == 4 && x.dim(1) == 3, "MobileNetV1::forward: expected x (N, 3, H, W), got ", x.shape_str());
    Features features;
    Tensor a = conv0_.forward(x);
    for (int i = 0; i < kBlocks; ++i) {
        a = pointwise_[i].forward(depthwise_[i].forward(a));
        if (i + 1 == 11) features.conv11 = a;
    }
    features.out = a;
    return features;
}

}  // namespace convlab
