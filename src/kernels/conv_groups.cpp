// src/kernels/conv_groups.cpp
#include "kernels/conv_groups.hpp"

#include <algorithm>

#include "core/parallel.hpp"

namespace convlab {

const float* GroupChannels::read(const float* t, int64_t q, float* buffer) const {
    if (N_ == 1) return t + q * count_ * plane_;
    copy_runs(t + q * count_ * plane_, C_ * plane_, buffer, count_ * plane_);
    return buffer;
}

void GroupChannels::write_back(const float* buffer, float* t, int64_t q) const {
    if (N_ > 1) copy_runs(buffer, count_ * plane_, t + q * count_ * plane_, C_ * plane_);
}

void GroupChannels::copy_runs(const float* src, int64_t src_stride, float* dst, int64_t dst_stride) const {
    const int64_t run = count_ * plane_;
    parallel_for(N_, [&](int64_t n0, int64_t n1) {
        for (int64_t n = n0; n < n1; ++n) std::copy(src + n * src_stride, src + n * src_stride + run, dst + n * dst_stride);
    }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(1, run)));
}

GroupRuns::GroupRuns(int64_t N, const ConvGeometry& g, int64_t C_out)
    : G(g.groups), O(C_out / g.groups), one(g.group()), in(N, g.n_C, G, g.in_numel()),
      out(N, C_out, G, g.out_numel()), buffer(Tensor::empty({N > 1 ? in.floats() + out.floats() : 0})) {}

}  // namespace convlab
