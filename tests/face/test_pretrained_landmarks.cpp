// tests/face/test_pretrained_landmarks.cpp
//
// face-api's 68-point landmark net (face/pretrained/landmark_net.hpp): TensorFlow's SAME convolution and the
// mapping of the outputs back to the face by hand, then, when the converted models are present
// (make face-models), the whole net against face-api's own landmarks.
#include <cmath>
#include <string>
#include <vector>

#include "face/pretrained/landmark_net.hpp"
#include "face/pretrained/models.hpp"
#include "io/checkpoint.hpp"
#include "tests/face/face_api_crops.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::testing;

namespace {

const LandmarkNet& landmark_net() {
    static const LandmarkNet net = LandmarkNet::load(face_model_path(face_models_dir(), kFaceLandmarkNet));
    return net;
}

// max over the points of |x - x_ref| and |y - y_ref|, in pixels; ref = x0, y0, x1, y1, ... shifted by (dx, dy).
double max_abs_diff(const std::vector<Point>& p, const std::vector<double>& ref, double dx = 0, double dy = 0) {
    REQUIRE(ref.size() == 2 * p.size());
    double worst = 0;
    for (size_t k = 0; k < p.size(); ++k)
        worst = std::max({worst, std::fabs(p[k].x + dx - ref[2 * k]), std::fabs(p[k].y + dy - ref[2 * k + 1])});
    return worst;
}

Tensor ramp(const Shape& shape, float scale = 1.0f) {
    std::vector<float> v(shape_numel(shape));
    for (size_t i = 0; i < v.size(); ++i) v[i] = scale * float(i % 16 + 1);
    return Tensor::from(shape, v);
}

}  // namespace

TEST_CASE("conv2d_tf_same: TensorFlow's SAME padding, the odd zero after; depthwise with groups" *
          doctest::test_suite("face.pretrained.landmarks")) {
    // x = 1 .. 16 in a 4 x 4 map, a 3 x 3 filter of ones. Stride 2: ceil(4 / 2) = 2 outputs, padding 1 in total,
    // all of it after: the windows start at rows and columns 0 and 2.
    const Tensor x = ramp({1, 1, 4, 4});
    const Tensor ones = Tensor::ones({1, 1, 3, 3});
    CHECK(conv2d_tf_same(x, ones, Tensor::from({1}, {0.5f}), 2).values() ==
          std::vector<float>{54.5f, 45.5f, 72.5f, 54.5f});  // 1+2+3+5+6+7+9+10+11, 3+4+7+8+11+12, ...
    // Stride 1: padding 1 on each side, the same as conv2d's padding 1.
    const Tensor s1 = conv2d_tf_same(x, ones, Tensor(), 1);
    CHECK(s1.shape() == Shape{1, 1, 4, 4});
    CHECK(s1.values()[0] == 14.0f);  // 1 + 2 + 5 + 6
    CHECK(s1.values() == conv2d(x, ones, Tensor(), 1, 1).values());
    // Depthwise (groups = channels = 2): channel 1 is 2x, its filter 0.5 x ones -> the same sums.
    const Tensor x2 = concat({x, ramp({1, 1, 4, 4}, 2.0f)}, 1);
    const Tensor W2 = concat({ones, ones * 0.5f}, 0);
    CHECK(conv2d_tf_same(x2, W2, Tensor(), 2, /*groups=*/2).values() ==
          std::vector<float>{54, 45, 72, 54, 54, 45, 72, 54});
}

TEST_CASE("landmarks_in_face: face-api's postProcess, back to the pixels of a face of any shape" *
          doctest::test_suite("face.pretrained.landmarks")) {
    std::vector<float> o(136, 0.5f);
    o[0] = 0.25f, o[1] = 0.75f;  // point 0
    o[2] = 1.0f, o[3] = 1.0f;    // point 1
    // Square 200 x 200: x = o_x * 200.
    std::vector<Point> p = landmarks_in_face(o, 200, 200);
    CHECK(p[0].x == doctest::Approx(50));
    CHECK(p[0].y == doctest::Approx(150));
    CHECK(p[2].x == doctest::Approx(100));
    // Portrait, H = 100, W = 50: inside the 112 square the face is 56 wide, after 28 columns of padding.
    p = landmarks_in_face(o, 100, 50);
    CHECK(p[2].x == doctest::Approx(25));      // the centre stays the centre
    CHECK(p[2].y == doctest::Approx(50));
    CHECK(p[0].x == doctest::Approx(0));       // (0.25 * 112 - 28) / 56 * 50
    CHECK(p[0].y == doctest::Approx(75));
    CHECK(p[1].x == doctest::Approx(75));      // (112 - 28) / 56 * 50
    CHECK(p[1].y == doctest::Approx(100));
    // Landscape, H = 50, W = 100: 28 rows of padding above.
    p = landmarks_in_face(o, 50, 100);
    CHECK(p[0].x == doctest::Approx(25));
    CHECK(p[0].y == doctest::Approx(50));      // (0.75 * 112 - 28) / 56 * 50
    CHECK(p[1].y == doctest::Approx(75));
    CHECK(error_of([] { landmarks_in_face(std::vector<float>(10), 5, 5); }) ==
          "landmarks_in_face: expected 136 outputs and a face of positive size, got 10 outputs and 5 x 5");
}

