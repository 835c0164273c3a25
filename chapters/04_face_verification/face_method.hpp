// chapters/04_face_verification/face_method.hpp
//
// What the face tool finds and compares faces with: one of two models behind one interface.
//
//   pretrained    face-api's networks (face/pretrained/pipeline.hpp): every face in the photo is found
//                 (detector -> 68 landmarks -> dlib's alignment square) and described by 128 numbers;
//                 d = ||f(x1) - f(x2)||, the same person when d <= 0.6 (dlib's threshold)
//   from scratch  an encoder trained here (chapter 03, face/encoder.hpp): no detector, the whole photo is
//                 the face; d = ||P f(x1) - P f(x2)||^2 (d_W; the lecture's plain d without a whitening P),
//                 the same person when d <= the model's tau
//
// Which one: --model pretrained, or --model FILE (an encoder); without --model, the pretrained networks
// when all three are in the models folder (--models DIR, else $CONVLAB_MODELS, else data/models), else the
// encoder chapter 03 writes, out/03_triplet_loss/encoder.ckpt.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "face/encoder.hpp"
#include "face/pretrained/pipeline.hpp"

namespace convlab {

constexpr const char* kPretrained = "pretrained";                              // --model pretrained
constexpr const char* kDefaultEncoder = "out/03_triplet_loss/encoder.ckpt";    // written by 03_triplet_loss

struct ModelChoice {
    std::string model;       // "" (choose), "pretrained", or an encoder's file
    std::string models_dir;  // --models DIR ("": $CONVLAB_MODELS, else data/models)
};

// True when the three pretrained networks are all in `dir`.
bool pretrained_models_in(const std::string& dir);

// The detector's threshold: face-api's default minimum score.
constexpr float kMinFaceScore = 0.5f;


class FaceMethod {
public:
    // The model `choice` names (see above). tau_override >= 0 replaces the model's threshold. Error naming
    // the file or folder when what was asked for is missing or broken.
    static FaceMethod load(const ModelChoice& choice, double tau_override = -1);
    static FaceMethod pretrained(const std::string& models_dir);
    static FaceMethod from_scratch(const std::string& encoder_path);

    // true: faces are found in the photo (pretrained); false: the whole photo is one face.
    bool detects() const { return pipeline_ != nullptr; }

    // Every face in the photo at `path`, best detector score first; none when the detector finds none.
    // Pretrained: FacePipeline::find_faces (tight crops are framed, as ORL's photos need). From scratch:
    // one face, the whole photo: its box is the photo, score 1, no landmarks. A photo under 12 x 12 pixels
    // is an error naming it.
    std::vector<FaceRecord> faces(const std::string& path) const;

    float distance(const std::vector<float>& a, const std::vector<float>& b) const;

    float tau = 0;  // same person when distance <= tau
    const std::string& description() const { return description_; }  // one line: which model, d, tau
    const std::string& fingerprint() const { return fingerprint_; }   // face/fingerprint.hpp
    const std::string& name() const { return name_; }                 // "pretrained" or the encoder's file
    const FacePipeline& pipeline() const;                              // pretrained only

private:
    std::shared_ptr<FacePipeline> pipeline_;  // pretrained
    std::shared_ptr<FaceModel> encoder_;      // from scratch
    std::string name_, description_, fingerprint_;
};

}  // namespace convlab
