// tests/support/tiny_encoder.hpp
//
// A face model file for tests of the face tool that need no training and no pretrained networks: an
// untrained encoder (12 x 10 grey input, 8 numbers) saved by save_face_model. A photo is at d = 0 from
// itself, which is all the tool's bookkeeping needs; another seed is another model (another fingerprint).
#pragma once

#include <string>

#include "face/encoder.hpp"

namespace convlab::testing {

// dir/model_<seed>_<tau>[_whitened].ckpt, written; returns its path.
inline std::string tiny_encoder_file(const std::string& dir, uint64_t seed, float tau = 0.5f,
                                     const Tensor& P = Tensor()) {
    EncoderConfig ec;
    ec.height = 12;
    ec.width = 10;
    ec.channels = {4, 6};
    ec.dim = 8;
    Rng rng(seed);
    FaceEncoder f(ec, rng);
    const std::string path = dir + "/model_" + std::to_string(seed) + "_" + std::to_string(tau) +
                             (P.defined() ? "_whitened" : "") + ".ckpt";
    save_face_model(path, f, tau, P);
    return path;
}

}  // namespace convlab::testing
