// chapters/08_style_cost/style_cost.hpp
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// Style matrix G_kk'^[l] = sum_i sum_j a_ijk^[l] a_ijk'^[l].             [lecture: "Style Cost Function"]
// a: (n_C, n_H, n_W)  ->  G: (n_C, n_C), symmetric.
Tensor gram_matrix(const Tensor& a);

// J_style^[l](S, G) = 1/(2 n_H n_W n_C)^2 * sum_k sum_k' (G_kk'^[l](S) - G_kk'^[l](G))^2.
// G_S: the style image's Gram matrix (n_C, n_C), computed once; a_G: G's activations (n_C, n_H, n_W).
Tensor compute_layer_style_cost(const Tensor& G_S, const Tensor& a_G);

// J_style(S, G) = sum_l lambda^[l] J_style^[l](S, G), over the chosen style layers.
// G_S[l], a_G[l] and lambda[l] describe layer l; all three lists have the same length.
Tensor compute_style_cost(const std::vector<Tensor>& G_S, const std::vector<Tensor>& a_G,
                          const std::vector<float>& lambda);

}  // namespace convlab
