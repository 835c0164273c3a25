// chapters/06_nst_cost_function/total_cost.cpp
//
// The cost of a generated image G.                                        [lecture: "Cost Function"]
//
//   J(G) = alpha * J_content(C, G) + beta * J_style(S, G)
//
// The first term asks G to look like the content image C, the second to be painted like the style image
// S; alpha and beta set how much each matters. G starts as white noise and gradient descent changes its
// pixels (they are the parameters here, not the network's weights) until J(G) is small.
// [Gatys et al., 2015. A neural algorithm of artistic style]
#include "chapters/06_nst_cost_function/total_cost.hpp"

#include "core/error.hpp"
#include "ops/elementwise.hpp"

namespace convlab {

// J_content, J_style: shape ()  ->  J: shape ()
Tensor total_cost(const Tensor& J_content, const Tensor& J_style, float alpha, float beta) {
    check(J_content.numel() == 1 && J_style.numel() == 1, "total_cost: expected two scalar costs, got ",
          J_content.shape_str(), " and ", J_style.shape_str());
    // BEGIN SOLUTION ch06.total_cost
    return alpha * J_content + beta * J_style;
    // END SOLUTION
}

}  // namespace convlab
