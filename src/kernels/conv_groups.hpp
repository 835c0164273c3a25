// src/kernels/conv_groups.hpp
//
// A grouped convolution as G convolutions of their own (kernels/conv.cpp): group q reads the channels
// [q C/G, (q+1) C/G) of x (or dY) and writes those of Y (or dX), with the filters W[q O .. (q+1) O) (O =
// C_out/G), which are dense in W already. For one sample a group's channels are dense too; for a batch they
// are copied out to a dense (N, C/G, *n) buffer and back.
#pragma once

#include <cstdint>

#include "core/tensor.hpp"
#include "kernels/conv_geometry.hpp"

namespace convlab {

// The channels of a dense (N, C, plane) tensor, in G groups of C/G.
class GroupChannels {
public:
    GroupChannels(int64_t N, int64_t C, int64_t G, int64_t plane) : N_(N), C_(C), count_(C / G), plane_(plane) {}
    // Floats of one group: N C/G plane.
    int64_t floats() const { return N_ * count_ * plane_; }
    // Group q of t as a dense (N, C/G, plane) tensor: in t itself for one sample, else copied to buffer.
    const float* read(const float* t, int64_t q, float* buffer) const;
    // Where to write group q of t: t itself for one sample, else buffer, to be copied by write_back.
    float* target(float* t, int64_t q, float* buffer) const { return N_ == 1 ? t + q * count_ * plane_ : buffer; }
    void write_back(const float* buffer, float* t, int64_t q) const;

private:
    // dst[n * dst_stride + i] = src[n * src_stride + i] for the N samples and i < C/G plane.
    void copy_runs(const float* src, int64_t src_stride, float* dst, int64_t dst_stride) const;
    int64_t N_, C_, count_, plane_;
};

// The groups of one call: each a convolution (groups 1) of O = C_out/G outputs over `one`, one group's
// channels, with its inputs and outputs dense in the buffer (when not in place).
struct GroupRuns {
    int64_t G, O;
    ConvGeometry one;
    GroupChannels in, out;  // x or dX; Y or dY
    Tensor buffer;          // in's group, then out's

    GroupRuns(int64_t N, const ConvGeometry& g, int64_t C_out);
    float* in_buffer() { return buffer.data(); }
    float* out_buffer() { return buffer.data() + in.floats(); }
    // Group q's filters in W (C_out, n_C/G, *f).
    const float* filters(const float* W, int64_t q) const { return W + q * O * one.col_rows(); }
};

}  // namespace convlab
