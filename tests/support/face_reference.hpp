// tests/support/face_reference.hpp
//
// What the tests of the pretrained face networks compare against:
//   face_models_present()          the three converted checkpoints are in face_models_dir() (make face-models)
//   face_reference_dir()           face-api's reference outputs and input PNGs (../shared/reference/face-api)
//   face_reference_item("x.png")   that PNG's entry of face-api-reference.json
// A test that needs the models starts with
//   if (!face_models_present()) { require_face_models_or_skip(); return; }
#pragma once

#include <string>

#include "io/json.hpp"

namespace convlab::testing {

// True when face_recognition.ckpt, face_landmark_68.ckpt and ssd_mobilenetv1.ckpt all exist in
// face_models_dir() ($CONVLAB_MODELS, else data/models).
bool face_models_present();

// $CONVLAB_SHARED_REFERENCE/face-api, else ../shared/reference/face-api, else /work/shared/reference/face-api:
// the first that is a folder (the second when none is, so that messages name the usual place).
std::string face_reference_dir();

// The item of face_reference_dir()/face-api-reference.json whose "name" is png_name (parsed once; throws
// convlab::Error naming the file when it is missing, broken or has no such item).
const JsonValue& face_reference_item(const std::string& png_name);

// With CONVLAB_REQUIRE_FACE_MODELS=1 (CI, after make face-models): FAIL, naming the missing folder.
// Otherwise one MESSAGE: the parity test was skipped, and how to run it.
void require_face_models_or_skip();

}  // namespace convlab::testing
