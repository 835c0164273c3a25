// src/optim/sgd.cpp
#include "optim/sgd.hpp"

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab::optim {

SGD::SGD(std::vector<Tensor> params_in, float lr_in, float momentum_in, bool nesterov_in, float weight_decay_in)
    : Optimizer(std::move(params_in), lr_in), momentum(momentum_in), weight_decay(weight_decay_in),
      nesterov(nesterov_in) {
    check(lr >= 0.0f && momentum >= 0.0f && weight_decay >= 0.0f, "SGD: lr, momentum and weight_decay must be ",
          ">= 0, got ", lr, ", ", momentum, ", ", weight_decay);
    check(!nesterov || momentum > 0.0f, "SGD: Nesterov needs momentum > 0");
    if (momentum > 0.0f)
        for (const Tensor& p : params()) velocity_.push_back(Tensor::zeros(p.shape()));
}

void SGD::step() {
    // BEGIN SOLUTION optim.sgd_step
    NoGradGuard no_grad;
    for (size_t i = 0; i < params().size(); ++i) {
        const Tensor dW = grad_of(i);
        if (!dW.defined()) continue;
        Tensor W = params()[i];
        float* w = W.data();
        const float* g = dW.data();
        float* v = velocity_.empty() ? nullptr : velocity_[i].data();
        const float alpha = lr, mu = momentum, lambda = weight_decay;
        const bool look_ahead = nesterov;
        parallel_for(W.numel(), [=](int64_t lo, int64_t hi) {
            for (int64_t k = lo; k < hi; ++k) {
                float step = g[k] + lambda * w[k];
                if (v) {
                    v[k] = mu * v[k] + step;
                    step = look_ahead ? step + mu * v[k] : v[k];
                }
                w[k] -= alpha * step;
            }
        }, kTaskGrain);  // each value's update reads that value alone: any split, the same bits
    }
    // END SOLUTION
}

NamedTensors SGD::state() const {
    NamedTensors out;
    for (size_t i = 0; i < velocity_.size(); ++i) out.emplace_back("velocity." + std::to_string(i), velocity_[i]);
    return out;
}

}  // namespace convlab::optim
