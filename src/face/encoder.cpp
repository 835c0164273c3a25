// src/face/encoder.cpp
#include "face/encoder.hpp"

#include <algorithm>
#include <string>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/augment.hpp"
#include "nn/init.hpp"
#include "ops/conv.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/pool.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

FaceEncoder::FaceEncoder(const EncoderConfig& config, Rng& rng) : config_(config) {
    check(!config.channels.empty() && config.dim > 0, "FaceEncoder: need at least one conv layer and dim > 0");
    int64_t c_in = 1, h = config.height, w = config.width;
    for (size_t l = 0; l < config.channels.size(); ++l) {
        const int64_t c_out = config.channels[l];
        Tensor W = Tensor::empty({c_out, c_in, 3, 3});
        W_.push_back(register_parameter("conv" + std::to_string(l + 1) + "_W", nn::kaiming_normal_(W, c_in * 9, rng)));
        b_.push_back(register_parameter("conv" + std::to_string(l + 1) + "_b", Tensor::zeros({c_out})));
        if (l + 1 < config.channels.size()) h /= 2, w /= 2;  // every conv but the last is followed by a 2x2 pool
        check(h >= 1 && w >= 1, "FaceEncoder: input ", config.height, " x ", config.width, " too small for ",
              config.channels.size(), " layers");
        c_in = c_out;
    }
    Tensor Wfc = Tensor::empty({config.dim, c_in * h * w});
    W_fc = register_parameter("fc_W", nn::kaiming_normal_(Wfc, c_in * h * w, rng));
    b_fc = register_parameter("fc_b", Tensor::zeros({config.dim}));
}

Tensor FaceEncoder::forward(const Tensor& x) {
    check(x.ndim() == 4 && x.dim(1) == 1 && x.dim(2) == config_.height && x.dim(3) == config_.width,
          "FaceEncoder: expected (N, 1, ", config_.height, ", ", config_.width, "), got ", x.shape_str());
    // standardise each photo: zero mean, unit variance
    const Tensor centred = x - mean(x, {1, 2, 3}, true);
    Tensor a = centred / sqrt(mean(square(centred), {1, 2, 3}, true) + 1e-6f);
    for (size_t l = 0; l < W_.size(); ++l) {
        a = relu(conv2d(a, W_[l], b_[l], /*stride=*/1, /*padding=*/1));
        if (l + 1 < W_.size()) a = max_pool2d(a, 2);
    }
    const Tensor z = matmul(a.flatten(1), transpose(W_fc)) + b_fc;  // (N, dim)
    return l2_normalize(z, 1);
}

Tensor encode_all(FaceEncoder& f, const Tensor& images, bool flip_average, int64_t batch) {
    NoGradGuard no_grad;
    const bool was_training = f.training();
    f.eval();
    std::vector<Tensor> parts;
    for (int64_t i = 0; i < images.dim(0); i += batch) {
        const Tensor x = images.slice(0, i, std::min(i + batch, images.dim(0)));
        parts.push_back(flip_average ? l2_normalize(f(x) + f(mirror(x)), 1) : f(x));
    }
    f.train(was_training);
    return concat(parts, 0);
}

}  // namespace convlab
