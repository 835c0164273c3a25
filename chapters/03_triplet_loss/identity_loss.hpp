// chapters/03_triplet_loss/identity_loss.hpp
//
// An identification term trained beside the triplet loss. The lecture sets the softmax over the known
// people aside because a company has one photo per employee ("Face Verification ... One-Shot Learning"):
// at test time that still holds, nothing here classifies a test face. But while training, the 30 training
// people each have several photos, and a softmax over *them* is one more signal that pulls the photos of
// one person together and pushes the people apart (DeepID2, Sun et al. 2014, trained identification and
// verification jointly). The head W is thrown away after training: f(x) alone is the encoder.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// The weight of the identification term and the scale of its logits (see identity_loss).
struct IdentityTerm {
    float lambda = 0;    // J = J_triplet + lambda * J_id; 0 leaves the triplet loss alone
    float scale = 16;    // s: f(x) and W_k have unit length, so the logits lie in [-s, s]
};

// E: (N, D) encodings f(x_i) (unit rows), W: (K, D) one row per training person, labels: N person indices
// in [0, K). The cosine softmax (NormFace, Wang et al. 2017):
//   z_ik = s * f(x_i) . W_k / ||W_k||                         (s times the cosine of the angle)
//   J_id = (1/N) sum_i -log( exp(z_i,y_i) / sum_k exp(z_ik) )
// Normalising W_k keeps the logits comparable across people; with f(x) already on the unit sphere, a
// plain softmax would be capped at logits of +-||W_k||, and s sets that cap explicitly.
Tensor identity_loss(const Tensor& E, const Tensor& W, const std::vector<int>& labels, float s);

}  // namespace convlab
