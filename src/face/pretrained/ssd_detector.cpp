// src/face/pretrained/ssd_detector.cpp: the SSD's extra layers, box predictors, box decoding and face-api's
// post-processing (see ssd_detector.hpp).
#include "face/pretrained/ssd_detector.hpp"

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/pretrained/nms.hpp"
#include "io/image.hpp"
#include "ops/conv.hpp"
#include "ops/elementwise.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {
namespace {

// Prediction/Conv2d_<i>_pointwise: C_in -> C_out, filter f x f, stride.
struct ExtraLayer {
    int64_t C_in, C_out, f, stride;
};
constexpr ExtraLayer kExtra[8] = {{1024, 256, 1, 1}, {256, 512, 3, 2}, {512, 128, 1, 1}, {128, 256, 3, 2},
                                  {256, 128, 1, 1},  {128, 256, 3, 2}, {256, 64, 1, 1},  {64, 128, 3, 2}};
// Box predictor p: the channels of the feature map it reads, and its anchors per grid cell.
constexpr int64_t kPredictorChannels[SsdDetector::kPredictors] = {512, 1024, 512, 256, 256, 128};
constexpr int64_t kAnchorsPerCell[SsdDetector::kPredictors] = {3, 6, 6, 6, 6, 6};
constexpr int64_t kClasses = 3;  // background, face, unused
constexpr float kIouThreshold = 0.5f;

// (N, K A, H, W), K values for each of A anchors per cell -> (N, H W A, K): anchors by (row, column, anchor).
Tensor per_anchor(const Tensor& y, int64_t K) { return y.permute({0, 2, 3, 1}).reshape({y.dim(0), -1, K}); }

}  // namespace

Tensor decode_ssd_boxes(const Tensor& anchors, const Tensor& encodings) {
    check(anchors.ndim() == 2 && anchors.dim(1) == 4 && encodings.shape() == anchors.shape(),
          "decode_ssd_boxes: expected anchors and encodings of the same shape (A, 4), got ", anchors.shape_str(),
          " and ", encodings.shape_str());
    const Tensor a = anchors.contiguous(), t = encodings.contiguous();
    Tensor boxes = Tensor::empty(anchors.shape());
    const float *pa = a.data(), *pt = t.data();
    float* pb = boxes.data();
    for (int64_t i = 0; i < anchors.dim(0); ++i, pa += 4, pt += 4, pb += 4) {
        const float h_a = pa[2] - pa[0], w_a = pa[3] - pa[1];
        const float c_y = pa[0] + h_a / 2.0f, c_x = pa[1] + w_a / 2.0f;
        const float half_h = std::exp(pt[2] / 5.0f) * h_a / 2.0f, half_w = std::exp(pt[3] / 5.0f) * w_a / 2.0f;
        const float y = pt[0] / 10.0f * h_a + c_y, x = pt[1] / 10.0f * w_a + c_x;
        pb[0] = y - half_h;
        pb[1] = x - half_w;
        pb[2] = y + half_h;
        pb[3] = x + half_w;
    }
    return boxes;
}

// In double, as face-api's JavaScript numbers. A box lying wholly outside the square would come out with a
// negative width or height (face-api throws there; a detection with a score above 0.5 never does).
Box ssd_box_in_image(const float box[4], int64_t H, int64_t W) {
    const double S = double(std::max(H, W)), size = double(SsdDetector::kInputSize);
    const double scale_y = size / std::round(double(H) * size / S), scale_x = size / std::round(double(W) * size / S);
    const double top = std::max(0.0, double(box[0])) * scale_y, bottom = std::min(1.0, double(box[2])) * scale_y;
    const double left = std::max(0.0, double(box[1])) * scale_x, right = std::min(1.0, double(box[3])) * scale_x;
    return Box{float(left * double(W)), float(top * double(H)), float((right - left) * double(W)),
               float((bottom - top) * double(H))};
}

