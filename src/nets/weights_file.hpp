// src/nets/weights_file.hpp
//
// The convlab weights file: named float32 tensors, for networks whose weights come from elsewhere
// (data/export_vgg19.py writes one from torchvision). Little-endian, no padding:
//
//   8 bytes    magic "CLWEIGHT"
//   uint32     version (1)
//   uint32     count: number of tensors
//   count times:
//     uint32   name length, then the name's bytes (UTF-8, no terminator), e.g. "conv1_1.weight"
//     uint32   ndim, then ndim x int64 sizes
//     float32  the values, row-major (prod(sizes) of them)
//
// Nothing follows the last tensor.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

using NamedWeights = std::vector<std::pair<std::string, Tensor>>;

// Writes the tensors in order (atomically). Throws convlab::Error naming the path on failure.
void save_weights(const std::string& path, const NamedWeights& weights);

// Reads every tensor back, in file order. A missing file, a wrong magic or version, a truncated file or
// trailing bytes -> convlab::Error naming the path and what was wrong.
NamedWeights load_weights(const std::string& path);

}  // namespace convlab
