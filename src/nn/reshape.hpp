// src/nn/reshape.hpp
//
// Layers that change how activations are laid out, not what they are.
#pragma once

#include "nn/module.hpp"

namespace convlab::nn {

// (N, n_C, n_H, n_W) -> (N, n_C * n_H * n_W): "unroll" the last volume into a vector for the
// fully connected layers (any number of dims after the batch).
class Flatten : public Module {
public:
    Tensor forward(const Tensor& x) override;
};

// f(x) / ||f(x)||_2 along `dim`: the encoding layer of a face network ends on the unit sphere.
// See l2_normalize in ops/distance.hpp.
class L2Normalize : public Module {
public:
    explicit L2Normalize(int dim = 1) : dim_(dim) {}
    Tensor forward(const Tensor& x) override;

private:
    int dim_;
};

}  // namespace convlab::nn
