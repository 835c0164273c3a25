// src/kernels/winograd.hpp
//
// Winograd's minimal filtering F(2x2, 3x3) and F(2x2x2, 3x3x3): a 3x3 (3x3x3) convolution (stride 1,
// dilation 1) computed on tiles of 2x2 (2x2x2) outputs with 16 (64) multiplications per tile and channel
// pair instead of 4 * 9 = 36 (8 * 27 = 216). (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016; Winograd, 1980.)
//
// In 1D, F(2, 3): two outputs of a 3-tap filter g over 4 inputs d,
//   y_0 = d_0 g_0 + d_1 g_1 + d_2 g_2,   y_1 = d_1 g_0 + d_2 g_1 + d_3 g_2,
// are  y = A^T [ (G g) * (B^T d) ]  (* elementwise, 4 products instead of 6) with
//
//   B^T = [1  0 -1  0]      G = [ 1    0    0 ]      A^T = [1 1  1  0]
//         [0  1  1  0]          [1/2  1/2  1/2]            [0 1 -1 -1]
//         [0 -1  1  0]          [1/2 -1/2  1/2]
//         [0  1  0 -1]          [ 0    0    1 ]
//
// In `rank` = 2 or 3 dims the same matrices act along each dim of a tile (a 4x4 or 4x4x4 block of the
// padded input starting at an even point: the input of 2x2 or 2x2x2 outputs), and the sum over input
// channels c moves inside. With P = 4^rank points xi per tile (16 or 64):
//
//   U[xi][c][o] = (G g_oc G^T)[xi]            the filter g_oc = W[o, c] (3x3 or 3x3x3) as P numbers, once
//   V[xi][t][c] = (B^T d_ct B)[xi]            tile t of channel c of the input as P numbers
//   M[xi][t][o] = sum_c V[xi][t][c] U[xi][c][o]    P matrix products, one per point xi of the tile
//   Y tile (o, t) = A^T M[.][t][o] A          the 2x2 or 2x2x2 outputs
//
// (xi = a * 4 + e for the point (a, e) along (H, W) in 2D; xi = (a * 4 + b) * 4 + e for (a, b, e) along
// (D, H, W) in 3D.) The weight gradient runs it back:
//
//   dM[xi][t][o] = (A dY_ot A^T)[xi]          the tile's output gradients as P numbers
//   dU[xi][c][o] = sum_t V[xi][t][c] dM[xi][t][o]
//   dW[o, c] = G^T dU[.][c][o] G
//
// Every array here is channels-last and cut into chunks of one vector: the channels are padded to whole
// vectors of kWinogradLanes = 16, and channel c of a point lies in chunk c / 16, at lane c % 16, the chunks
// one after the other (array[chunk][...][lane]). So the transforms and products run along vectors of
// channels, and every address in their inner loops is a compile-time offset from a few pointers.
// The naive twin of everything here is the direct convolution (ops/conv_naive.cpp); the tests hold the
// Winograd paths of kernels/conv.cpp to it (tests/kernels/test_winograd.cpp).
#pragma once

#include <cstdint>

#include "core/tensor.hpp"

