// tests/face/test_pretrained_ssd.cpp
//
// face-api's SSD-MobileNetV1 face detector (src/face/pretrained/ssd_detector.hpp, nms.hpp, mobilenet_v1.hpp):
// non-max suppression, the box decoding and the mapping back to the image by hand; TF's SAME convolution
// and the batch-norm folding on small examples; and parity with face-api's detections on the reference PNGs.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "face/pretrained/mobilenet_v1.hpp"
#include "face/pretrained/models.hpp"
#include "face/pretrained/nms.hpp"
#include "face/pretrained/ssd_detector.hpp"
#include "io/image.hpp"
#include "tests/support/check.hpp"
#include "tests/support/face_reference.hpp"

using namespace convlab;
using namespace convlab::testing;

namespace {

const auto kSuite = doctest::test_suite("face.pretrained.ssd");

Box box(float x, float y, float w, float h) { return Box{x, y, w, h}; }

// The pretrained detector, loaded once for the tests that need it (call only when face_models_present()).
const SsdDetector& pretrained_detector() {
    static const SsdDetector net = SsdDetector::load(face_model_path(face_models_dir(), kSsdMobilenetV1));
    return net;
}

}  // namespace

TEST_CASE("box_iou: hand-computed overlaps" * kSuite) {
    // (0,0)-(2,2) and (1,1)-(3,3): intersection 1, union 4 + 4 - 1 = 7
    CHECK(box_iou(box(0, 0, 2, 2), box(1, 1, 2, 2)) == doctest::Approx(1.0 / 7.0).epsilon(1e-12));
    // a negative width counts by the corners: (2, 0) with width -2 is the box (0,0)-(2,2)
    CHECK(box_iou(box(2, 0, -2, 2), box(1, 1, 2, 2)) == doctest::Approx(1.0 / 7.0).epsilon(1e-12));
    CHECK(box_iou(box(0, 0, 2, 2), box(5, 5, 1, 1)) == 0.0);   // apart
    CHECK(box_iou(box(0, 0, 0, 2), box(0, 0, 2, 2)) == 0.0);   // an empty box overlaps nothing
}

TEST_CASE("non_max_suppression: overlapping boxes, the threshold itself, a chain" * kSuite) {
    // B overlaps A with IoU 81/100 > 0.5: suppressed; C is apart: kept
    CHECK(non_max_suppression({box(0, 0, 10, 10), box(1, 1, 10, 10), box(20, 20, 10, 10)}, {0.9f, 0.8f, 0.7f}, 100,
                              0.5f, 0.5f) == std::vector<int>{0, 2});
    // IoU exactly 50/100 = 0.5 is not above the threshold: both kept, highest score first
    CHECK(non_max_suppression({box(0, 0, 10, 5), box(0, 0, 10, 10)}, {0.6f, 0.9f}, 100, 0.5f, 0.5f) ==
          std::vector<int>{1, 0});
    // A suppresses B (IoU 70/130 = 0.54); C overlaps B as much but only A (IoU 40/160 = 0.25) was kept: C stays
    CHECK(non_max_suppression({box(0, 0, 10, 10), box(3, 0, 10, 10), box(6, 0, 10, 10)}, {0.9f, 0.8f, 0.7f}, 100,
                              0.5f, 0.5f) == std::vector<int>{0, 2});
}

TEST_CASE("non_max_suppression: ties keep index order; score threshold is strict; max_output" * kSuite) {
    // boxes 0 and 2 identical with equal scores: the lower index wins, box 1 (apart, higher score) first
    CHECK(non_max_suppression({box(0, 0, 4, 4), box(10, 10, 4, 4), box(0, 0, 4, 4)}, {0.6f, 0.9f, 0.6f}, 100, 0.5f,
                              0.5f) == std::vector<int>{1, 0});
    // a score equal to the threshold is not a candidate; NaN never is
    CHECK(non_max_suppression({box(0, 0, 1, 1), box(5, 5, 1, 1), box(9, 9, 1, 1)}, {0.5f, 0.51f, NAN}, 100, 0.5f,
                              0.5f) == std::vector<int>{1});
    // three disjoint boxes: max_output 2 keeps the two best; 0 keeps none
    const std::vector<Box> apart{box(0, 0, 1, 1), box(5, 5, 1, 1), box(9, 9, 1, 1)};
    CHECK(non_max_suppression(apart, {0.7f, 0.8f, 0.9f}, 2, 0.5f, 0.5f) == std::vector<int>{2, 1});
    CHECK(non_max_suppression(apart, {0.7f, 0.8f, 0.9f}, 0, 0.5f, 0.5f).empty());
    CHECK_THROWS_AS(non_max_suppression(apart, {0.7f, 0.8f}, 2, 0.5f, 0.5f), Error);
}

