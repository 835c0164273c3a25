// src/kernels/conv_geometry.cpp
#include "kernels/conv_geometry.hpp"

#include "core/error.hpp"

namespace convlab {

bool ConvGeometry::cols_are_input() const {
    for (int a = 0; a < 3; ++a)
        if (f[a] != 1 || s[a] != 1 || p[a] != 0) return false;
    return true;
}

ConvGeometry ConvGeometry::group() const {
    ConvGeometry one = *this;
    one.n_C = n_C / groups;
    one.groups = 1;
    return one;
}

namespace {

// (a, b, the given dims of sizes)
std::vector<int64_t> shape_of(int64_t a, int64_t b, const int64_t* sizes, int n_spatial) {
    std::vector<int64_t> shape{a, b};
    shape.insert(shape.end(), sizes + 3 - n_spatial, sizes + 3);
    return shape;
}

}  // namespace

std::vector<int64_t> ConvGeometry::out_shape(int64_t N, int64_t C) const { return shape_of(N, C, out, n_spatial); }
std::vector<int64_t> ConvGeometry::in_shape(int64_t N) const { return shape_of(N, n_C, n, n_spatial); }
std::vector<int64_t> ConvGeometry::filter_shape(int64_t C_out) const {
    return shape_of(C_out, n_C / groups, f, n_spatial);
}

ConvGeometry conv_geometry(const char* op, int64_t n_C, const std::vector<int64_t>& n, const std::vector<int64_t>& f,
                           const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                           const std::vector<int64_t>& dilation) {
    const size_t k = n.size();
    check(k >= 1 && k <= 3, op, ": expected 1, 2 or 3 spatial dims, got ", k);
    check(f.size() == k && stride.size() == k && padding.size() == k && dilation.size() == k, op, ": ", k,
          " spatial dims but ", f.size(), " window sizes, ", stride.size(), " strides, ", padding.size(),
          " paddings and ", dilation.size(), " dilations");
    check(n_C >= 1, op, ": expected at least 1 channel, got ", n_C);
    ConvGeometry g;
    g.n_spatial = static_cast<int>(k);
    g.n_C = n_C;
    for (size_t i = 0; i < k; ++i) {
        const size_t a = 3 - k + i;  // lifted position: the last k of (D, H, W)
        g.n[a] = n[i], g.f[a] = f[i], g.s[a] = stride[i], g.p[a] = padding[i], g.d[a] = dilation[i];
        check(n[i] >= 1 && f[i] >= 1, op, ": spatial dim ", i, " has input size ", n[i], " and window size ", f[i],
              "; both must be >= 1");
        check(stride[i] >= 1 && dilation[i] >= 1 && padding[i] >= 0, op, ": spatial dim ", i, " has stride ",
              stride[i], ", padding ", padding[i], ", dilation ", dilation[i],
              "; expected stride >= 1, padding >= 0, dilation >= 1");
        const int64_t extent = dilation[i] * (f[i] - 1) + 1, padded = n[i] + 2 * padding[i];
        check(extent <= padded, op, ": along spatial dim ", i, " the window (size ", f[i], ", dilation ",
              dilation[i], ": extent ", extent, ") is larger than the padded input (size ", n[i], ", padding ",
              padding[i], ": ", padded, ")");
        g.out[a] = (padded - extent) / stride[i] + 1;
    }
    return g;
}

}  // namespace convlab
