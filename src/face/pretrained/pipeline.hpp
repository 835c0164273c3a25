// src/face/pretrained/pipeline.hpp
//
// A photo in, every face in it out: where it is, its 68 landmarks and its 128-d encoding f(x).
//                                                                         [lecture: "Face Verification"]
// The way real face-verification systems run (and face-api's default chain, whose outputs the tests match):
//
//   image (3, H, W) in [0, 1], any size          grey photos: load_image(path, 3) copies grey into R, G, B
//   -> SSD-MobileNetV1 detector         boxes and scores (score >= min_confidence)
//   -> for each box: cut it out -> landmark net -> 68 points, moved into image pixels
//   -> dlib's alignment square from the eyes and the mouth (alignment.hpp) -> cut it out
//   -> recognition net (dlib's ResNet) -> f(x), 128 numbers
//
// Two photos show the same person when d(x1, x2) = ||f(x1) - f(x2)|| <= 0.6 (dlib's threshold; note: the
// distance itself, not its square, and f(x) is not normalised to unit length).
#pragma once

#include <string>
#include <vector>

#include "face/pretrained/geometry.hpp"
#include "face/pretrained/landmark_net.hpp"
#include "face/pretrained/recognition_net.hpp"
#include "face/pretrained/ssd_detector.hpp"

namespace convlab {

constexpr float kPretrainedThreshold = 0.6f;
// ORL: of 400 photos the detector finds 10 as they are, 385 in one frame and the last 5 (turned or tilted
// heads) in two, at scores of 0.82 or more; no-face pictures score under 0.07 there.
constexpr int kMaxFrames = 2;  // dlib's same-person threshold on d = ||f(x1) - f(x2)||

struct FaceRecord {
    Detection detection;              // the detector's box and score
    std::vector<Point> landmarks;     // 68 points, image pixels
    Box aligned_box;                  // the landmarks' box with 20% margin (face-api's "aligned rect")
    Box crop_box;                     // dlib's square, cut out for the recognition net
    std::vector<float> descriptor;    // f(x), 128 numbers
};

class FacePipeline {
public:
    // The three networks from `models_dir` (face_models_dir(): --models, $CONVLAB_MODELS, data/models).
    // A missing or damaged file -> convlab::Error naming it and saying `make face-models`.
    static FacePipeline load(const std::string& models_dir);

    // Every face in image (3, H, W), best score first. None found: an empty list.
    std::vector<FaceRecord> run(const Tensor& image, float min_confidence = 0.5f) const;

    // run(), and when it finds nothing, again on the photo framed by a border of half its width and height
    // in its mean colour (framed()), and when still nothing, on that framed once more (the photo is then a
    // quarter of the canvas's side), with the results moved back into the photo's pixels. A face cut out
    // tightly (ORL's photos are 92 x 112 crops of the head) fills the whole picture, and the detector learned
    // faces with surroundings; a photo with no face in it still gives none. *frames (when given): how many
    // frames the faces were found in, 0 to kMaxFrames.
    std::vector<FaceRecord> find_faces(const Tensor& image, float min_confidence = 0.5f, int* frames = nullptr) const;

    const SsdDetector& detector() const { return detector_; }
    const LandmarkNet& landmark_net() const { return landmarks_; }
    const RecognitionNet& recognition_net() const { return recognition_; }

private:
    FacePipeline(SsdDetector d, LandmarkNet l, RecognitionNet r)
        : detector_(std::move(d)), landmarks_(std::move(l)), recognition_(std::move(r)) {}
    SsdDetector detector_;
    LandmarkNet landmarks_;
    RecognitionNet recognition_;
};

// image (C, H, W) in the middle of a (C, 2H, 2W) canvas filled with its mean colour: H/2 rows above and
// below, W/2 columns left and right (rounded down above and to the left).
Tensor framed(const Tensor& image);

// d(x1, x2) = ||f(x1) - f(x2)||, Euclidean, of two descriptors of the same length.
float descriptor_distance(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace convlab
