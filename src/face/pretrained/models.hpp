// src/face/pretrained/models.hpp
//
// Where the pretrained face networks' weights are at run time. `make face-models` converts face-api's tfjs
// weights (docs/face-models.md) into three convlab checkpoints in one folder:
//
//   face_recognition.ckpt   the 128-d descriptor net (dlib's ResNet, ported by face-api)
//   face_landmark_68.ckpt   the 68-point landmark net
//   ssd_mobilenetv1.ckpt    the SSD-MobileNetV1 face detector
//
// The folder: a program's --models DIR, else the environment variable CONVLAB_MODELS, else data/models
// (relative to the working directory).
#pragma once

#include <string>
#include <vector>

namespace convlab {

// The networks by name; a network's file is "<name>.ckpt".
constexpr const char* kFaceRecognitionNet = "face_recognition";
constexpr const char* kFaceLandmarkNet = "face_landmark_68";
constexpr const char* kSsdMobilenetV1 = "ssd_mobilenetv1";

// The three names, in the order above.
const std::vector<std::string>& face_model_names();

// override_dir if not empty, else $CONVLAB_MODELS if set and not empty, else "data/models".
std::string face_models_dir(const std::string& override_dir = "");

// dir/<name>.ckpt; throws convlab::Error if name is not one of the three networks.
std::string face_model_path(const std::string& dir, const std::string& name);

}  // namespace convlab
