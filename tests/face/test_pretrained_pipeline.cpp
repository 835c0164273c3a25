// tests/face/test_pretrained_pipeline.cpp
//
// The pretrained chain of face/pretrained/pipeline.hpp: dlib's alignment square and the crops by hand, then
// the whole chain (detector -> landmarks -> alignment -> descriptor) against face-api's outputs for the same
// photos (../shared/reference/face-api: face-api-reference.json, the "pipeline" entries).
#include <doctest/doctest.h>

#include <cmath>

#include "face/pretrained/alignment.hpp"
#include "face/pretrained/models.hpp"
#include "face/pretrained/pipeline.hpp"
#include "io/image.hpp"
#include "tests/support/check.hpp"
#include "tests/support/face_reference.hpp"

using namespace convlab;
using namespace convlab::testing;

namespace {

// 68 points: every point at (50, 60) but the eyes and the mouth.
std::vector<Point> hand_landmarks() {
    std::vector<Point> p(kLandmarkCount, Point{50, 60});
    for (int i = 36; i < 42; ++i) p[size_t(i)] = {30, 40};   // left eye
    for (int i = 42; i < 48; ++i) p[size_t(i)] = {70, 40};   // right eye
    for (int i = 48; i < 68; ++i) p[size_t(i)] = {50, 80};   // mouth
    return p;
}

Box json_box(const JsonValue& b) {
    return {float(b.at("x").as_number()), float(b.at("y").as_number()), float(b.at("width").as_number()),
            float(b.at("height").as_number())};
}

std::vector<Point> json_points(const JsonValue& a) {
    std::vector<Point> p;
    for (const JsonValue& xy : a.elements()) p.push_back({float(xy.at(0).as_number()), float(xy.at(1).as_number())});
    return p;
}

double box_error(const Box& a, const Box& b) {
    return std::max({std::fabs(a.x - b.x), std::fabs(a.y - b.y), std::fabs(a.width - b.width),
                     std::fabs(a.height - b.height)});
}

const char* const kPipelineImages[] = {"det_one_s1_1.png", "det_two_s2_1_s17_4.png", "det_one_s33_7.png",
                                       "det_none.png"};

}  // namespace

TEST_CASE("dlib_alignment_box: the square from the eyes and the mouth, by hand" * doctest::test_suite("face.pretrained.pipeline")) {
    // |m - e_L| = |m - e_R| = sqrt(20^2 + 40^2) = 44.72; size = floor(44.72 / 0.45) = floor(99.38) = 99
    // c = ((30 + 70 + 50) / 3, (40 + 40 + 80) / 3) = (50, 53.33)
    // x = floor(50 - 49.5) = 0, y = floor(53.33 - 0.43 * 99) = floor(10.76) = 10
    const Box b = dlib_alignment_box(hand_landmarks());
    CHECK(b.x == 0);
    CHECK(b.y == 10);
    CHECK(b.width == 99);
    CHECK(b.height == 99);
    CHECK_THROWS_WITH_AS(dlib_alignment_box(std::vector<Point>(5)), "dlib_alignment_box: expected 68 landmarks, got 5",
                         Error);
}

