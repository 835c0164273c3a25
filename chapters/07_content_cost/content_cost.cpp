// chapters/07_content_cost/content_cost.cpp
//
// Content cost: how far the generated image's layer-l activations are from the content image's.
//                                                                         [lecture: "Content Cost Function"]
//
//   J_content(C, G) = 1 / (4 n_H n_W n_C) * sum_{i,j,k} (a_ijk^[l](C) - a_ijk^[l](G))^2
//
// A shallow l pins the pixels (G must copy C exactly); a deep l only asks that the same complex features
// appear, roughly where they were ("if C has a door, G has a door"). [Gatys et al., 2015]
#include "chapters/06_nst_cost_function/cost_terms.hpp"

#include "core/error.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"

namespace convlab {

// a_C, a_G: (n_C, n_H, n_W)  ->  J_content: shape ()
Tensor compute_content_cost(const Tensor& a_C, const Tensor& a_G) {
    check(a_C.ndim() == 3 && a_C.shape() == a_G.shape(), "compute_content_cost: expected a_C and a_G of the same ",
          "shape (n_C, n_H, n_W), got ", a_C.shape_str(), " and ", a_G.shape_str());
    // BEGIN SOLUTION ch07.compute_content_cost
    const int64_t n_C = a_G.dim(0), n_H = a_G.dim(1), n_W = a_G.dim(2);
    return sum(square(a_C - a_G)) / float(4 * n_H * n_W * n_C);
    // END SOLUTION
}

}  // namespace convlab
