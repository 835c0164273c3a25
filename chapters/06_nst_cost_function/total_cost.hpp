// chapters/06_nst_cost_function/total_cost.hpp
#pragma once

#include "core/tensor.hpp"

namespace convlab {

// J(G) = alpha J_content(C, G) + beta J_style(S, G).                      [lecture: "Cost Function"]
// J_content, J_style: shape ()  ->  J: shape ().  The course's defaults: alpha = 10, beta = 40.
Tensor total_cost(const Tensor& J_content, const Tensor& J_style, float alpha = 10.0f, float beta = 40.0f);

}  // namespace convlab