namespace convlab {

constexpr int kWinogradLanes = 16;  // channels per vector: one AVX-512 register of floats

// Points xi of a transformed tile of `rank` dims (2 or 3): 4 x 4 or 4 x 4 x 4.
constexpr int winograd_points(int rank) { return rank == 2 ? 16 : 64; }
// One tile of a block of V, M or dM (per chunk): its points, plus one vector so that consecutive tiles are
// not a power of two apart (64 points are 4 KB: the product reads 14 tiles at once, an L1 set holds 12 lines).
constexpr int64_t winograd_tile_floats(int rank) { return (winograd_points(rank) + 1) * kWinogradLanes; }

// Channel count n rounded up to whole vectors.
int64_t winograd_padded(int64_t n);

// U and dU hold one (Cp x Op) matrix per point xi, Cp Op floats apart, stored in panels of kWinogradPanel
// columns (the last one may be a single vector), each panel's rows one after the other: so the products
// read and write every panel as one stream. (Rows of all Op columns, 2 KB apart for 512 channels, would
// leave the prefetchers two lines per page.)
constexpr int64_t kWinogradPanel = 2 * kWinogradLanes;
// Where entry (c, o) of a point's matrix lies: in the panel of columns o0 = o - o % kWinogradPanel, which
// starts at o0 Cp and has rows of winograd_panel_width(Op, o0) floats.
inline int64_t winograd_panel_width(int64_t Op, int64_t o0) {
    return Op - o0 < kWinogradPanel ? Op - o0 : kWinogradPanel;
}
inline int64_t winograd_panel_index(int64_t Cp, int64_t Op, int64_t c, int64_t o) {
    const int64_t o0 = o - o % kWinogradPanel;
    return o0 * Cp + c * winograd_panel_width(Op, o0) + (o - o0);
}

// U (P, Cp_in, Cp_out) in panels: U[xi][c][o] = (G W[o, c] G^T)[xi] from W (C_out, C_in, 3, 3) in 2D or
// (C_out, C_in, 3, 3, 3) in 3D; zero for the padding channels c >= C_in or o >= C_out (Cp = winograd_padded(C)).
Tensor winograd_filter_transform(int rank, const float* W, int64_t C_out, int64_t C_in);
// dW (C_out, C_in, 3, 3[, 3]): dW[o, c] = G^T dU[.][c][o] G from dU (P, Cp_in, Cp_out) in panels.
void winograd_filter_transform_backward(int rank, const float* dU, int64_t C_out, int64_t C_in, float* dW);

// One tile, `chunks` vectors of channels. Input point (a, b, e) of the 4x4x4 tile is at
// d + a * sa + b * sb + e * 16 (chunk q: + q * d_chunk); in 2D the point (a, e) of the 4x4 tile is at
// d + a * sa + e * 16 (sb unused). Writes point xi of V at V + xi * 16 (+ q * V_chunk).
void winograd_input_tile(int rank, const float* d, int64_t sa, int64_t sb, int64_t d_chunk, int64_t chunks,
                         float* V, int64_t V_chunk);
// M (point xi at M + xi * 16, + q * M_chunk) -> the 2x2x2 (2x2) outputs plus bias (chunks * 16 floats):
// y(i, j, k) at y + i * sa + j * sb + k * 16 (+ q * y_chunk); in 2D y(i, k) at y + i * sa + k * 16.
void winograd_output_tile(int rank, const float* M, int64_t M_chunk, int64_t chunks, const float* bias, float* y,
                          int64_t sa, int64_t sb, int64_t y_chunk);
// Its adjoint: dy(i, j, k) at dy + i * sa + j * sb + k * 16 (2D: dy(i, k) at dy + i * sa + k * 16, + q *
// dy_chunk) -> dM as M above.
void winograd_output_tile_backward(int rank, const float* dy, int64_t sa, int64_t sb, int64_t dy_chunk,
                                   int64_t chunks, float* dM, int64_t dM_chunk);

// Between the channels-first tensors and the channels-last arrays above, 16 x 16 at a time:
//   to lanes:    out[j * 16 + i] = in[i * ldi + j]  for j < points (<= 16), every i < 16: i < channels from
//                `channels` rows of in (ldi apart), 0 for the others
//   from lanes:  out[j * ldo + i] = in[i * 16 + j]  for i < points, j < channels (both <= 16)
void winograd_to_lanes(const float* in, int64_t ldi, int channels, int points, float* out);
void winograd_from_lanes(const float* in, int points, int channels, float* out, int64_t ldo);

// The products of one point xi over a block of tiles. V, M and dM hold the block's tiles
// winograd_tile_floats(rank) apart, their chunks s_chunk apart, and point xi first (V = block's V + xi * 16);
// U and dU are the point's (Cp x Op) matrix, in panels:
//   forward:   M[t][o] = sum_c V[t][c] U[c][o]                  (for the tiles t < tiles)
//   backward:  dU[c][o] = sum_t V[t][c] dM[t][o], plus dU itself when `accumulate`.
// Each value is one chain of sums over c or t in order. Only the tiles' spacing depends on the rank.
void winograd_multiply(int rank, int64_t tiles, int64_t Cp, int64_t Op, const float* V, int64_t s_chunk,
                       const float* U, float* M);
void winograd_multiply_backward(int rank, int64_t tiles, int64_t Cp, int64_t Op, const float* V, const float* dM,
                                int64_t s_chunk, float* dU, bool accumulate);

}  // namespace convlab
