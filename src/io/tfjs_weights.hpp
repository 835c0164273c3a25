// src/io/tfjs_weights.hpp
//
// TensorFlow.js weights: a manifest (JSON) and the binary files it names, as face-api ships its pretrained
// networks (docs/face-models.md). The manifest is a list of groups:
//
//   [ { "paths": ["net.bin"],
//       "weights": [ {"name": "conv0/filters", "shape": [3, 3, 3, 32], "dtype": "float32",
//                     "quantization": {"dtype": "uint8", "scale": 0.0042, "min": -0.51}},  ... ] } ]
//
// A group's bytes are its files one after the other; its weights are laid end to end in them, in manifest
// order, with no header and no padding: prod(shape) values of 4 bytes (float32, int32; little-endian), or of
// 1 byte (uint8), 2 bytes (uint16, float16) when quantised. The files must hold exactly that many bytes.
//
//   dequantisation (uint8, uint16):   w = q * scale + min     (in double, then rounded to float32)
//   an int32 weight:                  w = round(q * scale + min), or the int32 itself; stored as float
//   float16:                          the IEEE half-precision value
//
// Layout: TensorFlow stores a convolution filter as [kh, kw, in, out]; convlab wants (out, in, kh, kw).
//   filter (4-D, any name)                  W[o, c, i, j] = F[i, j, c, o]
//   depthwise (name ends in depthwise_filter or depthwise_weights, [kh, kw, C, M]):
//                                           W[c M + m, 0, i, j] = F[i, j, c, m]    -> (C M, 1, kh, kw)
//   anything else keeps its shape (a dense layer's [in, out] stays [in, out]: out = x @ W).
#pragma once

#include <functional>
#include <string>

#include "io/checkpoint.hpp"

namespace convlab {

// The manifest at manifest_path and the files it names (relative to the manifest's folder), decoded and
// in convlab's layout. Throws convlab::Error naming the file: a missing or unreadable file, a file of the
// wrong size (expected and actual bytes), an unknown dtype, a bad shape, a duplicate name, bad JSON.
NamedTensors load_tfjs_weights(const std::string& manifest_path);

// The same from a manifest's text, with the data files supplied by read_bin(path as written in the
// manifest); tensors keep TensorFlow's shapes. `source` names the manifest in messages.
NamedTensors decode_tfjs_weights(const std::string& manifest_text, const std::string& source,
                                 const std::function<std::string(const std::string&)>& read_bin);

// One tensor moved from TensorFlow's layout to convlab's (the table above), as a dense tensor.
Tensor tfjs_to_convlab_layout(const std::string& name, const Tensor& t);

}  // namespace convlab
