// chapters/04_face_verification/face_method.cpp
#include "chapters/04_face_verification/face_method.hpp"

#include <filesystem>

#include "chapters/02_siamese_network/siamese.hpp"
#include "core/error.hpp"
#include "data/faces.hpp"
#include "face/fingerprint.hpp"
#include "face/pretrained/models.hpp"
#include "face/whitening.hpp"

namespace convlab {

namespace fs = std::filesystem;

// What a photo goes through before the networks: part of each model's fingerprint.
static const char* const kPretrainedPreprocessing =
    "pretrained: RGB 0..255; SSD-MobileNetV1 at 512 x 512, min score 0.5, a photo with no face framed by half "
    "its size, then framed again; 68 landmarks on the detected box; dlib alignment square; pad to square, TF bilinear to "
    "150 x 150; d Euclidean";
static const char* const kEncoderPreprocessing =
    "from scratch: grey, bilinear to the encoder's input, standardised, mean of 6 views (mirror x 3 scales), "
    "times the whitening P if any; d squared Euclidean";

bool pretrained_models_in(const std::string& dir) {
    for (const std::string& name : face_model_names())
        if (!fs::is_regular_file(face_model_path(dir, name))) return false;
    return true;
}

FaceMethod FaceMethod::pretrained(const std::string& models_dir) {
    check(pretrained_models_in(models_dir), "the pretrained face networks are not in ", models_dir,
          " (expected face_recognition.ckpt, face_landmark_68.ckpt, ssd_mobilenetv1.ckpt): run make face-models, "
          "or pass --models DIR");
    FaceMethod m;
    m.pipeline_ = std::make_shared<FacePipeline>(FacePipeline::load(models_dir));
    std::vector<std::string> files;
    for (const std::string& name : face_model_names()) files.push_back(face_model_path(models_dir, name));
    m.fingerprint_ = model_fingerprint(files, kPretrainedPreprocessing);
    m.tau = kPretrainedThreshold;
    m.name_ = kPretrained;
    m.description_ = "pretrained face-api networks from " + models_dir +
                     " (detector, 68 landmarks, dlib's ResNet; d = ||f1 - f2||)";
    return m;
}

FaceMethod FaceMethod::from_scratch(const std::string& encoder_path) {
    check(fs::exists(encoder_path), "no trained encoder at ", encoder_path,
          ": run build/bin/03_triplet_loss first (it writes ", kDefaultEncoder,
          "), pass --model FILE, or get the pretrained networks with make face-models");
    FaceMethod m;
    m.encoder_ = std::make_shared<FaceModel>(load_face_model(encoder_path));
    m.fingerprint_ = model_fingerprint({encoder_path}, kEncoderPreprocessing, {"tau"});
    m.tau = m.encoder_->tau;
    m.name_ = encoder_path;
    m.description_ = "from-scratch encoder " + encoder_path + " (no detector: the whole photo is the face; " +
                     (m.encoder_->P.defined() ? "d_W = ||P f1 - P f2||^2)" : "d = ||f1 - f2||^2)");
    return m;
}

FaceMethod FaceMethod::load(const ModelChoice& choice, double tau_override) {
    const std::string dir = face_models_dir(choice.models_dir);
    FaceMethod m = choice.model == kPretrained                            ? pretrained(dir)
                   : !choice.model.empty()                                ? from_scratch(choice.model)
                   : pretrained_models_in(dir) || !choice.models_dir.empty() ? pretrained(dir)
                                                                            : from_scratch(kDefaultEncoder);
    if (tau_override >= 0) m.tau = float(tau_override);
    return m;
}

const FacePipeline& FaceMethod::pipeline() const {
    check(pipeline_ != nullptr, "the from-scratch encoder ", name_, " finds no faces: it takes the whole photo");
    return *pipeline_;
}

std::vector<FaceRecord> FaceMethod::faces(const std::string& path) const {
    const Tensor photo = load_face_photo(path, pipeline_ ? 3 : 1);
    if (pipeline_) return pipeline_->find_faces(photo, kMinFaceScore);
    FaceRecord face;
    face.detection = {1.0f, Box{0, 0, float(photo.dim(2)), float(photo.dim(1))}};
    face.aligned_box = face.crop_box = face.detection.box;
    const Tensor e = img_to_encoding(*encoder_->f, photo);
    const Tensor& P = encoder_->P;
    face.descriptor = (P.defined() ? whiten(e.reshape({1, e.numel()}), P) : e).values();
    return {face};
}

float FaceMethod::distance(const std::vector<float>& a, const std::vector<float>& b) const {
    const float d = descriptor_distance(a, b);  // ||a - b||
    return pipeline_ ? d : d * d;
}

}  // namespace convlab
