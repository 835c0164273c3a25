// src/ops/matmul.hpp
#pragma once

#include "core/tensor.hpp"

namespace convlab {

// Y = A B.  A: (..., M, K), B: (..., K, N) -> Y: (..., M, N).
// Leading (batch) dims must match, or one side may be a plain 2-D matrix shared by every batch.
// dA = dY B^T,  dB = A^T dY  (summed over the batch for a shared matrix).
Tensor matmul(const Tensor& A, const Tensor& B);

}  // namespace convlab
