// tests/bench/models.hpp
//
// The convlab side of the network figures; tests/bench/peer_torch.py builds the same ones in PyTorch. Each
// function sets a model up (random weights: only the time matters) and returns one iteration to time.
//
//   vgg19 relu5_1 fwd / fwd+bwd   VGG-19 features to relu5_1 on one 3 x S x S image; backward to the image
//   style iteration               forward to conv5_1, 1 content cost (conv4_2) + 5 Gram style costs
//                                 (conv1_1 .. conv5_1), backward to the generated image
//   face-cnn step                 batch 32 of 1 x 112 x 92 through [conv 3x3 -> ReLU -> max pool 2] x 3
//                                 (32, 64, 128 channels), conv 3x3 128 -> ReLU -> global average pool,
//                                 Linear 128 -> 128, L2-normalise; triplet loss on 10 triplets; SGD momentum
//   conv1d / conv3d fwd+bwd       two convolutions, sum of the output, backward to the weights
#pragma once

#include <cmath>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "chapters/06_nst_cost_function/cost_terms.hpp"
#include "convlab.hpp"
#include "io/checkpoint.hpp"
#include "nets/vgg19.hpp"
#include "nn/layers.hpp"
#include "ops/conv.hpp"
#include "ops/distance.hpp"
#include "ops/pool.hpp"
#include "optim/sgd.hpp"

namespace bench {

using namespace convlab;

// VGG-19 with He-initialised random weights, through the engine's own class (nets/vgg19.hpp): written to a
// temporary checkpoint and loaded back, as the chapters load the real ones.
inline std::shared_ptr<Vgg19> random_vgg19() {
    Rng rng(19);
    NamedTensors weights;
    for (const VggLayer& l : vgg19_layers()) {
        if (l.kind != VggKind::conv) continue;
        const float stddev = std::sqrt(2.0f / float(l.in_channels * 9));
        weights.emplace_back(l.name + ".weight", Tensor::randn({l.out_channels, l.in_channels, 3, 3}, rng, stddev));
        weights.emplace_back(l.name + ".bias", Tensor::zeros({l.out_channels}));
    }
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("convlab_bench_vgg19_" + std::to_string(getpid()) + ".bin")).string();
    save_checkpoint(path, weights);
    auto net = std::make_shared<Vgg19>(Vgg19::from_file(path));
    std::filesystem::remove(path);
    return net;
}

inline std::function<void()> vgg_forward(const std::shared_ptr<Vgg19>& net, int64_t size) {
    Rng rng(1);
    const Tensor x = Tensor::rand({1, 3, size, size}, rng);
    return [net, x] {
        NoGradGuard no_grad;
        net->features(x, {"relu5_1"});
    };
}

inline std::function<void()> vgg_forward_backward(const std::shared_ptr<Vgg19>& net, int64_t size) {
    Rng rng(1);
    Tensor x = Tensor::rand({1, 3, size, size}, rng).requires_grad_();
    return [net, x]() mutable {
        x.zero_grad();
        sum(net->features(x, {"relu5_1"})[0]).backward();
    };
}

// J(G) = 10 J_content(C, G) + 40 sum_l 0.2 J_style^[l](S, G), forward and backward to the image G, through the
// chapters' own cost functions (chapters 07 and 08: in a student copy, the student's).
inline std::function<void()> style_iteration(const std::shared_ptr<Vgg19>& net, int64_t size) {
    const std::vector<std::string> style = {"conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"};
    std::vector<std::string> layers = style;
    layers.push_back("conv4_2");
    Rng rng(2);
    std::vector<Tensor> G_S;
    Tensor a_C;
    {
        NoGradGuard no_grad;
        a_C = net->features(Tensor::rand({1, 3, size, size}, rng), {"conv4_2"})[0][0];
        for (const Tensor& a : net->features(Tensor::rand({1, 3, size, size}, rng), style))
            G_S.push_back(gram_matrix(a[0]));
    }
    Tensor G = Tensor::rand({1, 3, size, size}, rng).requires_grad_();
    return [net, layers, G_S, a_C, G]() mutable {
        G.zero_grad();
        const std::vector<Tensor> a = net->features(G, layers);
        Tensor J = 10.0f * compute_content_cost(a_C, a[5][0]);
        for (size_t l = 0; l < G_S.size(); ++l) J = J + (40.0f * 0.2f) * compute_layer_style_cost(G_S[l], a[l][0]);
        J.backward();
    };
}

inline std::function<void()> face_step() {
    Rng rng(3);
    auto model = std::make_shared<nn::Sequential>();
    int64_t in = 1;
    for (const int64_t out : {32, 64, 128}) {
        model->add(std::make_shared<nn::Conv2d>(in, out, 3, rng, /*stride=*/1, /*padding=*/1));
        model->add(std::make_shared<nn::ReLU>());
        model->add(std::make_shared<nn::MaxPool2d>(2));
        in = out;
    }
    model->add(std::make_shared<nn::Conv2d>(128, 128, 3, rng, 1, 1));
    model->add(std::make_shared<nn::ReLU>());
    model->add(std::make_shared<nn::GlobalAvgPool>());
    model->add(std::make_shared<nn::Linear>(128, 128, rng));
    model->add(std::make_shared<nn::L2Normalize>(1));
    auto opt = std::make_shared<optim::SGD>(model->parameters(), /*lr=*/0.01f, /*momentum=*/0.9f);
    const Tensor x = Tensor::rand({32, 1, 112, 92}, rng);
    return [model, opt, x] {
        opt->zero_grad();
        const Tensor f = model->forward(x);
        const Tensor f_A = slice(f, 0, 0, 10), f_P = slice(f, 0, 10, 20), f_N = slice(f, 0, 20, 30);
        // J = sum_i max(||f(A) - f(P)||^2 - ||f(A) - f(N)||^2 + alpha, 0), alpha = 0.2   [lecture: "Triplet Loss"]
        const Tensor J = sum(relu(sum(square(f_A - f_P), {1}) - sum(square(f_A - f_N), {1}) + 0.2f));
        J.backward();
        opt->step();
    };
}

inline std::function<void()> conv_forward_backward(const Tensor& x, std::shared_ptr<nn::Sequential> model) {
    return [x, model] {
        model->zero_grad();
        sum(model->forward(x)).backward();
    };
}

inline std::function<void()> conv1d_figure() {
    Rng rng(4);
    auto model = std::make_shared<nn::Sequential>();
    model->add(std::make_shared<nn::Conv1d>(1, 16, 5, rng));
    model->add(std::make_shared<nn::Conv1d>(16, 32, 5, rng));
    return conv_forward_backward(Tensor::rand({256, 1, 1000}, rng), model);
}

inline std::function<void()> conv3d_figure() {
    Rng rng(5);
    auto model = std::make_shared<nn::Sequential>();
    model->add(std::make_shared<nn::Conv3d>(1, 16, 5, rng));
    model->add(std::make_shared<nn::Conv3d>(16, 32, 3, rng));
    return conv_forward_backward(Tensor::rand({8, 1, 32, 32, 32}, rng), model);
}

}  // namespace bench
