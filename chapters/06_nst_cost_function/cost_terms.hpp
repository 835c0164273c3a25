// chapters/06_nst_cost_function/cost_terms.hpp
//
// The two terms of J(G) = alpha J_content(C, G) + beta J_style(S, G).           [lecture: "Cost Function"]
// The lecture names them here and defines them in its next two sections, and so does convlab: they are
// declared here, where J(G) and the loop that minimises it need them, and defined in
//   chapters/07_content_cost/content_cost.cpp    J_content                      (exercise ch07.compute_content_cost)
//   chapters/08_style_cost/style_cost.cpp        G^[l], J_style^[l], J_style    (exercises ch08.*)
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// J_content(C, G) = 1/(4 n_H n_W n_C) * sum (a^[l](C) - a^[l](G))^2.      [lecture: "Content Cost Function"]
// a_C, a_G: layer l's activations for C and G, shape (n_C, n_H, n_W)  ->  shape ().
Tensor compute_content_cost(const Tensor& a_C, const Tensor& a_G);

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
