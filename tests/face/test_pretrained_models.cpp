// tests/face/test_pretrained_models.cpp
//
// Where the pretrained face networks are looked for (face/pretrained/models.hpp), and the reference outputs
// the parity tests compare against (tests/support/face_reference.hpp).
#include <cstdlib>
#include <filesystem>

#include "face/pretrained/models.hpp"
#include "tests/support/check.hpp"
#include "tests/support/face_reference.hpp"

using namespace convlab;
using namespace convlab::testing;

namespace {
// Sets an environment variable for one scope and puts the old value back.
struct ScopedEnv {
    std::string name, old;
    bool had = false;
    ScopedEnv(const std::string& n, const char* value) : name(n) {
        if (const char* v = std::getenv(n.c_str())) had = true, old = v;
        if (value) ::setenv(n.c_str(), value, 1);
        else ::unsetenv(n.c_str());
    }
    ~ScopedEnv() {
        if (had) ::setenv(name.c_str(), old.c_str(), 1);
        else ::unsetenv(name.c_str());
    }
};
}  // namespace

TEST_CASE("face_models_dir: --models, else CONVLAB_MODELS, else data/models" *
          doctest::test_suite("face.pretrained.models")) {
    {
        ScopedEnv env("CONVLAB_MODELS", nullptr);
        CHECK(face_models_dir() == "data/models");
        CHECK(face_models_dir("/opt/m") == "/opt/m");
    }
    {
        ScopedEnv env("CONVLAB_MODELS", "/srv/models");
        CHECK(face_models_dir() == "/srv/models");
        CHECK(face_models_dir("mine") == "mine");
    }
    {
        ScopedEnv env("CONVLAB_MODELS", "");
        CHECK(face_models_dir() == "data/models");
    }
}

TEST_CASE("face_model_path: <dir>/<name>.ckpt for the three networks, an error for any other" *
          doctest::test_suite("face.pretrained.models")) {
    CHECK(face_model_names() == std::vector<std::string>{"face_recognition", "face_landmark_68", "ssd_mobilenetv1"});
    CHECK(face_model_path("data/models", kFaceRecognitionNet) == "data/models/face_recognition.ckpt");
    CHECK(face_model_path("m/", kFaceLandmarkNet) == "m/face_landmark_68.ckpt");
    CHECK(face_model_path("m", kSsdMobilenetV1) == "m/ssd_mobilenetv1.ckpt");
    CHECK(error_of([] { face_model_path("m", "tiny_face_detector"); }) ==
          "face_model_path: unknown network 'tiny_face_detector' (expected face_recognition, face_landmark_68 or "
          "ssd_mobilenetv1)");
}

TEST_CASE("face_models_present: false for a folder without the three checkpoints" *
          doctest::test_suite("face.pretrained.models")) {
    ScopedEnv env("CONVLAB_MODELS", "/nonexistent/convlab-models");
    CHECK_FALSE(face_models_present());
}

TEST_CASE("face_reference_item: face-api's outputs for a PNG, read from face-api-reference.json" *
          doctest::test_suite("face.pretrained.models")) {
    const std::string dir = face_reference_dir();
    if (!std::filesystem::is_regular_file(dir + "/face-api-reference.json")) {
        MESSAGE("skipped: no face-api reference in " << dir << " (set CONVLAB_SHARED_REFERENCE)");
        return;
    }
    const JsonValue& rec = face_reference_item("rec_s1_1.png");
    CHECK(rec.at("kind").as_string() == "recognition");
    CHECK(rec.at("width").as_integer() == 150);
    CHECK(rec.at("descriptor").size() == 128);
    CHECK(face_reference_item("lmk_s1_1.png").at("landmarks").size() == 68);
    CHECK(&face_reference_item("rec_s1_1.png") == &rec);  // parsed once
    CHECK(error_of([] { face_reference_item("nope.png"); }).find("expected an item named 'nope.png'") !=
          std::string::npos);
}
