// src/nn/init.hpp
//
// Initial weights. Scaled so that the variance of the activations stays about the same from layer to
// layer, neither vanishing nor exploding with depth.                 [course 2, "Weight Initialization"]
// Both fill W in place (no autodiff) and return it.
#pragma once

#include <cstdint>

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace convlab::nn {

// He (Kaiming) initialisation for ReLU networks:  W ~ N(0, std = sqrt(2 / fan_in)).
// fan_in = inputs feeding one output unit: n_C_prev * f * f for a conv, n_in for a linear layer.
Tensor& kaiming_normal_(Tensor& W, int64_t fan_in, Rng& rng);

// Xavier (Glorot) initialisation for tanh/sigmoid:  W ~ U(-a, a),  a = sqrt(6 / (fan_in + fan_out)),
// which gives Var(W) = 2 / (fan_in + fan_out).
Tensor& xavier_uniform_(Tensor& W, int64_t fan_in, int64_t fan_out, Rng& rng);

}  // namespace convlab::nn
