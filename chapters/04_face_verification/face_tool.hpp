// chapters/04_face_verification/face_tool.hpp
//
// What the face tool's commands do, without the printing (tool_face.cpp prints; the tests call these).
// The database lives in a file (face/database.hpp); every command reads it, and enrol replaces it
// atomically only after every photo was read and encoded, so a failed command leaves it as it was.
#pragma once

#include <string>
#include <vector>

#include "chapters/01_one_shot_learning/one_shot.hpp"
#include "face/database.hpp"
#include "face/encoder.hpp"

namespace convlab {

// With a whitening P (the model's, face/whitening.hpp) every photo is stored and compared as P f(x), so d is
// d_W; without one (undefined P), as f(x).

// Encodes the photos and adds them under `name`; returns the database as saved. Enrolling never retrains.
FaceDatabase enroll_photos(const std::string& db_path, const std::string& name, const std::vector<std::string>& images,
                           FaceEncoder& f, const Tensor& P = Tensor());

// 1:1: d between the photo and the closest enrolled photo of `name`, against tau.
Verdict verify_photo(const std::string& db_path, const std::string& name, const std::string& image, FaceEncoder& f,
                     float tau, const Tensor& P = Tensor());

// 1:K: everyone in the database by distance to the photo; "unknown" beyond tau.
Identification identify_photo(const std::string& db_path, const std::string& image, FaceEncoder& f, float tau,
                              const Tensor& P = Tensor());

}  // namespace convlab
