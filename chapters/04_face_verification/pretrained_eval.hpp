// chapters/04_face_verification/pretrained_eval.hpp
//
// The same identity-disjoint k-fold protocol (protocol.hpp), for the pretrained pipeline
// (face/pretrained/pipeline.hpp): nothing is trained, so every photo is described once and each fold only
// scores its test people, with tau chosen on the other people's pairs as for the encoders trained here.
//
//   f(x)      the descriptor of the best-scoring face the pipeline finds in photo x (FacePipeline::find_faces:
//             in a frame, or a frame of the frame, when the photo is a tight crop); a photo with no face found
//             is described whole (padded to a square, resized to 150 x 150). Each case is counted.
//   d(x1,x2)  = ||f(x1) - f(x2)||, Euclidean, dlib's scale (same person when <= 0.6)
#pragma once

#include <string>
#include <vector>

#include "chapters/01_one_shot_learning/pretrained_encoder.hpp"  // pretrained_encoding
#include "chapters/04_face_verification/protocol.hpp"
#include "face/pretrained/pipeline.hpp"

namespace convlab {

struct PhotoDescriptors {
    std::vector<std::vector<float>> f;  // one descriptor per photo, in the data set's order
    int found = 0;                      // photos whose face the detector found as they are
    int framed = 0;                     // ... found only in a frame (FacePipeline::find_faces)
    int framed_twice = 0;               // ... found only in the frame of the frame
    int whole = 0;                      // no face found: the whole photo was described
    double seconds = 0;                 // wall time of describe_photos
};

// Runs the pipeline on every file (read in colour; grey photos are copied into R, G and B), with a
// progress line.
PhotoDescriptors describe_photos(const FacePipeline& pipeline, const std::vector<std::string>& files);

// D[i][j] = d(x_i, x_j) over the photos `index` (into f): (n, n).
Tensor descriptor_distances(const std::vector<std::vector<float>>& f, const std::vector<int64_t>& index);

// Fold k of `folds` (fold_people): the test people's pairs scored, tau chosen on the other people's pairs.
Scores score_pretrained_fold(const FaceDataset& ds, const PhotoDescriptors& photos, int folds, int k,
                             double target_far = 0);

// The test pairs of fold k at a fixed threshold (dlib's 0.6): what the net gives with no tau chosen at all.
Rates pretrained_fold_rates(const FaceDataset& ds, const PhotoDescriptors& photos, int folds, int k, float tau);

}  // namespace convlab
