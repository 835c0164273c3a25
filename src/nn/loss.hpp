// src/nn/loss.hpp
//
// Losses: one number J that training drives down. Each returns a scalar tensor (shape ()) that can be
// backward()-ed, averaged over every element (mse, bce) or over the N examples (cross-entropy).
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// J = mean (y_hat - y)^2       over all elements; y_hat and y of the same shape.
Tensor mse_loss(const Tensor& y_hat, const Tensor& y);

// Binary cross-entropy on the logit z (before the sigmoid), y in [0, 1], same shape:
//   J = mean [ -y log sigmoid(z) - (1 - y) log(1 - sigmoid(z)) ]
//     = mean [ max(z, 0) - z y + log(1 + e^-|z|) ]       (the same value, no overflow for any z)
// Face verification as binary classification: y_hat = sigmoid(sum_k w_k |f(x_i)_k - f(x_j)_k| + b).
//                                                   [lecture: "Face Verification and Binary Classification"]
// Backward: dz = (sigmoid(z) - y) / n,  dy = -z / n   (n = number of elements).
Tensor bce_with_logits(const Tensor& z, const Tensor& y);

// logits: (N, K), labels: N class indices in [0, K):
//   J = (1/N) sum_i -log softmax(logits_i)[label_i]                   [course 2, "Training a Softmax Classifier"]
Tensor softmax_cross_entropy(const Tensor& logits, const std::vector<int>& labels);

}  // namespace convlab
