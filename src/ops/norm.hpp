// src/ops/norm.hpp
//
// Batch normalisation and (inverted) dropout: the two layers that behave differently in training and at
// test time.
#pragma once

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace convlab {

// Batch norm over every dim but 1 of x: (N, C, *), one mean and variance per channel c.
//                                                   [Course 2: "Normalizing activations in a network"]
//   mu_c = (1/m) sum x          sigma^2_c = (1/m) sum (x - mu_c)^2        (m = N * prod(*) values of channel c)
//   x_hat = (x - mu_c) / sqrt(sigma^2_c + eps)       y = gamma_c * x_hat + beta_c
//
// training = true: mu and sigma^2 are the batch's own; gradients flow through them to every x. The running
//   statistics are then updated in place (no gradient):
//     running_mean = (1 - momentum) running_mean + momentum mu
//     running_var  = (1 - momentum) running_var  + momentum sigma^2 * m / (m - 1)   (unbiased, as PyTorch does)
//   An undefined running_mean / running_var starts at 0 / 1.
// training = false: mu and sigma^2 are running_mean and running_var (test time: one example at a time).
//
// gamma, beta, running_mean, running_var: (C,). Backward, with dbeta = sum dY and dgamma = sum dY x_hat over
// the channel's m values:
//   training:  dX = gamma / (m sqrt(sigma^2 + eps)) * (m dY - dbeta - x_hat dgamma)
//   test time: dX = gamma / sqrt(sigma^2 + eps) * dY
Tensor batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, Tensor& running_mean, Tensor& running_var,
                  bool training, float momentum = 0.1f, float eps = 1e-5f);

// Inverted dropout.                                                      [Course 2: "Dropout regularization"]
// training: each element is kept with probability keep_prob = 1 - p and zeroed otherwise; kept elements are
//   scaled by 1/(1-p) so the expected value of every output equals its input:  y = x * mask / (1 - p).
// not training (or p = 0): y = x. p must be in [0, 1). The mask is drawn from rng in element order.
Tensor dropout(const Tensor& x, float p, bool training, Rng& rng);

}  // namespace convlab
