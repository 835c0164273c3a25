// chapters/07_content_cost/content_cost.hpp
#pragma once

#include "core/tensor.hpp"

namespace convlab {

// J_content(C, G) = 1/(4 n_H n_W n_C) * sum (a^[l](C) - a^[l](G))^2.      [lecture: "Content Cost Function"]
// a_C, a_G: layer l's activations for C and G, shape (n_C, n_H, n_W)  ->  shape ().
Tensor compute_content_cost(const Tensor& a_C, const Tensor& a_G);

}  // namespace convlab
