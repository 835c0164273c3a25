// src/face/pretrained/ssd_detector.hpp
//
// face-api's face detector: SSD (single-shot multibox detection) on a MobileNetV1 backbone, with its
// pretrained weights, run by convlab's own ops. It finds the faces that the lecture's Face Recognition
// then verifies or recognises.        [Liu et al., 2016. SSD: Single Shot MultiBox Detector; Howard et al., 2017]
//
// detect(image):
//   1. the image (3, H, W) in [0, 1] times 255, padded with zeros below or to the right to a square
//      S x S (S = max(H, W)), resized to 512 x 512 (TF's bilinear), scaled to [-1, 1]: x / 127.5 - 1;
//   2. MobileNetV1 (mobilenet_v1.hpp): "conv11" (512, 32, 32) and "out" (1024, 16, 16);
//   3. extra feature layers, each a 1x1 then a 3x3 stride-2 convolution (ReLU6 after both), halving the grid:
//        Prediction/Conv2d_0,1_pointwise   (1024, 16, 16) -> 256 -> (512, 8, 8)    "conv1"
//        Prediction/Conv2d_2,3_pointwise   (512, 8, 8)    -> 128 -> (256, 4, 4)    "conv3"
//        Prediction/Conv2d_4,5_pointwise   (256, 4, 4)    -> 128 -> (256, 2, 2)    "conv5"
//        Prediction/Conv2d_6,7_pointwise   (256, 2, 2)    -> 64  -> (128, 1, 1)    "conv7"
//   4. six box predictors, two 1x1 convolutions each on one feature map, A anchors per grid cell:
//        predictor   reads     grid    A   anchors                 each anchor: 4 box encodings
//        0           conv11    32x32   3   3072                    (t_y, t_x, t_h, t_w) and 3 class
//        1           out       16x16   6   1536                    logits (background, face, unused)
//        2           conv1     8x8     6   384
//        3           conv3     4x4     6   96
//        4           conv5     2x2     6   24
//        5           conv7     1x1     6   6          total 5118, ordered by (predictor, row, column, anchor)
//   5. the boxes decoded against the 5118 anchors of Output/extra_dim (decode_ssd_boxes) and the face
//      score sigma(logit of class 1);
//   6. non-max suppression (nms.hpp: score > min_confidence, IoU threshold 0.5, at most max_results);
//   7. each box clipped to the padded square, mapped back to the image's pixels (ssd_box_in_image).
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "face/pretrained/geometry.hpp"
#include "face/pretrained/mobilenet_v1.hpp"

namespace convlab {

// anchors (A, 4) [y0, x0, y1, x1] and the net's encodings (A, 4) [t_y, t_x, t_h, t_w] -> boxes (A, 4)
// [y_min, x_min, y_max, x_max], all relative to the 512 x 512 input (0 .. 1):
//   anchor size and centre   h_a = y1 - y0,  c_y = y0 + h_a / 2          (x alike with w_a, c_x)
//   box centre               y = t_y / 10 * h_a + c_y                    (TF's box coder: scales 10, 10, 5, 5)
//   box half height          h / 2 = exp(t_h / 5) * h_a / 2
//   box                      [y - h/2, x - w/2, y + h/2, x + w/2]
// in float32, operation by operation as face-api's outputLayer.ts.
Tensor decode_ssd_boxes(const Tensor& anchors, const Tensor& encodings);

// A box [y_min, x_min, y_max, x_max] relative to the padded square, in the pixels of an H x W image, as
// face-api's SsdMobilenetv1.locateFaces does it: the corners clipped to [0, 1], scaled by the padded
// square's size over the image's (512 / round(H 512 / S), likewise for W), then by the image's size.
Box ssd_box_in_image(const float box[4], int64_t H, int64_t W);

class SsdDetector {
public:
    static constexpr int64_t kInputSize = 512;
    static constexpr int kPredictors = 6;
    static constexpr int64_t kAnchors = 5118;

    // Every tensor of the layer table from a checkpoint with the tfjs manifest's names (make face-models'
    // ssd_mobilenetv1.ckpt); a missing or misshapen tensor -> convlab::Error naming the file and the tensor.
    static SsdDetector load(const std::string& ckpt);

    // The faces in image (3, H, W), RGB in [0, 1], any size: boxes in its pixels, highest score first.
    std::vector<Detection> detect(const Tensor& image, float min_confidence = 0.5f, int max_results = 100) const;

    // Steps 1-5 of detect, for a batch: x (N, 3, 512, 512) in [-1, 1] ->
    //   boxes (N, 5118, 4) [y_min, x_min, y_max, x_max] relative to the input, scores (N, 5118) in [0, 1].
    struct Output {
        Tensor boxes, scores;
    };
    Output forward(const Tensor& x) const;
    // Step 1: image (3, H, W) in [0, 1] -> (1, 3, 512, 512) in [-1, 1].
    static Tensor input_for(const Tensor& image);

private:
    // Predictor p: box encodings (4 A, C, 1, 1) and face logits (A, C, 1, 1), the class-1 rows of the
    // class predictor (the other classes are never read).
    struct BoxPredictor {
        Tensor W_box, b_box, W_face, b_face;
    };
    MobileNetV1 backbone_;
    std::vector<ConvRelu6> extra_;             // Prediction/Conv2d_0 .. 7_pointwise
    std::vector<BoxPredictor> predictors_;     // Prediction/BoxPredictor_0 .. 5
    Tensor anchors_;                           // (5118, 4)
};

}  // namespace convlab