TEST_CASE("LandmarkNet::load: a missing or misshapen tensor is named, with the file, on one line" *
          doctest::test_suite("face.pretrained.landmarks")) {
    const std::string dir = scratch_dir("landmark_net");
    const std::string misshapen = dir + "/misshapen.ckpt", partial = dir + "/partial.ckpt";
    save_checkpoint(misshapen, {{"dense0/conv0/filters", Tensor::zeros({32, 3, 3, 3})},
                                {"dense0/conv0/bias", Tensor::zeros({33})}});
    save_checkpoint(partial, {{"dense0/conv0/filters", Tensor::zeros({32, 3, 3, 3})}});
    const std::string e1 = error_of([&] { LandmarkNet::load(misshapen); });
    CHECK(e1 == "checkpoint '" + misshapen + "': tensor 'dense0/conv0/bias' has shape (33,) in the file, expected (32,)");
    const std::string e2 = error_of([&] { LandmarkNet::load(partial); });
    CHECK(e2 == "checkpoint '" + partial + "': missing tensor 'dense0/conv0/bias' (the file holds 1 tensors)");
    for (const std::string& e : {e1, e2}) CHECK(e.find('\n') == std::string::npos);
}

TEST_CASE("LandmarkNet: face-api's 68 landmarks of every lmk_*.png, to 0.05 px" *
          doctest::test_suite("face.pretrained.landmarks")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const LandmarkNet& net = landmark_net();
    const std::vector<std::string> pngs = face_reference_pngs("lmk_");
    REQUIRE(pngs.size() >= 1);
    double worst = 0;
    for (const std::string& png : pngs) {
        const std::vector<Point> p = net.detect(load_image(face_reference_dir() + "/" + png, 3));
        REQUIRE(p.size() == 68);
        const double diff = max_abs_diff(p, json_numbers(face_reference_item(png).at("landmarks")));
        CHECK_MESSAGE(diff <= 0.05, png << ": max |diff| " << diff << " px");
        worst = std::max(worst, diff);
    }
    MESSAGE("landmark net: max |point - face-api's| over " << pngs.size() << " faces = " << worst << " px");
}

TEST_CASE("LandmarkNet::detect: face-api's landmarks of the faces its detector cut from det_*.png" *
          doctest::test_suite("face.pretrained.landmarks")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    // Non-square crops of any size: face-api pads them to a square, resizes to 112, and maps the points back
    // (then shifts them by the detection box, not floored, though the crop was).
    const LandmarkNet& net = landmark_net();
    double worst = 0;
    int faces = 0;
    for (const std::string& png : face_reference_pngs("det_")) {
        const Tensor image = load_image(face_reference_dir() + "/" + png, 3);
        for (const JsonValue& face : face_reference_item(png).at("pipeline").elements()) {
            const JsonValue& box = face.at("box");
            const std::vector<Point> p = net.detect(face_api_crop(image, face_api_box(box)));
            const double diff = max_abs_diff(p, json_numbers(face.at("landmarks")), box.at("x").as_number(),
                                             box.at("y").as_number());
            CHECK_MESSAGE(diff <= 0.05, png << ": max |diff| " << diff << " px");
            worst = std::max(worst, diff);
            ++faces;
        }
    }
    MESSAGE("landmark net on face-api's detected crops: max |diff| over " << faces << " faces = " << worst << " px");
}

TEST_CASE("LandmarkNet::forward: (N, 136); 1 and 2 threads give the same bits" *
          doctest::test_suite("face.pretrained.landmarks")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const LandmarkNet& net = landmark_net();
    const Tensor x = (load_image(face_reference_dir() + "/lmk_s1_1.png", 3) * 255.0f).reshape({1, 3, 112, 112});
    CHECK(net.forward(x).shape() == Shape{1, 136});
    check_same_bits_for_1_and_2_threads([&] { return net.forward(x).values(); });
    CHECK(error_of([&] { net.forward(Tensor::zeros({1, 3, 150, 150})); }) ==
          "LandmarkNet::forward: expected faces (N, 3, 112, 112), got (1, 3, 150, 150)");
}
