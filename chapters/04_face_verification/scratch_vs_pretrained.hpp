// chapters/04_face_verification/scratch_vs_pretrained.hpp
//
// The encoder this chapter trains from scratch beside a pretrained one, on the same fold of unseen people.
//                                                                         [lecture: "Face Verification"]
//   from scratch   f(x) trained here on a few dozen people, whole photos at 56 x 46 grey, d = ||f1 - f2||^2
//   pretrained     f(x) of dlib's ResNet (face-api's port), trained elsewhere on millions of faces; each
//                  face is detected, its 68 landmarks found and the face aligned first, d = ||f1 - f2||
//
// Both are scored by the same protocol (protocol.hpp): rank-1, ROC AUC, EER, and TAR / FAR at a tau chosen
// on other people. The lesson: data and alignment beat architecture.
#pragma once

#include <string>

#include "app/metrics.hpp"
#include "chapters/04_face_verification/pretrained_eval.hpp"

namespace convlab {

struct PretrainedFold {
    PhotoDescriptors photos;  // every photo of the data set, described once
    Scores scores;            // fold k's test people; tau chosen on the other people's pairs
    Rates at_dlib_tau;        // the same test pairs at dlib's fixed tau = 0.6, chosen on none of them
};

// Describes every photo of ds (describe_photos) and scores fold k of `folds` (score_pretrained_fold).
PretrainedFold run_pretrained_fold(const FacePipeline& pipeline, const FaceDataset& ds, int folds, int k);

// The table with both rows, the pretrained net's photos (found / framed / framed twice / whole), and the lesson in one
// sentence with both AUCs and TAR / FAR. trained_people: how many people the scratch encoder learned from.
void print_scratch_vs_pretrained(const Scores& scratch, int trained_people, const PretrainedFold& pretrained);

// pretrained.rank1, pretrained.auc, pretrained.eer, pretrained.tau, pretrained.tar, pretrained.far,
// pretrained.tar_at_dlib_tau, pretrained.far_at_dlib_tau (tau = 0.6), pretrained.photos_found / _framed / _framed_twice / _whole,
// pretrained.seconds
void set_pretrained_metrics(app::Metrics& metrics, const PretrainedFold& pretrained);

// Both ROC curves on one plot (PNG).
void save_scratch_vs_pretrained_roc(const std::string& path, const Scores& scratch, int trained_people,
                                    const PretrainedFold& pretrained);

}  // namespace convlab
