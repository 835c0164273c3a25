// src/optim/sgd.hpp
//
// Gradient descent with momentum, Nesterov momentum and weight decay (PyTorch's torch.optim.SGD):
//
//   g = dW + weight_decay * W                       (L2 regularisation, lambda = weight_decay)
//   v = momentum * v + g                            (v starts at 0; skipped when momentum = 0)
//   W = W - alpha * g'      with g' = v                       (momentum)
//                                g' = g + momentum * v        (Nesterov: look one step ahead)
//                                g' = g                       (plain gradient descent)
//
// The course writes momentum as v_dW = beta v_dW + (1 - beta) dW, W = W - alpha v_dW: the same method
// with the factor (1 - beta) folded into alpha.              [course 2, "Gradient Descent with Momentum"]
#pragma once

#include "optim/optimizer.hpp"

namespace convlab::optim {

class SGD : public Optimizer {
public:
    SGD(std::vector<Tensor> params, float lr, float momentum = 0.0f, bool nesterov = false,
        float weight_decay = 0.0f);
    void step() override;
    NamedTensors state() const override;  // "velocity.i" per parameter (none without momentum)

    float momentum, weight_decay;
    bool nesterov;

private:
    std::vector<Tensor> velocity_;
};

}  // namespace convlab::optim