TEST_CASE("decode_ssd_boxes: one anchor by hand" * kSuite) {
    // anchor [y0, x0, y1, x1] = [0.2, 0.3, 0.6, 0.5]: h_a = 0.4, c_y = 0.4, w_a = 0.2, c_x = 0.4
    // t = [1, -2, 5 ln 2, 0]:  y = 1/10 0.4 + 0.4 = 0.44,  h/2 = e^(ln 2) 0.4 / 2 = 0.4
    //                          x = -2/10 0.2 + 0.4 = 0.36, w/2 = e^0 0.2 / 2 = 0.1
    const Tensor anchors = Tensor::from({1, 4}, {0.2f, 0.3f, 0.6f, 0.5f});
    const Tensor t = Tensor::from({1, 4}, {1.0f, -2.0f, 5.0f * std::log(2.0f), 0.0f});
    const std::vector<float> b = decode_ssd_boxes(anchors, t).values();
    const std::vector<float> expected{0.04f, 0.26f, 0.84f, 0.46f};
    for (int i = 0; i < 4; ++i) CHECK(b[i] == doctest::Approx(expected[i]).epsilon(1e-6));
}

TEST_CASE("ssd_box_in_image: clipped to the padded square, then in the image's pixels" * kSuite) {
    // 360 x 480: padded below to 480 x 480; its 360 rows are round(360 512 / 480) = 384 of the 512 input rows,
    // so y scales by 512/384 * 360 = 480 and x by 512/512 * 480 = 480. x_max 1.2 is clipped to 1.
    const float b[4] = {0.1f, 0.2f, 0.5f, 1.2f};
    const Box r = ssd_box_in_image(b, 360, 480);
    CHECK(r.x == doctest::Approx(96.0).epsilon(1e-6));
    CHECK(r.y == doctest::Approx(48.0).epsilon(1e-6));
    CHECK(r.width == doctest::Approx(384.0).epsilon(1e-6));
    CHECK(r.height == doctest::Approx(192.0).epsilon(1e-6));
    const float above[4] = {-0.25f, 0.0f, 0.5f, 0.5f};  // y_min < 0 is clipped to 0
    CHECK(ssd_box_in_image(above, 480, 480).y == 0.0f);
}

TEST_CASE("ConvRelu6: TensorFlow's SAME padding, stride 1 and stride 2 on an even size" * kSuite) {
    // x = 0 .. 15 on a 4 x 4 grid, one 3x3 filter of 0.01s. Stride 2: out 2 x 2, padding 0 before, 1 after,
    // so output (0, 0) sums rows 0-2, columns 0-2: 0+1+2+4+5+6+8+9+10 = 45. Stride 1: padding 1 each side.
    const Tensor x = Tensor::arange(16).reshape({1, 1, 4, 4});
    const ConvRelu6 s2{Tensor::full({1, 1, 3, 3}, 0.01f), Tensor::zeros({1}), 2, 1};
    const std::vector<float> y2 = s2.forward(x).values();
    const std::vector<float> e2{0.45f, 0.39f, 0.66f, 0.50f};  // 2+3+6+7+10+11, 8+9+10+12+13+14, 10+11+14+15
    REQUIRE(y2.size() == 4);
    for (int i = 0; i < 4; ++i) CHECK(y2[i] == doctest::Approx(e2[i]).epsilon(1e-6));
    const ConvRelu6 s1{Tensor::full({1, 1, 3, 3}, 1.0f), Tensor::zeros({1}), 1, 1};
    const std::vector<float> y1 = s1.forward(x).values();
    CHECK(y1[0] == doctest::Approx(6.0));  // 0+1+4+5 = 10, clipped by ReLU6
    CHECK(s1.forward(x * 0.01f).values()[0] == doctest::Approx(0.10).epsilon(1e-6));
}

TEST_CASE("fold_batch_norm: the folded depthwise convolution equals conv then batch norm" * kSuite) {
    const int64_t C = 5;
    const Tensor x = random_tensor({2, C, 7, 6}, 1), W = random_tensor({C, 1, 3, 3}, 2);
    const Tensor gamma = random_tensor({C}, 3, 0.5f, 2.0f), beta = random_tensor({C}, 4, 0.0f, 2.0f);
    const Tensor mu = random_tensor({C}, 5, -0.5f, 0.5f), sigma2 = random_tensor({C}, 6, 0.1f, 2.0f);
    const float eps = MobileNetV1::kBatchNormEps;
    const ConvRelu6 folded = fold_batch_norm(W, gamma, beta, mu, sigma2, eps, 2, C);
    // the definition: BN(conv(x, W)) with SAME padding (7 rows, stride 2: 1 before and 1 after; 6 columns: 0, 1)
    const Tensor conv = conv2d(pad(x, {1, 1, 0, 1}), W, Tensor(), 2, 0, 1, C);
    const auto per_channel = [&](const Tensor& t) { return t.reshape({C, 1, 1}); };
    const Tensor bn = (conv - per_channel(mu)) / sqrt(per_channel(sigma2) + eps) * per_channel(gamma) + per_channel(beta);
    CHECK(max_relative_error(folded.forward(x).values(), clamp(bn, 0.0f, 6.0f).values()) < 1e-5);
}

