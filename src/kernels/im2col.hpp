// src/kernels/im2col.hpp
//
// im2col and col2im: how a convolution becomes one matrix product.              [lecture: "Convolutions
//                                                                                over volumes", "1D and 3D"]
// Each column of `cols` holds the input values one filter position sees, so that for one sample
//
//   Y (C_out x n_out) = W (C_out x n_C*f_D*f_H*f_W) * cols (n_C*f_D*f_H*f_W x n_out)
//
// where n_out = out_D*out_H*out_W is the number of filter positions. col2im is its adjoint: it adds every
// column entry back onto the input value it was copied from (the backward pass of im2col).
//
// ONE loop nest serves 1D, 2D and 3D: a 1D or 2D convolution is a 3D one whose leading spatial dims have
// size 1 (n = f = 1, s = d = 1, p = 0). ConvGeometry (kernels/conv_geometry.hpp) holds the sizes so lifted
// to (D, H, W). With groups, these serve one group's channels (ConvGeometry::group()).
#pragma once

#include <cstdint>

#include "kernels/conv_geometry.hpp"

namespace convlab {

// x: (n_C, n_D, n_H, n_W) of one sample  ->  cols: (n_C*f_D*f_H*f_W, out_D*out_H*out_W), row-major.
//   cols[(c, u, v, w), (i, j, k)] = x[c, i*s_D + u*d_D - p_D, j*s_H + v*d_H - p_H, k*s_W + w*d_W - p_W]
// (0 where the index falls in the padding): (u, v, w) is the filter tap, (i, j, k) the filter position.
void im2col_naive(const float* x, const ConvGeometry& g, float* cols);  // the definition, one value at a time

// The adjoint of im2col: x = 0, then x[c, <input index above>] += cols[(c, u, v, w), (i, j, k)]
// for every entry that does not fall in the padding. Overwrites x (n_C, n_D, n_H, n_W).
void col2im_naive(const float* cols, const ConvGeometry& g, float* x);  // the definition

// The fast twins work on a block of columns, the filter positions l in [l0, l1) (l = (i*out_H + j)*out_W + k),
// so that a convolution never holds the whole (K x n_out) matrix (600 MB for VGG's conv1_2 at 512^2):
//   im2col_columns:  cols_block (K x (l1 - l0)) = the columns l0 .. l1-1 of im2col(x), the same bits
//                    as the naive one (copies only); rows in parallel.
//   col2im_add_columns:  x += col2im of those columns (x is NOT zeroed: blocks add up one after the other);
//                    channels in parallel, each channel's sums in the naive order, so the same bits for any
//                    thread count, and over the single block [0, n_out) on a zeroed x, the naive's bits.
void im2col_columns(const float* x, const ConvGeometry& g, int64_t l0, int64_t l1, float* cols);
void col2im_add_columns(const float* cols, const ConvGeometry& g, int64_t l0, int64_t l1, float* x);

}  // namespace convlab
