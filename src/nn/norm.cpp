// src/nn/norm.cpp
#include "nn/norm.hpp"

#include "core/error.hpp"
#include "ops/norm.hpp"

namespace convlab::nn {

BatchNorm::BatchNorm(int64_t channels, float momentum, float eps) : momentum_(momentum), eps_(eps) {
    check(channels > 0, "BatchNorm: channels must be > 0, got ", channels);
    gamma = register_parameter("weight", Tensor::ones({channels}));
    beta = register_parameter("bias", Tensor::zeros({channels}));
    running_mean = register_buffer("running_mean", Tensor::zeros({channels}));
    running_var = register_buffer("running_var", Tensor::ones({channels}));
}

// The running statistics are updated in place, so the registered buffers see the new values.
Tensor BatchNorm::forward(const Tensor& x) {
    return batch_norm(x, gamma, beta, running_mean, running_var, training(), momentum_, eps_);
}

Dropout::Dropout(float p, Rng& rng) : p_(p), rng_(rng.next_u64()) {
    check(p >= 0.0f && p < 1.0f, "Dropout: p must be in [0, 1), got ", p);
}

Tensor Dropout::forward(const Tensor& x) { return dropout(x, p_, training(), rng_); }

}  // namespace convlab::nn
