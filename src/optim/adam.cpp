// src/optim/adam.cpp
#include "optim/adam.hpp"

#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab::optim {

Adam::Adam(std::vector<Tensor> params_in, float lr_in, float beta1_in, float beta2_in, float eps_in,
           float weight_decay_in, bool decoupled_in)
    : Optimizer(std::move(params_in), lr_in), beta1(beta1_in), beta2(beta2_in), eps(eps_in),
      weight_decay(weight_decay_in), decoupled(decoupled_in) {
    check(lr >= 0.0f && eps > 0.0f && weight_decay >= 0.0f, "Adam: needs lr >= 0, eps > 0, weight_decay >= 0, ",
          "got ", lr, ", ", eps, ", ", weight_decay);
    check(beta1 >= 0.0f && beta1 < 1.0f && beta2 >= 0.0f && beta2 < 1.0f, "Adam: betas must lie in [0, 1), got ",
          beta1, " and ", beta2);
    t_ = Tensor::zeros({static_cast<int64_t>(params().size())});
    for (const Tensor& p : params()) {
        V_.push_back(Tensor::zeros(p.shape()));
        S_.push_back(Tensor::zeros(p.shape()));
    }
}

void Adam::step() {
    NoGradGuard no_grad;
    for (size_t i = 0; i < params().size(); ++i) {
        const Tensor dW = grad_of(i);
        if (!dW.defined()) continue;
        const float t = (t_.data()[i] += 1.0f);
        Tensor W = params()[i];
        float *w = W.data(), *V = V_[i].data(), *S = S_[i].data();
        const float* g = dW.data();
        const float b1 = beta1, b2 = beta2, epsilon = eps, alpha = lr;
        const float l2 = decoupled ? 0.0f : weight_decay;         // folded into the gradient
        const float shrink = decoupled ? 1.0f - lr * weight_decay : 1.0f;  // AdamW's separate decay
        const float correct1 = static_cast<float>(1.0 - std::pow(double(beta1), double(t)));
        const float correct2 = static_cast<float>(1.0 - std::pow(double(beta2), double(t)));
        parallel_for(W.numel(), [=](int64_t lo, int64_t hi) {
            for (int64_t k = lo; k < hi; ++k) {
                const float grad = g[k] + l2 * w[k];
                V[k] = b1 * V[k] + (1.0f - b1) * grad;
                S[k] = b2 * S[k] + (1.0f - b2) * grad * grad;
                w[k] = shrink * w[k] - alpha * (V[k] / correct1) / (std::sqrt(S[k] / correct2) + epsilon);
            }
        }, kTaskGrain);  // each value's update reads that value alone: any split, the same bits
    }
}

NamedTensors Adam::state() const {
    NamedTensors out{{"t", t_}};
    for (size_t i = 0; i < V_.size(); ++i) {
        out.emplace_back("V_dW." + std::to_string(i), V_[i]);
        out.emplace_back("S_dW." + std::to_string(i), S_[i]);
    }
    return out;
}

}  // namespace convlab::optim
