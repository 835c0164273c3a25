// src/nn/linear.hpp
//
// Fully connected layer:  y = x W^T + b                        [course 1: z^[l] = W^[l] a^[l-1] + b^[l]]
// x: (N, in) (or (..., in)),  W: (out, in),  b: (out,)  ->  y: (N, out). The lecture's column-vector
// z = W a + b is the same product with the batch laid out in rows.
#pragma once

#include "core/random.hpp"
#include "nn/module.hpp"

namespace convlab::nn {

class Linear : public Module {
public:
    // W ~ kaiming_normal_ with fan_in = in (the layers of these networks feed ReLUs); b = 0.
    Linear(int64_t in, int64_t out, Rng& rng, bool bias = true);
    Tensor forward(const Tensor& x) override;

    Tensor W, b;  // b is undefined without bias

private:
    int64_t in_, out_;
};

}  // namespace convlab::nn
