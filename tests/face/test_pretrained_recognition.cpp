// tests/face/test_pretrained_recognition.cpp
//
// face-api's recognition net (face/pretrained/recognition_net.hpp) and the input preparation it shares with the
// landmark net (face/pretrained/face_input.hpp): the building blocks by hand, then, when the converted models
// are present (make face-models), the whole net against face-api's own descriptors.
#include <cmath>
#include <string>
#include <vector>

#include "face/pretrained/face_input.hpp"
#include "face/pretrained/models.hpp"
#include "face/pretrained/recognition_net.hpp"
#include "io/checkpoint.hpp"
#include "tests/face/face_api_crops.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::testing;

namespace {

// The net, loaded once for all the tests that need it.
const RecognitionNet& recognition_net() {
    static const RecognitionNet net =
        RecognitionNet::load(face_model_path(face_models_dir(), kFaceRecognitionNet));
    return net;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - b[i]));
    return worst;
}

}  // namespace

TEST_CASE("square_padding: face-api's padToSquare, the odd extra row or column after the image" *
          doctest::test_suite("face.pretrained.recognition")) {
    const SquarePadding wide = square_padding(2, 5);  // d = 3: round(1.5) = 2 after, 1 before
    CHECK(wide.top == 1);
    CHECK(wide.bottom == 2);
    CHECK(wide.left == 0);
    CHECK(wide.right == 0);
    const SquarePadding tall = square_padding(5, 2);
    CHECK(tall.left == 1);
    CHECK(tall.right == 2);
    CHECK(tall.top + tall.bottom == 0);
    const SquarePadding even = square_padding(4, 6);
    CHECK(even.top == 1);
    CHECK(even.bottom == 1);
    const SquarePadding one = square_padding(3, 4);  // d = 1: round(0.5) = 1 after, none before
    CHECK(one.top == 0);
    CHECK(one.bottom == 1);
}

