// src/face/pretrained/models.cpp
#include "face/pretrained/models.hpp"

#include <cstdlib>

#include "core/error.hpp"

namespace convlab {

const std::vector<std::string>& face_model_names() {
    static const std::vector<std::string> names{kFaceRecognitionNet, kFaceLandmarkNet, kSsdMobilenetV1};
    return names;
}

std::string face_models_dir(const std::string& override_dir) {
    if (!override_dir.empty()) return override_dir;
    const char* env = std::getenv("CONVLAB_MODELS");
    if (env != nullptr && env[0] != '\0') return env;
    return "data/models";
}

std::string face_model_path(const std::string& dir, const std::string& name) {
    bool known = false;
    for (const std::string& n : face_model_names()) known = known || n == name;
    check(known, "face_model_path: unknown network '", name, "' (expected ", kFaceRecognitionNet, ", ",
          kFaceLandmarkNet, " or ", kSsdMobilenetV1, ")");
    return dir + (dir.empty() || dir.back() == '/' ? "" : "/") + name + ".ckpt";
}

}  // namespace convlab
