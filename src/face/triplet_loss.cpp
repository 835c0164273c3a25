// src/face/triplet_loss.cpp
//
// Triplet loss.                                                                  [lecture: "Triplet Loss"]
//
//   L(A, P, N) = max(||f(A) - f(P)||^2 - ||f(A) - f(N)||^2 + alpha, 0)
//   J = sum_i L(A^(i), P^(i), N^(i))
//
// From FaceNet (Schroff et al., 2015). Without alpha the network could satisfy d(A, P) <= d(A, N) by
// mapping every face to the same point (both distances 0); the margin forbids that.
#include "face/triplet_loss.hpp"

#include "core/error.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"

namespace convlab {

// f_A, f_P, f_N: (m, D)  ->  shape (), the summed loss.
Tensor triplet_loss(const Tensor& f_A, const Tensor& f_P, const Tensor& f_N, float alpha) {
    check(f_A.ndim() == 2 && f_A.shape() == f_P.shape() && f_A.shape() == f_N.shape(),
          "triplet_loss: expected f(A), f(P), f(N) of the same shape (m, D), got ", f_A.shape_str(), ", ",
          f_P.shape_str(), ", ", f_N.shape_str());
    // BEGIN SOLUTION ch03.triplet_loss
    const Tensor d_AP = sum(square(f_A - f_P), {1});  // (m,)  ||f(A) - f(P)||^2
    const Tensor d_AN = sum(square(f_A - f_N), {1});  // (m,)  ||f(A) - f(N)||^2
    return sum(relu(d_AP - d_AN + alpha));            // sum_i max(d_AP - d_AN + alpha, 0)
    // END SOLUTION
}

}  // namespace convlab
