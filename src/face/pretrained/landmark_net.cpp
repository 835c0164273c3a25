// src/face/pretrained/landmark_net.cpp: the loader, the forward pass and the mapping back to the face image of
// face-api's 68-point landmark net (see landmark_net.hpp).
#include "face/pretrained/landmark_net.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/pretrained/face_input.hpp"
#include "io/checkpoint.hpp"
#include "ops/conv.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/pool.hpp"
#include "ops/same_padding.hpp"

namespace convlab {
namespace {

constexpr int64_t kInputSize = 112;
constexpr int64_t kWidths[5] = {3, 32, 64, 128, 256};  // channels into dense0, out of dense0 .. dense3

}  // namespace


LandmarkNet LandmarkNet::load(const std::string& ckpt) {
    LandmarkNet net;
    NamedTensors targets;
    const auto want = [&](const std::string& name, const Shape& shape) {
        targets.emplace_back(name, Tensor::empty(shape));
        return targets.back().second;
    };
    for (int k = 0; k < 4; ++k) {
        const std::string block = "dense" + std::to_string(k);
        const int64_t C_in = kWidths[k], C = kWidths[k + 1];
        for (int j = 0; j < 4; ++j) {
            const std::string prefix = block + "/conv" + std::to_string(j) + "/";
            const int64_t C_j = j == 0 ? C_in : C;  // channels into conv j
            Conv& c = net.dense_[k].conv[j];
            if (k == 0 && j == 0) {
                c.W = want(prefix + "filters", {C, C_j, 3, 3});
                c.b = want(prefix + "bias", {C});
                continue;
            }
            c.depthwise = want(prefix + "depthwise_filter", {C_j, 1, 3, 3});
            c.W = want(prefix + "pointwise_filter", {C, C_j, 1, 1});
            c.b = want(prefix + "bias", {C});
        }
    }
    net.fc_W_ = want("fc/weights", {256, 136});
    net.fc_b_ = want("fc/bias", {136});
    load_into(ckpt, targets);
    return net;
}

// depthwise 3x3 SAME (stride s, groups = C) -> pointwise 1x1 + b; or dense0's conv0: conv 3x3 SAME + b.
Tensor LandmarkNet::conv(const Tensor& x, const Conv& c, int64_t stride) {
    if (!c.depthwise.defined()) return conv2d_tf_same(x, c.W, c.b, stride);
    return conv2d(conv2d_tf_same(x, c.depthwise, Tensor(), stride, /*groups=*/x.dim(1)), c.W, c.b);
}

// The sums in face-api's order: o1 + (o2 + o3), o1 + (o2 + (o3 + o4)).
Tensor LandmarkNet::dense_block(const Tensor& x, const DenseBlock& d) {
    const Tensor o1 = relu(conv(x, d.conv[0], /*stride=*/2));   // (N, C', h/2, w/2)
    const Tensor o2 = conv(o1, d.conv[1], 1);
    const Tensor o3 = conv(relu(o1 + o2), d.conv[2], 1);
    const Tensor o4 = conv(relu(o1 + (o2 + o3)), d.conv[3], 1);
    return relu(o1 + (o2 + (o3 + o4)));
}

Tensor LandmarkNet::forward(const Tensor& x) const {
    check(x.ndim() == 4 && x.dim(1) == 3 && x.dim(2) == kInputSize && x.dim(3) == kInputSize,
          "LandmarkNet::forward: expected faces (N, 3, 112, 112), got ", x.shape_str());
    NoGradGuard no_grad;
    Tensor a = normalise_face_input(x);                           // (N, 3, 112, 112)
    for (const DenseBlock& d : dense_) a = dense_block(a, d);     // 56, 28, 14, then (N, 256, 7, 7)
    a = avg_pool2d(a, 7, 2).reshape({x.dim(0), 256});             // (N, 256)
    return matmul(a, fc_W_) + fc_b_;                              // (N, 136)
}

std::vector<Point> LandmarkNet::detect(const Tensor& face) const {
    const std::vector<float> o = forward(face_net_input(face, kInputSize)).values();
    return landmarks_in_face(o, face.dim(1), face.dim(2), kInputSize);
}

std::vector<Point> landmarks_in_face(const std::vector<float>& o, int64_t H, int64_t W, int64_t input_size) {
    check(o.size() == 136 && H > 0 && W > 0 && input_size > 0, "landmarks_in_face: expected 136 outputs and a face ",
          "of positive size, got ", o.size(), " outputs and ", H, " x ", W);
    const float size = float(input_size), s = size / float(std::max(H, W));
    const float w = float(W) * s, h = float(H) * s;
    const float pad_x = w < h ? (h - w) / 2 : 0.0f, pad_y = h < w ? (w - h) / 2 : 0.0f;
    std::vector<Point> points(68);
    for (size_t k = 0; k < 68; ++k) {
        points[k].x = (o[2 * k] * size - pad_x) / w * float(W);
        points[k].y = (o[2 * k + 1] * size - pad_y) / h * float(H);
    }
    return points;
}

}  // namespace convlab