TEST_CASE("landmarks_box, clip_to_image, cut_out, framed: by hand" * doctest::test_suite("face.pretrained.pipeline")) {
    // points span x 30..70, y 40..80: 40 x 40, grown by 20% (4 px on each side)
    const Box b = landmarks_box(hand_landmarks());
    CHECK(b.x == doctest::Approx(26));
    CHECK(b.y == doctest::Approx(36));
    CHECK(b.width == doctest::Approx(48));
    CHECK(b.height == doctest::Approx(48));

    // (-3.5, 2.7, 20 x 10) in a 12 x 8 image: x 0, y 2.7, width min(16.5, 12), height min(10, 5.3), floored
    const Box c = clip_to_image({-3.5f, 2.7f, 20, 10}, 12, 8);
    CHECK(c.x == 0);
    CHECK(c.y == 2);
    CHECK(c.width == 12);
    CHECK(c.height == 5);

    // (0.4, 1, 2.2 x 5) in a 3 x 3 image: x 0.4 -> 0, width 2.2 -> 2, height min(5, 3 - 1) = 2: rows 1..2, columns 0..1
    const Tensor image = Tensor::from({1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(cut_out(image, {0.4f, 1.0f, 2.2f, 5}).values() == std::vector<float>{4, 5, 7, 8});
    CHECK_THROWS_AS(cut_out(image, {5, 5, 2, 2}), Error);

    // a 1 x 2 x 2 image framed in its mean colour 2.5: a 4 x 4 canvas, the image at rows 1..2, columns 1..2
    const Tensor f = framed(Tensor::from({1, 2, 2}, {1, 2, 3, 4}));
    CHECK(f.shape() == Shape{1, 4, 4});
    CHECK(f.values() ==
          std::vector<float>{2.5, 2.5, 2.5, 2.5, 2.5, 1, 2, 2.5, 2.5, 3, 4, 2.5, 2.5, 2.5, 2.5, 2.5});
}

TEST_CASE("landmarks_box: face-api's aligned rectangles from its own landmarks" * doctest::test_suite("face.pretrained.pipeline")) {
    // Needs only the reference file: the alignment alone, whatever the networks do.
    int faces = 0;
    for (const char* name : kPipelineImages) {
        for (const JsonValue& face : face_reference_item(name).at("pipeline").elements()) {
            CHECK(box_error(landmarks_box(json_points(face.at("landmarks"))), json_box(face.at("aligned_box"))) < 1e-3);
            ++faces;
        }
    }
    CHECK(faces == 4);
}

TEST_CASE("FacePipeline: every face of face-api's pipeline, boxes, landmarks and descriptors" * doctest::test_suite("face.pretrained.pipeline")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const FacePipeline pipeline = FacePipeline::load(face_models_dir());
    double worst_box = 0, worst_point = 0, worst_score = 0, worst_descriptor = 0;
    for (const char* name : kPipelineImages) {
        CAPTURE(name);
        const JsonValue& expected = face_reference_item(name).at("pipeline");
        const std::vector<FaceRecord> faces = pipeline.run(load_image(face_reference_dir() + "/" + name, 3));
        REQUIRE(faces.size() == expected.size());
        for (size_t i = 0; i < faces.size(); ++i) {
            const JsonValue& e = expected.at(i);
            worst_score = std::max(worst_score, std::fabs(faces[i].detection.score - e.at("score").as_number()));
            worst_box = std::max({worst_box, box_error(faces[i].detection.box, json_box(e.at("box"))),
                                  box_error(faces[i].aligned_box, json_box(e.at("aligned_box")))});
            const std::vector<Point> points = json_points(e.at("landmarks"));
            for (size_t j = 0; j < points.size(); ++j)
                worst_point = std::max({worst_point, double(std::fabs(faces[i].landmarks[j].x - points[j].x)),
                                        double(std::fabs(faces[i].landmarks[j].y - points[j].y))});
            const JsonValue& d = e.at("descriptor");
            REQUIRE(faces[i].descriptor.size() == d.size());
            for (size_t j = 0; j < d.size(); ++j)
                worst_descriptor = std::max(worst_descriptor, std::fabs(faces[i].descriptor[j] - d.at(j).as_number()));
        }
    }
    MESSAGE("pipeline vs face-api: max |diff| score ", worst_score, ", boxes ", worst_box, " px, landmarks ",
            worst_point, " px, descriptors ", worst_descriptor);
    CHECK(worst_score <= 1e-3);
    CHECK(worst_box <= 0.05);
    CHECK(worst_point <= 0.05);
    CHECK(worst_descriptor <= 1e-3);
}

TEST_CASE("FacePipeline::find_faces: a tight crop is found in its frame, moved back into the photo" * doctest::test_suite("face.pretrained.pipeline")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const FacePipeline pipeline = FacePipeline::load(face_models_dir());
    // The 112 x 112 landmark input is a tight crop of ORL s1/1 (zero-padded to a square).
    const Tensor crop = load_image(face_reference_dir() + "/lmk_s1_1.png", 3);
    int frames = 0;
    const std::vector<FaceRecord> faces = pipeline.find_faces(crop, 0.5f, &frames);
    REQUIRE(faces.size() == 1);
    const std::vector<FaceRecord> in_frame = pipeline.run(framed(crop));
    if (frames == 1) {
        REQUIRE(in_frame.size() == 1);
        CHECK(faces[0].detection.box.x == doctest::Approx(in_frame[0].detection.box.x - 56));
        CHECK(faces[0].landmarks[30].y == doctest::Approx(in_frame[0].landmarks[30].y - 56));
        CHECK(faces[0].descriptor == in_frame[0].descriptor);
    }
    // the face is inside the photo: the nose tip (point 30) within the 112 x 112 crop
    CHECK(faces[0].landmarks[30].x > 0);
    CHECK(faces[0].landmarks[30].x < 112);
    // A photo with no face stays without one, framed or not.
    CHECK(pipeline.find_faces(load_image(face_reference_dir() + "/det_none.png", 3)).empty());
}
