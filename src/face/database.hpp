// src/face/database.hpp
//
// The enrolment database of the face tool: the precomputed encodings f(x) of the enrolled photos, so
// that a camera image costs one forward pass and K distances ("precompute the database's encodings",
// lecture: "Face Verification"). Enrolling a person adds rows; nothing is retrained.
//
// File format (text, one record per line, so a person can read it):
//   convlab-face-db 1
//   dim 128
//   entries M
//   <name>\t<source image>\t<dim numbers, space-separated, %.9g so they read back exactly>     (M lines)
//   checksum <FNV-1a 64-bit of every byte above, 16 hex digits>
// The file is replaced atomically, so a crash never leaves half a database; a file that does not parse or
// whose checksum does not match is rejected with an error naming it, and is never overwritten by a
// command that failed.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

struct FaceDatabase {
    int64_t dim = 0;                       // 0 until the first entry
    std::vector<std::string> names;        // person of each row (a person may have several)
    std::vector<std::string> sources;      // the image each row was computed from
    std::vector<std::vector<float>> rows;  // the encodings

    int64_t size() const { return static_cast<int64_t>(names.size()); }
    // Adds one encoding (dim,) or (1, dim). Names: non-empty, no tab or newline.
    void add(const std::string& name, const std::string& source, const Tensor& encoding);
    Tensor encodings() const;  // (M, dim)
    std::vector<std::string> people() const;  // distinct names, in order of first enrolment
};

// Reads `path`; a missing file is an empty database if allow_missing, else an error.
FaceDatabase load_database(const std::string& path, bool allow_missing = false);
void save_database(const std::string& path, const FaceDatabase& db);

}  // namespace convlab
