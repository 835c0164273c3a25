// src/face/pretrained/recognition_net.cpp: the layer table, the loader (folding each scale layer into its
// convolution) and the forward pass of face-api's recognition net (see recognition_net.hpp).
#include "face/pretrained/recognition_net.hpp"

#include <string>
#include <utility>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/pretrained/face_input.hpp"
#include "io/checkpoint.hpp"
#include "kernels/im2col.hpp"
#include "ops/conv.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/pool.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {
namespace {

constexpr int64_t kInputSize = 150;

struct BlockSpec {
    const char* name;
    int64_t C_in, C_out;
    bool down;
};

// Layers 3 .. 16 of the table in recognition_net.hpp.
constexpr BlockSpec kBlocks[] = {
    {"conv32_1", 32, 32, false},     {"conv32_2", 32, 32, false},      {"conv32_3", 32, 32, false},
    {"conv64_down", 32, 64, true},   {"conv64_1", 64, 64, false},      {"conv64_2", 64, 64, false},
    {"conv64_3", 64, 64, false},     {"conv128_down", 64, 128, true},  {"conv128_1", 128, 128, false},
    {"conv128_2", 128, 128, false},  {"conv256_down", 128, 256, true}, {"conv256_1", 256, 256, false},
    {"conv256_2", 256, 256, false},  {"conv256_down_out", 256, 256, true},
};

// The four tensors of one of face-api's conv layers, registered (empty, with the shapes the file must
// have) in `targets` for load_into to fill.
struct ConvLayerTensors {
    Tensor W, b, s, t;  // (C_out, C_in, f, f), then (C_out,) each: conv bias, scale weights, scale biases
};

ConvLayerTensors wanted_conv_layer(NamedTensors& targets, const std::string& prefix, int64_t C_in, int64_t C_out,
                                   int64_t f) {
    const ConvLayerTensors c{Tensor::empty({C_out, C_in, f, f}), Tensor::empty({C_out}), Tensor::empty({C_out}),
                             Tensor::empty({C_out})};
    targets.emplace_back(prefix + "/conv/filters", c.W);
    targets.emplace_back(prefix + "/conv/bias", c.b);
    targets.emplace_back(prefix + "/scale/weights", c.s);
    targets.emplace_back(prefix + "/scale/biases", c.t);
    return c;
}

}  // namespace

RecognitionNet RecognitionNet::load(const std::string& ckpt) {
    NoGradGuard no_grad;
    NamedTensors targets;
    const ConvLayerTensors stem = wanted_conv_layer(targets, "conv32_down", 3, 32, 7);
    std::vector<std::pair<ConvLayerTensors, ConvLayerTensors>> convs;
    for (const BlockSpec& s : kBlocks)
        convs.emplace_back(wanted_conv_layer(targets, std::string(s.name) + "/conv1", s.C_in, s.C_out, 3),
                           wanted_conv_layer(targets, std::string(s.name) + "/conv2", s.C_out, s.C_out, 3));
    const Tensor fc = Tensor::empty({256, 128});
    targets.emplace_back("fc", fc);
    load_into(ckpt, targets);

    // (conv(x, W) + b) * s + t = conv(x, W') + b'   with   W'[o] = W[o] * s[o],  b' = b * s + t   (o: output channel)
    // The 256-channel blocks keep W^T (C_in f f, C_out) for conv2d_small_map instead.
    const auto folded = [](const ConvLayerTensors& c, bool small_map) {
        const int64_t C_out = c.W.dim(0);
        const Tensor W = c.W * c.s.reshape({C_out, 1, 1, 1}), b = c.b * c.s + c.t;
        if (!small_map) return Conv{W, Tensor(), b};
        return Conv{Tensor(), small_map_filters(W), b};
    };
    RecognitionNet net;
    net.stem_ = folded(stem, false);
    for (size_t i = 0; i < convs.size(); ++i) {
        const bool small_map = kBlocks[i].C_out == 256;
        net.blocks_.push_back({kBlocks[i].name, kBlocks[i].down, folded(convs[i].first, small_map),
                               folded(convs[i].second, small_map)});
    }
    net.fc_ = fc;
    return net;
}

