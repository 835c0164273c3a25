// src/face/database.hpp
//
// The enrolment database of the face tool: the precomputed encodings f(x) of the enrolled photos, so
// that a camera image costs one forward pass and K distances ("precompute the database's encodings",
// lecture: "Face Verification"). Enrolling a person adds rows; nothing is retrained.
//
// An encoding only means something next to encodings of the same model: the database names the model that
// made it (face/fingerprint.hpp), and the face tool refuses to mix models.
//
// File format 2 (text, one record per line, so a person can read it):
//   convlab-face-db 2
//   model <fingerprint, 16 hex digits> <what the model is, to the end of the line>     ("model -" when none yet)
//   dim 128
//   entries M
//   <name>\t<source image>\t<content>\t<dim numbers, space-separated, %.9g so they read back exactly>   (M lines)
//   checksum <FNV-1a 64-bit of every byte above, 16 hex digits>
// content: the FNV-1a 64 of the photo file's bytes (16 hex digits; "-" when unknown), so that the same photo
// enrolled twice is recognised whatever its path. The file is replaced atomically, so a crash never leaves
// half a database; a file that does not parse or whose checksum does not match is rejected with an error
// naming it, and is never overwritten by a command that failed. Format 1 (before the model was named) is
// refused with a one-line message: its encodings cannot be checked against a model.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

struct FaceDatabase {
    std::string fingerprint;               // of the model that made the encodings; "" until one is set
    std::string model;                     // that model in words ("pretrained: ...", "from-scratch encoder ...")
    int64_t dim = 0;                       // 0 until the first entry
    std::vector<std::string> names;        // person of each row (a person may have several)
    std::vector<std::string> sources;      // the image each row was computed from
    std::vector<std::string> contents;     // FNV-1a 64 of that image file's bytes, 16 hex digits, or "-"
    std::vector<std::vector<float>> rows;  // the encodings

    int64_t size() const { return static_cast<int64_t>(names.size()); }
    // Adds one encoding (dim,) or (1, dim). Names: non-empty, no tab or newline; content: no whitespace.
    void add(const std::string& name, const std::string& source, const Tensor& encoding,
             const std::string& content = "-");
    // Removes every row of `name`; returns how many there were.
    int64_t remove(const std::string& name);
    Tensor encodings() const;  // (M, dim)
    std::vector<std::string> people() const;  // distinct names, in order of first enrolment
    int64_t photos_of(const std::string& name) const;
};

// Reads `path`; a missing file is an empty database if allow_missing, else an error.
FaceDatabase load_database(const std::string& path, bool allow_missing = false);
void save_database(const std::string& path, const FaceDatabase& db);

}  // namespace convlab
