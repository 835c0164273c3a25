// chapters/11_conv3d_volumes/conv3d_shape.cpp
//
// The convolution of images with one more spatial dim.                  [lecture: "1D and 3D Generalizations"]
// A CT scan is a stack of slices, a movie a stack of frames: a 3D image. A filter f x f x f x n_C slides
// along depth (or time), height and width, and each filter gives one output channel, so 14x14x14x1 with
// 16 filters 5x5x5x1 gives 10x10x10x16, exactly as 14x14 with 16 filters 5x5 gives 10x10x16.
#include "chapters/11_conv3d_volumes/conv3d_shape.hpp"

#include "chapters/10_conv1d_ecg/conv_shape.hpp"
#include "core/error.hpp"
#include "ops/conv.hpp"

namespace convlab {

// Computed, not predicted: a batch of one zero volume goes through the engine's conv3d.
Shape conv3d_shape(const Shape& volume, int64_t n_filters, int64_t f, int64_t stride, int64_t padding) {
    check(volume.size() == 4, "conv3d_shape: expected a volume (n_D, n_H, n_W, n_C), got ", shape_str(volume));
    check(n_filters >= 1 && f >= 1 && stride >= 1 && padding >= 0, "conv3d_shape: expected n_filters, f, s >= 1 and ",
          "p >= 0, got n_filters = ", n_filters, ", f = ", f, ", s = ", stride, ", p = ", padding);
    // BEGIN SOLUTION ch11.conv3d_shape
    const int64_t n_D = volume[0], n_H = volume[1], n_W = volume[2], n_C = volume[3];
    const Tensor x = Tensor::zeros({1, n_C, n_D, n_H, n_W});    // engine order (N, n_C, n_D, n_H, n_W)
    const Tensor W = Tensor::zeros({n_filters, n_C, f, f, f});  // (C_out, C_in, f, f, f)
    return lecture_shape(conv3d(x, W, Tensor{}, stride, padding).shape());
    // END SOLUTION
}

int64_t conv3d_parameters(int64_t n_C, int64_t n_filters, int64_t f) {
    check(n_C >= 1 && n_filters >= 1 && f >= 1, "conv3d_parameters: expected n_C, n_filters, f >= 1, got ", n_C, ", ",
          n_filters, ", ", f);
    // BEGIN SOLUTION ch11.conv3d_parameters
    return (f * f * f * n_C + 1) * n_filters;
    // END SOLUTION
}

}  // namespace convlab
