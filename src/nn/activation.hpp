// src/nn/activation.hpp
//
// Activation layers: g(z) applied elementwise, a = g(z).              [course 1, "Activation functions"]
#pragma once

#include "nn/module.hpp"

namespace convlab::nn {

// a = max(0, z)
class ReLU : public Module {
public:
    Tensor forward(const Tensor& x) override;
};

// a = z if z > 0 else slope * z
class LeakyReLU : public Module {
public:
    explicit LeakyReLU(float slope = 0.01f) : slope_(slope) {}
    Tensor forward(const Tensor& x) override;

private:
    float slope_;
};

}  // namespace convlab::nn
