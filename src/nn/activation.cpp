// src/nn/activation.cpp
#include "nn/activation.hpp"

#include "ops/elementwise.hpp"

namespace convlab::nn {

Tensor ReLU::forward(const Tensor& x) { return relu(x); }

Tensor LeakyReLU::forward(const Tensor& x) { return leaky_relu(x, slope_); }

}  // namespace convlab::nn
