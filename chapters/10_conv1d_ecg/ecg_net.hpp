// chapters/10_conv1d_ecg/ecg_net.hpp
//
// A 1D ConvNet for heartbeats: the Fully Convolutional Network of Wang, Yan and Oates (2017), "Time series
// classification from scratch with deep neural networks: a strong baseline", with fewer filters.
//                                                                      [lecture: "1D and 3D Generalizations"]
#pragma once

#include <cstdint>
#include <memory>

#include "core/random.hpp"
#include "nn/module.hpp"

namespace convlab {

// x: (N, 1, L) beats of any length L  ->  logits (N, n_classes).
//
//   3 blocks   conv1d (filters of 7, 5, 3; "same" padding) -> batch norm -> ReLU    (N, n_C, L) each
//              n_C = width, 2 width, width
//   global average pooling: the mean of each channel over time                       (N, width)
//   linear layer to the classes                                                       (N, n_classes)
//
// Padding keeps the length, so a filter of the first block is one shape detector slid along the beat
// (a QRS, an inverted T wave), and the pooling asks "how strongly, anywhere in the beat".
std::shared_ptr<nn::Sequential> make_ecg_net(int64_t n_classes, int64_t width, Rng& rng);

}  // namespace convlab