TEST_CASE("ConvRelu6: the inference path (1x1 as one gemm, ReLU6 in place) equals the autodiff path" * kSuite) {
    const ConvRelu6 pw{random_tensor({6, 5, 1, 1}, 7), random_tensor({6}, 8), 1, 1};
    const Tensor x = random_tensor({2, 5, 4, 3}, 9, -8.0f, 8.0f);  // some outputs below 0 and above 6
    Tensor fast;
    {
        NoGradGuard no_grad;
        fast = pw.forward(x);
    }
    const Tensor recorded = pw.forward(x.detach().clone().requires_grad_());
    REQUIRE(recorded.requires_grad());
    CHECK(max_relative_error(fast.values(), recorded.values()) < 1e-6);
    CHECK(max_relative_error(recorded.values(), clamp(conv2d(x, pw.W, pw.b), 0.0f, 6.0f).values()) < 1e-6);
}

TEST_CASE("WeightMap::take: a missing or misshapen tensor names the file, the tensor and the shapes" * kSuite) {
    const WeightMap w{{{"Output/extra_dim", Tensor::zeros({1, 5118, 4})}}, "ssd.ckpt"};
    CHECK(w.take("Output/extra_dim", {1, 5118, 4}).shape() == Shape{1, 5118, 4});
    const std::string missing = error_of([&] { w.take("MobilenetV1/Conv2d_0_pointwise/weights", {32, 3, 3, 3}); });
    CHECK(missing.find("ssd.ckpt") != std::string::npos);
    CHECK(missing.find("missing tensor 'MobilenetV1/Conv2d_0_pointwise/weights'") != std::string::npos);
    const std::string shape = error_of([&] { w.take("Output/extra_dim", {5118, 4}); });
    CHECK(shape.find("has shape (1, 5118, 4), expected (5118, 4)") != std::string::npos);
}

TEST_CASE("SsdDetector: face-api's detections on every det_*.png (count, boxes within 0.05 px, scores 1e-3)" *
          kSuite) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const SsdDetector& net = pretrained_detector();
    std::vector<std::string> pngs;
    for (const auto& entry : std::filesystem::directory_iterator(face_reference_dir())) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("det_", 0) == 0 && entry.path().extension() == ".png") pngs.push_back(name);
    }
    std::sort(pngs.begin(), pngs.end());
    REQUIRE(pngs.size() >= 4);
    double worst_box = 0.0, worst_score = 0.0;
    for (const std::string& png : pngs) {
        INFO(png);
        const std::vector<Detection> faces = net.detect(load_image(face_reference_dir() + "/" + png, 3));
        const JsonValue& expected = face_reference_item(png).at("ssd_mobilenetv1");
        REQUIRE(faces.size() == expected.size());
        if (png == "det_two_s2_1_s17_4.png") CHECK(faces.size() == 2);
        if (png == "det_none.png") CHECK(faces.empty());
        for (size_t i = 0; i < faces.size(); ++i) {
            const JsonValue& e = expected.at(i);
            const JsonValue& b = e.at("box");
            const float got[4] = {faces[i].box.x, faces[i].box.y, faces[i].box.width, faces[i].box.height};
            const char* keys[4] = {"x", "y", "width", "height"};
            for (int k = 0; k < 4; ++k) {
                INFO("face ", i, " box.", keys[k]);
                const double diff = std::fabs(got[k] - b.at(keys[k]).as_number());
                CHECK(diff <= 0.05);
                worst_box = std::max(worst_box, diff);
            }
            const double diff = std::fabs(faces[i].score - e.at("score").as_number());
            CHECK(diff <= 1e-3);
            worst_score = std::max(worst_score, diff);
        }
    }
    MESSAGE("SSD parity over " << pngs.size() << " images: max |box diff| = " << worst_box
                               << " px, max |score diff| = " << worst_score);
}

TEST_CASE("SsdDetector: the same bits for 1 and 2 threads" * kSuite) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    NoGradGuard no_grad;
    const Tensor x = SsdDetector::input_for(load_image(face_reference_dir() + "/det_two_s2_1_s17_4.png", 3));
    check_same_bits_for_1_and_2_threads([&] {
        const SsdDetector::Output out = pretrained_detector().forward(x);
        std::vector<float> v = out.boxes.values();
        const std::vector<float> scores = out.scores.values();
        v.insert(v.end(), scores.begin(), scores.end());
        return v;
    });
}
