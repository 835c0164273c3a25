// src/optim/adam.hpp
//
// Adam: momentum and RMSprop together, with bias correction.        [course 2, "Adam Optimization Algorithm"]
// For each parameter W with gradient dW, at its step t = 1, 2, ...:
//
//   V_dW = beta1 V_dW + (1 - beta1) dW              (first moment, the momentum term; starts at 0)
//   S_dW = beta2 S_dW + (1 - beta2) dW^2            (second moment, the RMSprop term; starts at 0)
//   V_corr = V_dW / (1 - beta1^t),   S_corr = S_dW / (1 - beta2^t)
//   W = W - alpha V_corr / (sqrt(S_corr) + eps)
//
// Weight decay lambda: by default (Adam with L2) dW is replaced by dW + lambda W before the moments;
// with decoupled = true (AdamW, Loshchilov & Hutter 2019) the moments see dW alone and the step first
// shrinks W = W - alpha lambda W.
#pragma once

#include "optim/optimizer.hpp"

namespace convlab::optim {

class Adam : public Optimizer {
public:
    Adam(std::vector<Tensor> params, float lr, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
         float weight_decay = 0.0f, bool decoupled = false);
    void step() override;
    // "t" (one step count per parameter, shape (P,)), then "V_dW.i" and "S_dW.i" per parameter.
    NamedTensors state() const override;

    float beta1, beta2, eps, weight_decay;
    bool decoupled;

private:
    Tensor t_;  // (P,): steps taken by each parameter (those without a gradient skip a step)
    std::vector<Tensor> V_, S_;
};

}  // namespace convlab::optim
