// src/face/fingerprint.hpp
//
// The fingerprint of a face model: 16 hex digits that change when anything that shapes an encoding f(x)
// changes, the weights or the way a photo is prepared for the network. Encodings of two models (or of one
// network fed differently prepared photos) live in different spaces: a distance between them means nothing,
// so a face database keeps the fingerprint of the model that filled it (face/database.hpp).
//
//   fingerprint = FNV-1a 64 (io/fnv1a.hpp) over, checkpoint after checkpoint, each tensor's name, shape and
//                 float32 values in file order (but the names in `skip`: numbers that do not change f(x),
//                 like a threshold), then over the text that names the preprocessing
#pragma once

#include <string>
#include <vector>

namespace convlab {

std::string model_fingerprint(const std::vector<std::string>& checkpoints, const std::string& preprocessing,
                              const std::vector<std::string>& skip = {});

// FNV-1a 64 of a file's bytes, 16 hex digits: what a photo is, whatever its path. Error naming the file if
// it cannot be read.
std::string file_fingerprint(const std::string& path);

}  // namespace convlab
