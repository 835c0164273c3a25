// src/face/encoder.cpp
#include "face/encoder.hpp"

#include <algorithm>
#include <string>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/augment.hpp"
#include "io/checkpoint.hpp"
#include "nn/layers.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

FaceEncoder::FaceEncoder(const EncoderConfig& config, Rng& rng) : config_(config) {
    check(!config.channels.empty() && config.dim > 0, "FaceEncoder: need at least one conv layer and dim > 0");
    net_ = register_module("net", std::make_shared<nn::Sequential>());
    int64_t c_in = 1, h = config.height, w = config.width;
    for (size_t l = 0; l < config.channels.size(); ++l) {
        const int64_t c_out = config.channels[l];
        // no conv bias: the batch norm's beta that follows plays its part
        net_->add(std::make_shared<nn::Conv2d>(c_in, c_out, 3, rng, /*stride=*/1, /*padding=*/1, 1, /*bias=*/false));
        net_->add(std::make_shared<nn::BatchNorm>(c_out));
        net_->add(std::make_shared<nn::ReLU>());
        if (l + 1 < config.channels.size()) {  // every conv but the last is followed by a 2x2 max pool
            net_->add(std::make_shared<nn::MaxPool2d>(2));
            h /= 2, w /= 2;
        }
        check(h >= 1 && w >= 1, "FaceEncoder: input ", config.height, " x ", config.width, " too small for ",
              config.channels.size(), " layers");
        c_in = c_out;
    }
    net_->add(std::make_shared<nn::Flatten>());
    net_->add(std::make_shared<nn::Linear>(c_in * h * w, config.dim, rng));
    net_->add(std::make_shared<nn::L2Normalize>(1));
}

Tensor FaceEncoder::forward(const Tensor& x) {
    check(x.ndim() == 4 && x.dim(1) == 1 && x.dim(2) == config_.height && x.dim(3) == config_.width,
          "FaceEncoder: expected (N, 1, ", config_.height, ", ", config_.width, "), got ", x.shape_str());
    // standardise each photo: zero mean, unit variance
    const Tensor centred = x - mean(x, {1, 2, 3}, true);
    return net_->forward(centred / sqrt(mean(square(centred), {1, 2, 3}, true) + 1e-6f));
}

Tensor encode_all(FaceEncoder& f, const Tensor& images, bool average_views, int64_t batch) {
    NoGradGuard no_grad;
    const bool was_training = f.training();
    f.eval();
    std::vector<Tensor> parts;
    for (int64_t i = 0; i < images.dim(0); i += batch) {
        const Tensor x = images.slice(0, i, std::min(i + batch, images.dim(0)));
        if (!average_views) {
            parts.push_back(f(x));
            continue;
        }
        Tensor sum_v;
        for (float scale : kViewScales) {
            const Tensor view = scale == 1.0f ? x : zoom(x, scale);
            const Tensor e = f(view) + f(mirror(view));
            sum_v = sum_v.defined() ? sum_v + e : e;
        }
        parts.push_back(l2_normalize(sum_v, 1));
    }
    f.train(was_training);
    return concat(parts, 0);
}

void save_face_model(const std::string& path, const FaceEncoder& f, float tau, const Tensor& P) {
    const EncoderConfig& c = f.config();
    std::vector<float> config{float(c.height), float(c.width), float(c.dim)};
    for (int64_t ch : c.channels) config.push_back(float(ch));
    NamedTensors all = prefixed("encoder.", f.state());
    all.push_back({"config", Tensor::from({int64_t(config.size())}, config)});
    all.push_back({"tau", Tensor::from({1}, {tau})});
    if (P.defined()) all.push_back({"whitening", P});
    save_checkpoint(path, all);
}

FaceModel load_face_model(const std::string& path) {
    Tensor config, tau, P;
    for (const auto& [name, t] : load_checkpoint(path)) {
        if (name == "config") config = t;
        if (name == "tau") tau = t;
        if (name == "whitening") P = t;
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
    check(!P.defined() || (P.ndim() == 2 && P.dim(0) == c.dim && P.dim(1) == c.dim), "load_face_model: ", path,
          ": whitening must be (", c.dim, ", ", c.dim, "), got ", P.defined() ? P.shape_str() : "");
    FaceModel model{std::make_unique<FaceEncoder>(c, rng), tau.item(), P};
    load_into(path, prefixed("encoder.", model.f->state()));
    model.f->eval();
    return model;
}

}  // namespace convlab