SsdDetector SsdDetector::load(const std::string& ckpt) {
    const WeightMap w = WeightMap::load(ckpt);
    SsdDetector net;
    net.backbone_ = MobileNetV1::from_weights(w);
    for (int i = 0; i < 8; ++i) {
        const ExtraLayer& l = kExtra[i];
        net.extra_.push_back(ConvRelu6::pointwise(w, "Prediction/Conv2d_" + std::to_string(i) + "_pointwise", l.C_in,
                                                  l.C_out, l.f, l.stride));
    }
    for (int p = 0; p < kPredictors; ++p) {
        const std::string prefix = "Prediction/BoxPredictor_" + std::to_string(p);
        const int64_t C = kPredictorChannels[p], A = kAnchorsPerCell[p];
        const Tensor W_class = w.take(prefix + "/ClassPredictor/weights", {kClasses * A, C, 1, 1});
        const Tensor b_class = w.take(prefix + "/ClassPredictor/biases", {kClasses * A});
        BoxPredictor pred{w.take(prefix + "/BoxEncodingPredictor/weights", {4 * A, C, 1, 1}),
                          w.take(prefix + "/BoxEncodingPredictor/biases", {4 * A}), Tensor::empty({A, C, 1, 1}),
                          Tensor::empty({A})};
        for (int64_t a = 0; a < A; ++a) {  // row a of the face logits: row kClasses a + 1 of the class logits
            pred.W_face.slice(0, a, a + 1).copy_(W_class.slice(0, kClasses * a + 1, kClasses * a + 2));
            pred.b_face.slice(0, a, a + 1).copy_(b_class.slice(0, kClasses * a + 1, kClasses * a + 2));
        }
        net.predictors_.push_back(pred);
    }
    net.anchors_ = w.take("Output/extra_dim", {1, kAnchors, 4}).reshape({kAnchors, 4});
    return net;
}

Tensor SsdDetector::input_for(const Tensor& image) {
    check(image.ndim() == 3 && image.dim(0) == 3, "SsdDetector: expected an RGB image (3, H, W), got ",
          image.shape_str());
    const int64_t H = image.dim(1), W = image.dim(2), S = std::max(H, W);
    Tensor x = pad(image * 255.0f, {0, S - H, 0, S - W});  // face-api's padToSquare: zeros below or to the right
    if (S != kInputSize) x = resize_bilinear_tf(x, kInputSize, kInputSize);
    return (x / 127.5f - 1.0f).reshape({1, 3, kInputSize, kInputSize});
}

SsdDetector::Output SsdDetector::forward(const Tensor& x) const {
    check(x.ndim() == 4 && x.dim(1) == 3 && x.dim(2) == kInputSize && x.dim(3) == kInputSize,
          "SsdDetector::forward: expected x (N, 3, 512, 512), got ", x.shape_str());
    const MobileNetV1::Features f = backbone_.forward(x);  // conv11 (N, 512, 32, 32), out (N, 1024, 16, 16)
    std::vector<Tensor> maps{f.conv11, f.out};             // the feature map each predictor reads
    Tensor a = f.out;
    for (size_t i = 0; i < extra_.size(); ++i) {
        a = extra_[i].forward(a);
        if (i % 2 == 1) maps.push_back(a);  // conv1 (N, 512, 8, 8), conv3 (N, 256, 4, 4), conv5 (N, 256, 2, 2),
    }                                       // conv7 (N, 128, 1, 1)
    std::vector<Tensor> encodings, logits;
    for (int p = 0; p < kPredictors; ++p) {
        const BoxPredictor& pred = predictors_[p];
        encodings.push_back(per_anchor(conv2d(maps[p], pred.W_box, pred.b_box), 4));  // (N, H W A, 4)
        logits.push_back(per_anchor(conv2d(maps[p], pred.W_face, pred.b_face), 1));  // (N, H W A, 1)
    }
    const int64_t N = x.dim(0);
    const Tensor t = concat(encodings, 1).reshape({N * kAnchors, 4});  // (N 5118, 4)
    Tensor anchors = anchors_;
    if (N > 1) anchors = concat(std::vector<Tensor>(size_t(N), anchors_), 0);
    return {decode_ssd_boxes(anchors, t).reshape({N, kAnchors, 4}), sigmoid(concat(logits, 1)).reshape({N, kAnchors})};
}

std::vector<Detection> SsdDetector::detect(const Tensor& image, float min_confidence, int max_results) const {
    check(min_confidence > 0.0f && min_confidence < 1.0f, "SsdDetector::detect: min_confidence must be in (0, 1), got ",
          min_confidence);
    check(max_results >= 1, "SsdDetector::detect: max_results must be at least 1, got ", max_results);
    NoGradGuard no_grad;
    const Output out = forward(input_for(image));
    const std::vector<float> corners = out.boxes.values(), scores = out.scores.values();
    std::vector<Box> boxes(static_cast<size_t>(kAnchors));  // [y_min, x_min, y_max, x_max] as (x, y, width, height)
    for (size_t i = 0; i < boxes.size(); ++i) {
        const float* c = &corners[4 * i];
        boxes[i] = Box{c[1], c[0], c[3] - c[1], c[2] - c[0]};
    }
    std::vector<Detection> faces;
    for (const int i : non_max_suppression(boxes, scores, max_results, kIouThreshold, min_confidence))
        faces.push_back({scores[size_t(i)], ssd_box_in_image(&corners[4 * size_t(i)], image.dim(1), image.dim(2))});
    return faces;
}

}  // namespace convlab
