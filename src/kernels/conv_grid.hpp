// src/kernels/conv_grid.hpp
//
// Stride-1 convolution on the padded grid: an im2col whose rows are plain runs of memory.
//
// Pad one sample of x with zeros to (n_C, n_D + 2p_D, n_H + 2p_H, n_W + 2p_W) = x_pad, and number its
// points P = (z * N_H + y) * N_W + x (N_H, N_W: the padded sizes). With stride 1, the filter position whose
// window starts at point P reads, through tap (c, u, v, w),
//
//   x_pad[P + off(c, u, v, w)],   off(c, u, v, w) = c * N_D N_H N_W + (u d_D * N_H + v d_H) * N_W + w d_W
//
// so row (c, u, v, w) of cols, over the consecutive points P0 .. P1-1, is x_pad[P0 + off .. P1 + off): one
// contiguous run, where the usual im2col (kernels/im2col.hpp) copies short row segments and checks the
// padding. The price: a window starts at every point up to the last real filter position, also at the
// points (y > out_H - 1 or x > out_W - 1) whose window hangs over the edge; their results are computed and
// dropped (3% more positions for a 64 x 64 image and a 3 x 3 filter with padding 1, 16% for the 3D
// figure's 26^3 output, 30% for its 5^3 filters on 32^3).
//
// x_pad itself is never built: a block of points [P0, P1) reads only x_pad[c, P0 .. P1 + reach) of each
// channel, a window that grid_window pads into a small buffer (with no padding, x is read in place).
//
//   grid_window:        the window of x_pad a block of points reads
//   grid_forward_block: Y (C_out x n) = W * cols for n points, without building cols: gemm's micro-kernel
//                       reads its B panels from the window in place (an implicit gemm)
//   grid_weight_block:  dW += dY * cols^T for n points, one dot product per (o, r) along the points
//   grid_columns:       cols (K x n) itself, for gemm
//   grid_to_positions / grid_from_positions: between points and filter positions l = (i out_H + j) out_W + k.
// The kernels read "cols" through a table of K offsets: row r at point p of the block is x[p + offset[r]].
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "kernels/im2col.hpp"

namespace convlab {

struct ConvGrid {
    ConvGeometry g;
    int64_t padded[3];  // N_D, N_H, N_W: the input's sizes with padding
    int64_t plane;      // N_D N_H N_W: floats of one channel of x_pad
    int64_t points;     // points that start a window: up to and including the last real position
    int64_t reach;      // the largest tap offset within a channel: a window at P reads x_pad up to P + reach
    bool padded_copy() const;  // x_pad differs from x (some padding): windows have to be built
    // off(c, u, v, w) for the K rows, with channels channel_stride floats apart: grid.plane to read x in place
    // (no padding), the window's stride to read a window.
    std::vector<int64_t> offsets(int64_t channel_stride) const;
};

// True when g has stride 1 along every dim: the grid serves it.
bool grid_applies(const ConvGeometry& g);
ConvGrid conv_grid(const ConvGeometry& g);

// window[c * stride + P - P0] = x_pad[c, P] for P in [P0, P0 + length) and every channel c, from one sample
// x (n_C, n_D, n_H, n_W); stride >= length.
void grid_window(const float* x, const ConvGrid& grid, int64_t P0, int64_t length, float* window, int64_t stride);

// W (C_out x K) packed once for grid_forward_block: the panels of gemm's micro-kernel, slice after slice.
Tensor grid_pack_weights(const float* W, int64_t C_out, int64_t K);

// y (C_out x n, row stride ldy) = W cols for n points, with packed_W from grid_pack_weights. Each value is
// summed over K in the same slices whatever the thread count.
void grid_forward_block(const float* packed_W, int64_t C_out, const float* x, const int64_t* offset, int64_t K,
                        int64_t n, float* y, int64_t ldy);

// dW (C_out x K) = beta * dW + dy (C_out x n, row stride ldy) * cols^T for n points, where dy holds dY at the
// points (grid_from_positions). Each dW value is summed in an order that depends on the sizes only.
void grid_weight_block(const float* dy, int64_t ldy, int64_t C_out, const float* x, const int64_t* offset, int64_t K,
                       int64_t n, float beta, float* dW);

// cols (K x n), row-major: cols[r, p] = x[p + offset[r]].
void grid_columns(const float* x, const int64_t* offset, int64_t K, int64_t n, float* cols);

// Y[o, l] = y[o, P - P0] + (b ? b[o] : 0) for every real filter position l among the points [P0, P1).
// Y is (C_out x L), y (C_out x (P1 - P0)) with row stride ldy.
void grid_to_positions(const float* y, int64_t ldy, int64_t C_out, const ConvGrid& grid, int64_t P0, int64_t P1,
                       const float* b, float* Y);
// The other way: y[o, P - P0] = Y[o, l] at the real positions, 0 at the points whose window hangs over.
void grid_from_positions(const float* Y, int64_t C_out, const ConvGrid& grid, int64_t P0, int64_t P1, float* y,
                         int64_t ldy);

}  // namespace convlab
