// tests/support/face_reference.cpp
#include "tests/support/face_reference.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "core/error.hpp"
#include "face/pretrained/models.hpp"
#include "io/atomic_file.hpp"

namespace convlab::testing {

namespace fs = std::filesystem;

bool face_models_present() {
    const std::string dir = face_models_dir();
    for (const std::string& name : face_model_names())
        if (!fs::is_regular_file(face_model_path(dir, name))) return false;
    return true;
}

std::string face_reference_dir() {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("CONVLAB_SHARED_REFERENCE"); env != nullptr && env[0] != '\0')
        candidates.push_back(std::string(env) + "/face-api");
    candidates.push_back("../shared/reference/face-api");
    candidates.push_back("/work/shared/reference/face-api");
    for (const std::string& c : candidates)
        if (fs::is_directory(c)) return fs::absolute(c).lexically_normal().string();
    return "../shared/reference/face-api";
}

const JsonValue& face_reference_item(const std::string& png_name) {
    static std::map<std::string, std::unique_ptr<JsonValue>> parsed;  // by path: each file read once
    const std::string path = face_reference_dir() + "/face-api-reference.json";
    std::unique_ptr<JsonValue>& doc = parsed[path];
    if (!doc) doc = std::make_unique<JsonValue>(parse_json(read_file(path), path));
    for (const JsonValue& item : doc->at("items").elements())
        if (item.at("name").as_string() == png_name) return item;
    fail(path, ": expected an item named '", png_name, "', found none among ", doc->at("items").size(), " items");
}

void require_face_models_or_skip() {
    const std::string dir = face_models_dir();
    const char* required = std::getenv("CONVLAB_REQUIRE_FACE_MODELS");
    if (required != nullptr && std::string(required) == "1") {
        FAIL("CONVLAB_REQUIRE_FACE_MODELS=1 but the face models are not all in '"
             << dir << "' (expected face_recognition.ckpt, face_landmark_68.ckpt and ssd_mobilenetv1.ckpt):"
             << " run make face-models");
    } else {
        MESSAGE("skipped: the pretrained face models are not in '"
                << dir << "'; run `make face-models` (or set CONVLAB_MODELS=DIR) to run the face-api parity tests");
    }
}

}  // namespace convlab::testing
