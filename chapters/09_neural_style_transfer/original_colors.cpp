// chapters/09_neural_style_transfer/original_colors.cpp
#include "chapters/09_neural_style_transfer/original_colors.hpp"

#include "core/error.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

Tensor keep_original_colors(const Tensor& G, const Tensor& content) {
    check(G.ndim() == 3 && G.dim(0) == 3 && G.shape() == content.shape(), "keep_original_colors: expected two ",
          "images (3, H, W) of the same size, got ", G.shape_str(), " and ", content.shape_str());
    // RGB -> YIQ (NTSC): Y carries the luminance, I and Q the colour
    const Tensor to_yiq = Tensor::from({3, 3}, {0.299f, 0.587f, 0.114f, 0.596f, -0.274f, -0.322f, 0.211f, -0.523f, 0.312f});
    const Tensor to_rgb = Tensor::from({3, 3}, {1.0f, 0.956f, 0.621f, 1.0f, -0.272f, -0.647f, 1.0f, -1.106f, 1.703f});
    const Shape flat = {3, G.dim(1) * G.dim(2)};
    const Tensor yiq_G = matmul(to_yiq, G.reshape(flat)), yiq_C = matmul(to_yiq, content.reshape(flat));
    const Tensor mixed = concat({slice(yiq_G, 0, 0, 1), slice(yiq_C, 0, 1, 3)}, 0);
    return clamp(matmul(to_rgb, mixed), 0.0f, 1.0f).reshape(G.shape());
}

}  // namespace convlab
