// src/kernels/conv_geometry.hpp
//
// The sizes of a sliding window (convolution or pooling) over 1, 2 or 3 spatial dims, lifted to 3: a 1D or
// 2D window is a 3D one whose leading dims have size 1 (n = f = 1, s = d = 1, p = 0), so one loop nest
// serves all three. ops/conv.cpp builds it from the shapes and ConvParams and validates them; every
// convolution kernel (kernels/conv.hpp and below) and the pooling ops take it.
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
    // (N, n_C, *n) and (C_out, n_C / groups, *f) likewise: the shapes of x and W.
    std::vector<int64_t> in_shape(int64_t N) const;
    std::vector<int64_t> filter_shape(int64_t C_out) const;
};

// Builds and validates the geometry of a sliding window over spatial sizes `n` (1 to 3 of them).
// stride, padding and dilation each have one value per spatial dim. Throws convlab::Error naming `op` when
// a size is not positive, the stride or dilation is < 1, the padding negative, or the dilated window
// d(f-1)+1 is larger than the padded input n + 2p.
ConvGeometry conv_geometry(const char* op, int64_t n_C, const std::vector<int64_t>& n,
                           const std::vector<int64_t>& f, const std::vector<int64_t>& stride,
                           const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation);

}  // namespace convlab
