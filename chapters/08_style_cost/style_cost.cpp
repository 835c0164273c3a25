// chapters/08_style_cost/style_cost.cpp
//
// Style as correlation between channels.                                  [lecture: "Style Cost Function"]
// Channel k might fire on vertical lines and channel k' on orange: if they fire together in the
// painting, the generated image should make them fire together too. The Gram matrix counts it.
// [Gatys et al., 2015. A neural algorithm of artistic style]
#include "chapters/06_nst_cost_function/cost_terms.hpp"

#include "core/error.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

// Style matrix (Gram matrix) of one layer's activations.
//
//   G_kk'^[l] = sum_i sum_j a_ijk^[l] * a_ijk'^[l]        (i over n_H, j over n_W; k, k' over n_C)
//
// a: activations of layer l, shape (n_C, n_H, n_W)   ->   G: shape (n_C, n_C), symmetric.
// Large G_kk' means channels k and k' fire together: "vertical lines go with orange".
Tensor gram_matrix(const Tensor& a) {
    check(a.ndim() == 3, "gram_matrix: expected activations (n_C, n_H, n_W), got ", a.shape_str());
    // BEGIN SOLUTION ch08.gram_matrix
    const Tensor A = a.reshape({a.dim(0), a.dim(1) * a.dim(2)});   // (n_C, n_H*n_W)
    return matmul(A, transpose(A));                                 // (n_C, n_C)
    // END SOLUTION
}

// Style cost of one layer.
//
//   J_style^[l](S, G) = 1 / (2 n_H n_W n_C)^2 * sum_k sum_k' (G_kk'^[l](S) - G_kk'^[l](G))^2
//
// G_S: (n_C, n_C), a_G: (n_C, n_H, n_W)  ->  shape ().
// G_S is passed ready-made: the painting does not change, so its Gram matrix is computed once.
Tensor compute_layer_style_cost(const Tensor& G_S, const Tensor& a_G) {
    check(a_G.ndim() == 3 && G_S.shape() == Shape{a_G.dim(0), a_G.dim(0)},
          "compute_layer_style_cost: expected G_S (n_C, n_C) for a_G (n_C, n_H, n_W), got G_S ", G_S.shape_str(),
          " and a_G ", a_G.shape_str());
    // BEGIN SOLUTION ch08.compute_layer_style_cost
    const int64_t n_C = a_G.dim(0), n_H = a_G.dim(1), n_W = a_G.dim(2);
    const Tensor G_G = gram_matrix(a_G);
    const double norm = 2.0 * double(n_H) * double(n_W) * double(n_C);
    return sum(square(G_S - G_G)) / float(norm * norm);
    // END SOLUTION
}

// Style cost over several layers, each weighted by lambda^[l].
//
//   J_style(S, G) = sum_l lambda^[l] * J_style^[l](S, G)
//
// Shallow layers carry colour and fine grain, deep layers larger motifs; weighting several gives both.
Tensor compute_style_cost(const std::vector<Tensor>& G_S, const std::vector<Tensor>& a_G,
                          const std::vector<float>& lambda) {
    check(!G_S.empty() && G_S.size() == a_G.size() && G_S.size() == lambda.size(),
          "compute_style_cost: expected one G_S, a_G and lambda per style layer, got ", G_S.size(), ", ",
          a_G.size(), " and ", lambda.size());
    // BEGIN SOLUTION ch08.compute_style_cost
    Tensor J_style = lambda[0] * compute_layer_style_cost(G_S[0], a_G[0]);
    for (size_t l = 1; l < a_G.size(); ++l) J_style = J_style + lambda[l] * compute_layer_style_cost(G_S[l], a_G[l]);
    return J_style;
    // END SOLUTION
}

}  // namespace convlab
