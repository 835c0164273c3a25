// src/nn/linear.cpp
#include "nn/linear.hpp"

#include "core/error.hpp"
#include "nn/init.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/shape_ops.hpp"

namespace convlab::nn {

Linear::Linear(int64_t in, int64_t out, Rng& rng, bool bias) : in_(in), out_(out) {
    check(in > 0 && out > 0, "Linear: sizes must be > 0, got in ", in, ", out ", out);
    Tensor w = Tensor::empty({out, in});
    W = register_parameter("weight", kaiming_normal_(w, in, rng));
    if (bias) b = register_parameter("bias", Tensor::zeros({out}));
}

Tensor Linear::forward(const Tensor& x) {
    check(x.ndim() >= 2 && x.dim(-1) == in_, "Linear(", in_, ", ", out_, "): expected input (N, ", in_,
          "), got shape ", x.shape_str());
    const Tensor y = matmul(x, transpose(W));  // (N, in) (in, out) -> (N, out)
    return b.defined() ? y + b : y;
}

}  // namespace convlab::nn
