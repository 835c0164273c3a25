// chapters/10_conv1d_ecg/nearest_neighbour.hpp
//
// The baseline a ConvNet must beat on a UCR data set: one nearest neighbour under Euclidean distance
// (the archive's own reference number; ECG200: 0.88 accuracy). No training: a test beat gets the label of
// the training beat it is closest to.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// train_X: (M, ...), train_y: M labels, test_X: (N, ...) with the same trailing shape -> N labels.
//   y_hat(x) = train_y[argmin_m d(x, x_m)],   d(x, x') = sqrt(sum_t (x_t - x'_t)^2)   (first m on a tie)
std::vector<int> nearest_neighbour(const Tensor& train_X, const std::vector<int>& train_y, const Tensor& test_X);

// Share of predictions equal to the truth, in [0, 1].
double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth);

}  // namespace convlab
