// chapters/09_neural_style_transfer/original_colors.hpp
#pragma once

#include "core/tensor.hpp"

namespace convlab {

// --original-colors: G's luminance with the content image's colours (YIQ; Gatys et al. 2016,
// "Preserving color in neural artistic style transfer"). G, content: (3, H, W) -> (3, H, W).
Tensor keep_original_colors(const Tensor& G, const Tensor& content);

}  // namespace convlab
