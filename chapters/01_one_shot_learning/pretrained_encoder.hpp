// chapters/01_one_shot_learning/pretrained_encoder.hpp
//
// f(x) from a network trained elsewhere, on millions of faces: the pretrained pipeline (detector -> 68
// landmarks -> dlib's alignment -> 128-d descriptor, face/pretrained/pipeline.hpp), which the face chapters
// run beside the encoders they train themselves.               [lecture: "One Shot Learning", "Face Verification"]
//
//   d(x1, x2) = ||f(x1) - f(x2)||      Euclidean, not squared (dlib's scale)      same person if d <= 0.6
//
// It learned from photos: on the synthetic faces (procedural drawings) it has nobody to recognise.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "face/pretrained/pipeline.hpp"

namespace convlab {

// The pipeline a face chapter runs, or why it runs none.
struct PretrainedChoice {
    std::optional<FacePipeline> pipeline;  // empty: the pretrained rows are skipped
    std::string why_not;                   // when empty: one line saying why
};

// models_option: a program's --models DIR ("" when not given); data_dir: its --data DIR ("": synthetic).
//   --models DIR given     the three networks must be in DIR, else convlab::Error naming the missing files
//                          (even on the synthetic faces: a wrong option is an error before any work),
//   not given              face_models_dir() ($CONVLAB_MODELS, else data/models), when all three are there.
// On the synthetic faces (data_dir "") no pipeline is loaded.
PretrainedChoice choose_pretrained(const std::string& models_option, const std::string& data_dir);

// How a photo's face was found (FacePipeline::find_faces).
enum class FaceFound { AsItIs, InFrame, InFrameTwice, Whole };

// f(x) of the best-scoring face in the photo (3, H, W) in [0, 1]: found as it is, or only in a frame or two
// (a tight crop such as ORL's); no face found at all: the whole photo, padded to a square and resized to
// 150 x 150.
std::vector<float> pretrained_encoding(const FacePipeline& pipeline, const Tensor& image, FaceFound* found);

// The photo files (read in colour; grey copied into R, G and B) -> F (N, 128), row i = f(files[i]).
// found (when given): how each photo's face was found, in the same order.
Tensor pretrained_encodings(const FacePipeline& pipeline, const std::vector<std::string>& files,
                            std::vector<FaceFound>* found = nullptr);

}  // namespace convlab
