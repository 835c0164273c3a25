// src/io/checkpoint.hpp
//
// Checkpoints: named float32 tensors in one file, so that training can stop and resume exactly, and a
// trained network can be loaded by a demo. The byte layout is documented in docs/checkpoint-format.md.
// Files are written atomically (io/atomic_file.hpp) and every load is validated: a wrong, truncated or
// corrupted file is reported naming the file and the tensor, never read as garbage.
//
//   save_checkpoint(path, model.state());                        // or model.state() + optimiser state
//   load_into(path, model.state());                              // copies each tensor in place, by name
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;  // also in nn/module.hpp, optim/optimizer.hpp

// Writes the tensors (names unique, non-empty) to `path`, replacing it atomically.
void save_checkpoint(const std::string& path, const NamedTensors& tensors);

// Reads every tensor back, in the saved order. Throws convlab::Error on a bad magic or version, a
// truncated file (expected N bytes, got M), a checksum mismatch (corrupted), or a malformed entry.
NamedTensors load_checkpoint(const std::string& path);

// Loads `path` and copies each saved tensor into the target of the same name (under NoGradGuard).
// Every target must be present with the same shape, or nothing is changed and an Error names the file,
// the tensor and both shapes. Saved tensors that no target asks for are ignored, so a file holding
// "model.*" and "optim.*" can fill a model and an optimiser in two calls.
void load_into(const std::string& path, const NamedTensors& targets);

// The same tensors with `prefix` in front of each name: save_checkpoint(p, prefixed("optim.", opt.state())).
NamedTensors prefixed(const std::string& prefix, const NamedTensors& tensors);

}  // namespace convlab