TEST_CASE("pad_to_square: zeros around the image; a square image is returned as it is" *
          doctest::test_suite("face.pretrained.recognition")) {
    // (1, 1, 4): one row -> 4 x 4 with 1 zero row above and 2 below
    const Tensor row = Tensor::from({1, 1, 4}, {1, 2, 3, 4});
    CHECK(pad_to_square(row).shape() == Shape{1, 4, 4});
    CHECK(pad_to_square(row).values() == std::vector<float>{0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
    // (1, 3, 1): one column -> 3 x 3 with a zero column on each side
    const Tensor column = Tensor::from({1, 3, 1}, {1, 2, 3});
    CHECK(pad_to_square(column).values() == std::vector<float>{0, 1, 0, 0, 2, 0, 0, 3, 0});
    const Tensor square = Tensor::ones({3, 2, 2});
    CHECK(pad_to_square(square).shares_storage(square));
    CHECK(error_of([] { pad_to_square(Tensor::ones({4, 4})); }) ==
          "pad_to_square: expected an image (C, H, W), got (4, 4)");
}

TEST_CASE("face_net_input: x 255, padded to a square, resized only when needed" *
          doctest::test_suite("face.pretrained.recognition")) {
    // (3, 2, 1) -> 2 x 2: the column on the left, the zero column after it
    const Tensor face = Tensor::from({3, 2, 1}, {0.2f, 0.4f, 0.6f, 0.8f, 1.0f, 0.0f});
    const Tensor x = face_net_input(face, 2);
    CHECK(x.shape() == Shape{1, 3, 2, 2});
    const std::vector<float> v = x.values();
    const std::vector<float> expected{0.2f * 255, 0, 0.4f * 255, 0, 0.6f * 255, 0, 0.8f * 255, 0, 255, 0, 0, 0};
    for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == doctest::Approx(expected[i]).epsilon(1e-6));
    // 4 x 4 -> 2 x 2 by TF's bilinear resize: output pixel i reads input pixel 2 i exactly (no blending)
    std::vector<float> ramp(3 * 16);
    for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = float(i) / 64.0f;
    const std::vector<float> small = face_net_input(Tensor::from({3, 4, 4}, ramp), 2).values();
    CHECK(small.size() == 12);
    CHECK(small[0] == doctest::Approx(0.0));
    CHECK(small[1] == doctest::Approx(2 / 64.0 * 255));   // (0, 2)
    CHECK(small[2] == doctest::Approx(8 / 64.0 * 255));   // (2, 0)
    CHECK(small[3] == doctest::Approx(10 / 64.0 * 255));  // (2, 2)
    CHECK(error_of([] { face_net_input(Tensor::ones({1, 5, 5}), 150); }) ==
          "face network input: expected an RGB face (3, H, W), got (1, 5, 5)");
}

TEST_CASE("normalise_face_input: (x - mean_rgb) / 255 per channel" * doctest::test_suite("face.pretrained.recognition")) {
    const Tensor x = Tensor::from({1, 3, 1, 2}, {255, 0, 122.782f, 117.001f, 104.298f, 255});
    const std::vector<float> y = normalise_face_input(x).values();
    CHECK(y[0] == doctest::Approx((255 - 122.782) / 255));
    CHECK(y[1] == doctest::Approx(-122.782 / 255));
    CHECK(y[2] == doctest::Approx((122.782 - 117.001) / 255));
    CHECK(y[3] == doctest::Approx(0.0));
    CHECK(y[4] == doctest::Approx(0.0));
    CHECK(y[5] == doctest::Approx((255 - 104.298) / 255));
}

TEST_CASE("residual_down_merge: pooled shortcut with zero channels appended, main branch padded bottom-right" *
          doctest::test_suite("face.pretrained.recognition")) {
    // x (1, 1, 4, 4) = 1 .. 16: its 2x2 averages are 3.5 5.5 / 11.5 13.5; channel 1 of the shortcut is zeros.
    std::vector<float> ramp(16);
    for (int i = 0; i < 16; ++i) ramp[i] = float(i + 1);
    const Tensor x = Tensor::from({1, 1, 4, 4}, ramp);
    // main (1, 2, 1, 1): one position, padded to 2 x 2 with zeros at [0, 1], [1, 0], [1, 1]
    const Tensor main = Tensor::from({1, 2, 1, 1}, {-10, 2});
    const Tensor y = residual_down_merge(main, x);
    CHECK(y.shape() == Shape{1, 2, 2, 2});
    CHECK(y.values() == std::vector<float>{0, 5.5f, 11.5f, 13.5f,   // ReLU(3.5 - 10) = 0
                                           2, 0, 0, 0});
    // Same size and channels: a plain ReLU(main + pooled x).
    const Tensor same = residual_down_merge(Tensor::from({1, 1, 2, 2}, {1, -6, -20, 0}), x);
    CHECK(same.values() == std::vector<float>{4.5f, 0, 0, 13.5f});
    CHECK(error_of([] { residual_down_merge(Tensor::ones({1, 2, 2, 2}), Tensor::ones({1, 1, 8, 8})); }) ==
          "residual_down_merge: the main branch (1, 2, 2, 2) does not fit the shortcut (1, 2, 4, 4) even after padding");
}

TEST_CASE("conv2d_small_map: conv2d as cols^T @ W^T, the same values on odd shapes and for 1 or 2 threads" *
          doctest::test_suite("face.pretrained.recognition")) {
    struct Case {
        Shape x;
        int64_t C_out, f, stride, padding;
    };
    const Case cases[] = {{{1, 5, 4, 3}, 7, 3, 1, 1},  {{2, 7, 5, 5}, 4, 3, 2, 0}, {{1, 3, 1, 1}, 6, 3, 1, 1},
                          {{2, 4, 4, 4}, 9, 3, 2, 0},  {{1, 2, 6, 5}, 3, 2, 1, 0}, {{3, 6, 3, 3}, 5, 3, 1, 1}};
    uint64_t seed = 1;
    for (const Case& c : cases) {
        const Tensor x = random_tensor(c.x, seed++), W = random_tensor({c.C_out, c.x[1], c.f, c.f}, seed++);
        const Tensor b = random_tensor({c.C_out}, seed++);
        const Tensor y = conv2d_small_map(x, small_map_filters(W), b, c.f, c.stride, c.padding);
        const Tensor expected = conv2d(x, W, b, c.stride, c.padding);
        REQUIRE(y.shape() == expected.shape());
        CHECK(max_relative_error(y.values(), expected.values()) <= 1e-5);
        check_same_bits_for_1_and_2_threads(
            [&] { return conv2d_small_map(x, small_map_filters(W), b, c.f, c.stride, c.padding).values(); });
    }
    CHECK(error_of([] { conv2d_small_map(Tensor::ones({1, 2, 3, 3}), Tensor::ones({9, 4}), Tensor::ones({4}), 3, 1, 1); })
              == "conv2d_small_map: W^T (9, 4) does not fit x (1, 2, 3, 3)");
}

TEST_CASE("RecognitionNet::load: a missing or misshapen tensor is named, with the file, on one line" *
          doctest::test_suite("face.pretrained.recognition")) {
    const std::string dir = scratch_dir("recognition_net");
    const std::string misshapen = dir + "/misshapen.ckpt", partial = dir + "/partial.ckpt";
    save_checkpoint(misshapen, {{"conv32_down/conv/filters", Tensor::zeros({32, 3, 5, 5})}});
    save_checkpoint(partial, {{"fc", Tensor::zeros({256, 128})}});
    const std::string e1 = error_of([&] { RecognitionNet::load(misshapen); });
    CHECK(e1 == "checkpoint '" + misshapen + "': tensor 'conv32_down/conv/filters' has shape (32, 3, 5, 5) in the "
                "file, expected (32, 3, 7, 7)");
    const std::string e2 = error_of([&] { RecognitionNet::load(partial); });
    CHECK(e2 == "checkpoint '" + partial + "': missing tensor 'conv32_down/conv/filters' (the file holds 1 tensors)");
    CHECK(error_of([&] { RecognitionNet::load(dir + "/none.ckpt"); }).find(dir + "/none.ckpt") != std::string::npos);
    for (const std::string& e : {e1, e2}) CHECK(e.find('\n') == std::string::npos);
}

TEST_CASE("RecognitionNet: face-api's descriptor of every rec_*.png, to 1e-3" *
          doctest::test_suite("face.pretrained.recognition")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const RecognitionNet& net = recognition_net();
    const std::vector<std::string> pngs = face_reference_pngs("rec_");
    REQUIRE(pngs.size() >= 1);
    double worst = 0;
    for (const std::string& png : pngs) {
        const std::vector<float> d = net.describe(load_image(face_reference_dir() + "/" + png, 3));
        const double diff = max_abs_diff(d, json_numbers(face_reference_item(png).at("descriptor")));
        CHECK_MESSAGE(diff <= 1e-3, png << ": max |diff| " << diff);
        worst = std::max(worst, diff);
    }
    MESSAGE("recognition net: max |descriptor - face-api's| over " << pngs.size() << " faces = " << worst);
}

TEST_CASE("RecognitionNet::describe: face-api's descriptors of the aligned faces it cut from det_*.png" *
          doctest::test_suite("face.pretrained.recognition")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    // Non-square crops of any size: the padding to a square and the resize to 150 x 150 are face-api's too.
    // The crop is face-api's dlib alignment box of its own landmarks.
    const RecognitionNet& net = recognition_net();
    double worst = 0;
    int faces = 0;
    for (const std::string& png : face_reference_pngs("det_")) {
        const Tensor image = load_image(face_reference_dir() + "/" + png, 3);
        for (const JsonValue& face : face_reference_item(png).at("pipeline").elements()) {
            const Tensor detected = face_api_crop(image, face_api_box(face.at("box")));
            const FaceApiBox aligned = face_api_dlib_box(json_numbers(face.at("landmarks")), double(detected.dim(2)),
                                                         double(detected.dim(1)));
            const std::vector<float> d = net.describe(face_api_crop(image, aligned));
            const double diff = max_abs_diff(d, json_numbers(face.at("descriptor")));
            CHECK_MESSAGE(diff <= 1e-3, png << ": max |diff| " << diff);
            worst = std::max(worst, diff);
            ++faces;
        }
    }
    MESSAGE("recognition net on face-api's aligned crops: max |diff| over " << faces << " faces = " << worst);
}

TEST_CASE("RecognitionNet::forward: a batch gives each face's descriptor; 1 and 2 threads give the same bits" *
          doctest::test_suite("face.pretrained.recognition")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const RecognitionNet& net = recognition_net();
    const Tensor a = load_image(face_reference_dir() + "/rec_s1_1.png", 3) * 255.0f;
    const Tensor b = load_image(face_reference_dir() + "/rec_s2_1.png", 3) * 255.0f;
    const Tensor both = net.forward(stack({a, b}));
    CHECK(both.shape() == Shape{2, 128});
    CHECK(max_relative_error(both[0].values(), net.forward(a.reshape({1, 3, 150, 150})).values()) <= 1e-5);
    CHECK(max_relative_error(both[1].values(), net.forward(b.reshape({1, 3, 150, 150})).values()) <= 1e-5);
    check_same_bits_for_1_and_2_threads([&] { return net.forward(stack({a, b})).values(); });
    CHECK(error_of([&] { net.forward(Tensor::zeros({1, 3, 112, 112})); }) ==
          "RecognitionNet::forward: expected faces (N, 3, 150, 150), got (1, 3, 112, 112)");
}
