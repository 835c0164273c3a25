// chapters/10_conv1d_ecg/conv_shape.cpp
//
// The same convolution as on images, with one spatial dim instead of two.  [lecture: "1D and 3D Generalizations"]
// A 14 x 14 image and 16 filters 5 x 5 give 10 x 10 x 16; a 14-sample signal and 16 filters of size 5
// give 10 x 16: the filter slides along time only, and each filter makes one output channel.
#include "chapters/10_conv1d_ecg/conv_shape.hpp"

#include "core/error.hpp"
#include "ops/conv.hpp"

namespace convlab {

// n: inputs along one axis, f: filter size, s: stride, p: zero padding on each side.
//   n_out = floor((n + 2p - f) / s) + 1
// The last position starts at (n_out - 1) s and must end inside the padded input: (n_out - 1) s + f <= n + 2p.
int64_t conv_output_size(int64_t n, int64_t f, int64_t stride, int64_t padding) {
    check(n >= 1 && f >= 1 && stride >= 1 && padding >= 0, "conv_output_size: expected n, f, s >= 1 and p >= 0, got n = ",
          n, ", f = ", f, ", s = ", stride, ", p = ", padding);
    check(f <= n + 2 * padding, "conv_output_size: filter of size ", f, " does not fit in ", n,
          " inputs padded by ", padding, " on each side");
    // BEGIN SOLUTION ch10.conv_output_size
    return (n + 2 * padding - f) / stride + 1;
    // END SOLUTION
}

Shape lecture_shape(const Shape& engine_shape) {
    check(engine_shape.size() >= 3, "lecture_shape: expected (N, n_C, spatial...), got ", shape_str(engine_shape));
    Shape out(engine_shape.begin() + 2, engine_shape.end());
    out.push_back(engine_shape[1]);
    return out;
}

std::string dims_str(const Shape& shape) {
    std::string out;
    for (const int64_t n : shape) out += (out.empty() ? "" : " x ") + std::to_string(n);
    return out;
}

// Input (n, n_C) and n_filters filters of shape (f, n_C)  ->  output (n_out, n_filters), n_out as above.
// Computed, not predicted: a batch of one zero signal goes through the engine's conv1d.
Shape conv1d_shape(int64_t n, int64_t n_C, int64_t n_filters, int64_t f, int64_t stride, int64_t padding) {
    check(n >= 1 && n_C >= 1 && n_filters >= 1 && f >= 1 && stride >= 1 && padding >= 0,
          "conv1d_shape: expected n, n_C, n_filters, f, s >= 1 and p >= 0, got n = ", n, ", n_C = ", n_C,
          ", n_filters = ", n_filters, ", f = ", f, ", s = ", stride, ", p = ", padding);
    // BEGIN SOLUTION ch10.conv1d_shape
    const Tensor x = Tensor::zeros({1, n_C, n});          // engine order (N, n_C, n)
    const Tensor W = Tensor::zeros({n_filters, n_C, f});  // (C_out, C_in, f)
    return lecture_shape(conv1d(x, W, Tensor{}, stride, padding).shape());
    // END SOLUTION
}

}  // namespace convlab
