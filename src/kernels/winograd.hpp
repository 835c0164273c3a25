// src/kernels/winograd.hpp
//
// Winograd's minimal filtering F(2x2x2, 3x3x3): a 3x3x3 convolution (stride 1, dilation 1) computed on
// tiles of 2x2x2 outputs with 64 multiplications per tile and channel pair instead of 8 * 27 = 216.
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016; Winograd, 1980.)
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
// In 3D the same matrices act along each of the three dims of a tile (a 4x4x4 block of the padded input
// starting at an even point: the input of 2x2x2 outputs), and the sum over input channels c moves inside:
//
//   U[xi][c][o] = (G g_oc G^T)[xi]            the filter g_oc = W[o, c] (3x3x3) as 64 numbers, once per call
//   V[xi][t][c] = (B^T d_ct B)[xi]            tile t of channel c of the input as 64 numbers
//   M[xi][t][o] = sum_c V[xi][t][c] U[xi][c][o]    64 matrix products, one per point xi of the 4x4x4 tile
//   Y tile (o, t) = A^T M[.][t][o] A          the 2x2x2 outputs
//
// (xi = (a * 4 + b) * 4 + e for the point (a, b, e) along (D, H, W).) The weight gradient runs it back:
//
//   dM[xi][t][o] = (A dY_ot A^T)[xi]          the tile's 2x2x2 output gradients as 64 numbers
//   dU[xi][c][o] = sum_t V[xi][t][c] dM[xi][t][o]
//   dW[o, c] = G^T dU[.][c][o] G
//
// Every array here is channels-last: the values of one point are n consecutive floats (a channel count
// padded to whole vectors of kWinogradLanes), so the transforms and products run along channel vectors.
// The naive twin of everything here is the direct convolution (ops/conv_naive.cpp); the tests hold the
// Winograd paths of ops/conv.cpp to it (tests/kernels/test_winograd.cpp).
#pragma once

#include <cstdint>

#include "core/tensor.hpp"

namespace convlab {

constexpr int kWinogradPoints = 64;  // 4 x 4 x 4 points xi of a transformed tile
constexpr int kWinogradLanes = 16;   // channel counts are padded to whole 16-float vectors

// Channel count n rounded up to whole vectors.
int64_t winograd_padded(int64_t n);

// U (64, Cp_in, Cp_out): U[xi][c][o] = (G W[o, c] G^T)[xi] from W (C_out, C_in, 3, 3, 3); zero for the
// padding channels c >= C_in or o >= C_out (Cp = winograd_padded(C)).
Tensor winograd_filter_transform(const float* W, int64_t C_out, int64_t C_in);
// dW (C_out, C_in, 3, 3, 3): dW[o, c] = G^T dU[.][c][o] G from dU (64, Cp_in, Cp_out).
void winograd_filter_transform_backward(const float* dU, int64_t C_out, int64_t C_in, float* dW);

// One tile. d(a, b, e) = d + a * sa + b * sb + e * se holds the n channels of input point (a, b, e) of the
// 4x4x4 tile; writes V[xi] = V + xi * sV, n floats each (n a multiple of kWinogradLanes).
void winograd_input_tile(const float* d, int64_t sa, int64_t sb, int64_t se, int64_t n, float* V, int64_t sV);
// M[xi] = M + xi * sM (n floats each) -> the 2x2x2 outputs y(i, j, k) = y + ((i * 2 + j) * 2 + k) * n.
void winograd_output_tile(const float* M, int64_t sM, int64_t n, float* y);
// Its adjoint: dy(i, j, k) = dy + i * sa + j * sb + k * se (n floats) -> dM[xi] = dM + xi * sM.
void winograd_output_tile_backward(const float* dy, int64_t sa, int64_t sb, int64_t se, int64_t n, float* dM,
                                   int64_t sM);

// C (rows x cols) = sum_k A(i, k) B(k, j), plus C itself when `accumulate`, with
//   A(i, k) = a[i * a_row + k * a_step],  B(k, j) = b[k * ldb + j],  C(i, j) = c[i * ldc + j];
// cols a multiple of kWinogradLanes. The products of the algorithm: M[xi] = V[xi] U[xi] (rows = tiles,
// k = input channels) and dU[xi] += V[xi]^T dM[xi] (rows = input channels, k = tiles). Each C value is
// one chain of sums over k in order.
void winograd_product(int64_t rows, int64_t K, int64_t cols, const float* a, int64_t a_row, int64_t a_step,
                      const float* b, int64_t ldb, float* c, int64_t ldc, bool accumulate);

}  // namespace convlab
