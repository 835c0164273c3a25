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
// size 1 (n = f = 1, s = d = 1, p = 0). ConvGeometry holds the sizes so lifted to (D, H, W).
#pragma once

#include <cstdint>
#include <vector>

namespace convlab {

// The sizes of one sliding-window op (convolution or pooling) seen from one sample, lifted to 3 spatial dims.
struct ConvGeometry {
    int n_spatial = 3;                     // how many of the dims were given (1, 2 or 3)
    int64_t n_C = 1;                       // input channels
    int64_t n[3] = {1, 1, 1};              // input size along (D, H, W)
    int64_t f[3] = {1, 1, 1};              // filter (window) size
    int64_t s[3] = {1, 1, 1};              // stride
    int64_t p[3] = {0, 0, 0};              // padding, before and after
    int64_t d[3] = {1, 1, 1};              // dilation: filter taps d apart
    int64_t out[3] = {1, 1, 1};            // output size: floor((n + 2p - d(f-1) - 1) / s) + 1
    int64_t groups = 1;                    // convolution: the channels in groups of n_C / groups (1: all)

    int64_t in_numel() const { return n[0] * n[1] * n[2]; }
    int64_t kernel_numel() const { return f[0] * f[1] * f[2]; }
    int64_t out_numel() const { return out[0] * out[1] * out[2]; }
    // The rows of one group's cols, the length of one filter: n_C / groups * f_D f_H f_W.
    int64_t col_rows() const { return n_C / groups * kernel_numel(); }
    // The same window over one group's channels alone (groups 1, n_C / groups channels).
    ConvGeometry group() const;
    // A 1x1 filter with stride 1 and no padding reads x as it is: cols would be a copy of x.
    bool cols_are_input() const;
    // (N, C, *out) with only the n_spatial given dims of out: the shape of the op's result.
    std::vector<int64_t> out_shape(int64_t N, int64_t C) const;
};

// Builds and validates the geometry of a sliding window over spatial sizes `n` (1 to 3 of them).
// stride, padding and dilation each have one value per spatial dim. Throws convlab::Error naming `op` when
// a size is not positive, the stride or dilation is < 1, the padding negative, or the dilated window
// d(f-1)+1 is larger than the padded input n + 2p.
ConvGeometry conv_geometry(const char* op, int64_t n_C, const std::vector<int64_t>& n,
                           const std::vector<int64_t>& f, const std::vector<int64_t>& stride,
                           const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation);

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
