// chapters/05_what_convnets_learn/receptive_field.cpp
//
// Receptive fields: which input pixels a hidden unit can see.     [lecture: "What are deep ConvNets learning"]
//
// A layer-1 unit with a 3x3 filter looks at 3x3 pixels. A layer-2 unit looks at 3x3 layer-1 units, each
// of which saw 3x3 pixels, so it sees 5x5 pixels; every stride-2 pooling doubles the step between units,
// so deeper kernels cover ever larger parts of the image. Along one axis, layer l (kernel k, stride s,
// padding p, dilation d) turns layer l-1's (r, j, start) into
//
//   r_l     = r_{l-1} + (k - 1) * d * j_{l-1}      the window grows by the kernel's extra taps, spaced j apart
//   j_l     = j_{l-1} * s                          steps multiply
//   start_l = start_{l-1} - p * j_{l-1}            padding moves unit 0 left, into the border
//
// starting from the image itself: r_0 = 1, j_0 = 1, start_0 = 0.
// [Zeiler and Fergus, 2013. Visualizing and understanding convolutional networks]
#include "chapters/05_what_convnets_learn/receptive_field.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace convlab {

std::vector<ReceptiveField> receptive_fields(const std::vector<LayerGeometry>& layers) {
    std::vector<ReceptiveField> out;
    out.reserve(layers.size());
    // BEGIN SOLUTION ch05.receptive_field
    long r = 1, j = 1, start = 0;
    for (const LayerGeometry& g : layers) {
        check(g.kernel >= 1 && g.stride >= 1 && g.padding >= 0 && g.dilation >= 1, "receptive_fields: layer ",
              g.name, " needs kernel, stride, dilation >= 1 and padding >= 0, got kernel ", g.kernel, ", stride ",
              g.stride, ", padding ", g.padding, ", dilation ", g.dilation);
        start -= long(g.padding) * j;
        r += long(g.kernel - 1) * g.dilation * j;
        j *= g.stride;
        out.push_back({g.name, r, j, start});
    }
    // END SOLUTION
    return out;
}

Window input_window(const ReceptiveField& rf, long i, long n) {
    const long lo = rf.start + i * rf.jump;
    return {std::max(0L, lo), std::min(n, lo + rf.size)};
}

}  // namespace convlab