Tensor residual_down_merge(const Tensor& main, const Tensor& x) {
    check(main.ndim() == 4 && x.ndim() == 4 && main.dim(0) == x.dim(0) && main.dim(1) >= x.dim(1),
          "residual_down_merge: expected main (N, C_out, h, w) and x (N, C_in, H, W) with C_out >= C_in, got main ",
          main.shape_str(), " and x ", x.shape_str());
    Tensor shortcut = avg_pool2d(x, 2, 2);                                    // (N, C_in, H/2, W/2)
    if (shortcut.dim(1) < main.dim(1)) shortcut = pad(shortcut, {0, main.dim(1) - x.dim(1), 0, 0, 0, 0});
    const bool smaller = main.dim(2) != shortcut.dim(2) || main.dim(3) != shortcut.dim(3);
    const Tensor m = smaller ? pad(main, {0, 1, 0, 1}) : main;                 // one zero row and column
    check(m.shape() == shortcut.shape(), "residual_down_merge: the main branch ", main.shape_str(),
          " does not fit the shortcut ", shortcut.shape_str(), " even after padding");
    return relu(m + shortcut);                                                // (N, C_out, H/2, W/2)
}

Tensor RecognitionNet::conv(const Tensor& x, const Conv& c, int64_t stride, int64_t padding) {
    if (c.Wt.defined()) return conv2d_small_map(x, c.Wt, c.b, 3, stride, padding);
    return conv2d(x, c.W, c.b, stride, padding);
}

// cols^T (N L, K) @ W^T (K, C_out), then back to (N, C_out, out_H, out_W).
Tensor conv2d_small_map(const Tensor& x, const Tensor& Wt, const Tensor& b, int64_t f, int64_t stride, int64_t padding) {
    check(x.ndim() == 4 && Wt.ndim() == 2, "conv2d_small_map: expected x (N, C_in, H, W) and W^T (C_in f f, C_out), got ",
          "x ", x.shape_str(), " and W^T ", Wt.shape_str());
    const int64_t N = x.dim(0), C_out = Wt.dim(1);
    const ConvGeometry g = conv_geometry("conv2d_small_map", x.dim(1), {x.dim(2), x.dim(3)}, {f, f}, {stride, stride},
                                         {padding, padding}, {1, 1});
    const int64_t K = g.col_rows(), L = g.out_numel();
    check(Wt.dim(0) == K, "conv2d_small_map: W^T ", Wt.shape_str(), " does not fit x ", x.shape_str());
    const Tensor xc = x.contiguous();
    Tensor cols = Tensor::empty({N, K, L});                                             // im2col, sample by sample
    for (int64_t n = 0; n < N; ++n)
        im2col_columns(xc.data() + n * g.n_C * g.in_numel(), g, 0, L, cols.data() + n * K * L);
    const Tensor Yt = matmul(transpose(cols, 1, 2).reshape({N * L, K}), Wt) + b;       // (N L, C_out)
    return transpose(Yt.reshape({N, L, C_out}), 1, 2).reshape({N, C_out, g.out[1], g.out[2]});
}

Tensor small_map_filters(const Tensor& W) { return transpose(W.reshape({W.dim(0), -1})).contiguous(); }

// Both convs 3x3/1 SAME (pad 1).
Tensor RecognitionNet::residual(const Tensor& x, const ResidualBlock& r) {
    const Tensor h = relu(conv(x, r.conv1, /*stride=*/1, /*padding=*/1));
    return relu(x + conv(h, r.conv2, 1, 1));
}

// conv1 3x3/2 VALID, conv2 3x3/1 SAME (pad 1), then the merge with the pooled shortcut.
Tensor RecognitionNet::residual_down(const Tensor& x, const ResidualBlock& r) {
    const Tensor h = relu(conv(x, r.conv1, /*stride=*/2, /*padding=*/0));
    return residual_down_merge(conv(h, r.conv2, 1, 1), x);
}

Tensor RecognitionNet::forward(const Tensor& x) const {
    check(x.ndim() == 4 && x.dim(1) == 3 && x.dim(2) == kInputSize && x.dim(3) == kInputSize,
          "RecognitionNet::forward: expected faces (N, 3, 150, 150), got ", x.shape_str());
    NoGradGuard no_grad;
    Tensor a = normalise_face_input(x);                                 // (N, 3, 150, 150)
    a = relu(conv2d(a, stem_.W, stem_.b, /*stride=*/2));                // (N, 32, 72, 72)
    a = max_pool2d(a, 3, 2);                                            // (N, 32, 35, 35)
    for (const ResidualBlock& r : blocks_)                              // the table's layers 3 .. 16
        a = r.down ? residual_down(a, r) : residual(a, r);              // .. (N, 256, 2, 2)
    return matmul(global_avg_pool(a), fc_);                             // (N, 256) @ (256, 128)
}

std::vector<float> RecognitionNet::describe(const Tensor& face) const {
    return forward(face_net_input(face, kInputSize)).values();
}

}  // namespace convlab
