// src/face/encoder.cpp
#include "face/encoder.hpp"

#include <algorithm>
#include <string>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/augment.hpp"
#include "io/checkpoint.hpp"
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

void save_face_model(const std::string& path, const FaceEncoder& f, float tau) {
    const EncoderConfig& c = f.config();
    std::vector<float> config{float(c.height), float(c.width), float(c.dim)};
    for (int64_t ch : c.channels) config.push_back(float(ch));
    NamedTensors all = prefixed("encoder.", f.state());
    all.push_back({"config", Tensor::from({int64_t(config.size())}, config)});
    all.push_back({"tau", Tensor::from({1}, {tau})});
    save_checkpoint(path, all);
}

FaceModel load_face_model(const std::string& path) {
    Tensor config, tau;
    for (const auto& [name, t] : load_checkpoint(path)) {
        if (name == "config") config = t;
        if (name == "tau") tau = t;
    }
    check(config.defined() && config.numel() >= 4 && tau.defined() && tau.numel() == 1, "load_face_model: ", path,
          " is not a face model (no config and tau)");
    const std::vector<float> v = config.values();
    EncoderConfig c;
    c.height = int(v[0]);
    c.width = int(v[1]);
    c.dim = int64_t(v[2]);
    c.channels.assign(v.begin() + 3, v.end());
    Rng rng(0);
    FaceModel model{std::make_unique<FaceEncoder>(c, rng), tau.item()};
    load_into(path, prefixed("encoder.", model.f->state()));
    model.f->eval();
    return model;
}

}  // namespace convlab
