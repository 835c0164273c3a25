// src/kernels/conv_columns.hpp
//
// Convolution by im2col + gemm (kernels/im2col.hpp, kernels/gemm.hpp), a block of columns (filter positions)
// at a time: for one sample, with K = n_C f_D f_H f_W rows and L = out_D out_H out_W columns,
//
//   Y[n] (C_out x L)  = W (C_out x K) * cols(x[n]) (K x L)                        forward
//   dX[n]             = col2im(W^T (K x C_out) * dY[n] (C_out x L))              input gradient
//   dW (C_out x K)    = sum_n dY[n] (C_out x L) * cols(x[n])^T (L x K)            weight gradient
//
// A sample's whole cols would be K x L floats: 600 MB for VGG's conv1_2 at 512^2 (K = 576, L = 262144). A
// block (K x l) is built by one thread, stays in its cache while gemm packs it, and is overwritten by the
// next block. Groups 1; dense operands (kernels/conv.cpp hands each group over as a convolution of its own).
// Definitions: ops/conv_naive.cpp.
#pragma once

#include <cstdint>

#include "core/tensor.hpp"
#include "kernels/conv_geometry.hpp"

namespace convlab {

// L columns cut into `count` blocks of `size` (the last one shorter).
struct Blocks {
    int64_t size, count;
    int64_t begin(int64_t b) const { return b * size; }
};

// Blocks of whole cache lines of columns, each a K x size block of about kBlockBytes (kernels/cache.hpp),
// and at least min_count of them (as far as blocks of a cache line go).
Blocks column_blocks(int64_t K, int64_t L, int64_t min_count = 1);

// Y (N, C_out, L) = W cols(x) + b (b may be null): task t = (sample n, block of columns [l0, l1)).
void columns_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                     const float* b, float* Y);
// dX (N, n_C, *n): for each sample n (a task: its blocks add into the same dX[n]), dX[n] = 0, then block by
// block dcols (K x l) = W^T dY[n][:, l0:l1], dX[n] += col2im(dcols).
void columns_backward_input(const float* dY, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                            float* dX);
// dW (C_out x K): a sum of steps (kernels/conv_tasks.hpp), one a (sample, block of columns).
Tensor columns_backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out);

}  // namespace convlab
