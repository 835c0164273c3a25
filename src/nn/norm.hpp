// src/nn/norm.hpp
//
// The two layers that behave differently in training (train()) and at test time (eval()).
#pragma once

#include "core/random.hpp"
#include "nn/module.hpp"

namespace convlab::nn {

// Batch norm per channel of (N, C, *) (1, 2 or 3 spatial dims, or none): see ops/norm.hpp.
//   y = gamma_c (x - mu_c) / sqrt(sigma^2_c + eps) + beta_c       [course 2, "Fitting Batch Norm into a Neural Network"]
// Parameters "weight" (gamma, starts at 1) and "bias" (beta, starts at 0); buffers "running_mean" (0) and
// "running_var" (1), updated in training and used at test time.
class BatchNorm : public Module {
public:
    explicit BatchNorm(int64_t channels, float momentum = 0.1f, float eps = 1e-5f);
    Tensor forward(const Tensor& x) override;

    Tensor gamma, beta, running_mean, running_var;

private:
    float momentum_, eps_;
};

// Inverted dropout with drop probability p (keep_prob = 1 - p) in training, identity in eval(); see
// ops/norm.hpp. The layer draws its masks from its own Rng, seeded from `rng` when it is made, so a
// network's masks follow from one seed and do not depend on what else uses `rng` later.
class Dropout : public Module {
public:
    Dropout(float p, Rng& rng);
    Tensor forward(const Tensor& x) override;

private:
    float p_;
    Rng rng_;
};

}  // namespace convlab::nn
