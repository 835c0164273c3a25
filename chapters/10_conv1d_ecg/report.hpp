// chapters/10_conv1d_ecg/report.hpp
//
// What the 1D and 3D chapter programs print and draw: a network's shapes layer by layer, the mean and
// spread of accuracies over seeds, heartbeats and learned 1D filters as PNG figures.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "data/ucr.hpp"
#include "nn/module.hpp"

namespace convlab {

// Mean and sample standard deviation sqrt(sum (a_i - mean)^2 / (n - 1)) (0 for one value).
struct Summary {
    double mean = 0.0, std = 0.0;
};
Summary summarize(const std::vector<double>& values);

// A short name for a layer: "conv 7 (16 filters)", "batch norm", "ReLU", "max pool", "linear", ...
std::string layer_name(const nn::Module& layer);

// Runs a zero batch of `input` (engine order, with the batch: (N, n_C, ...)) through the layers of `net`
// in evaluation mode and prints each layer's output shape in the lecture's order (channels last).
void print_layer_shapes(nn::Sequential& net, const Shape& input);

// The first two beats of each class of `set` as one line plot.
void save_beats_plot(const std::string& path, const UcrSet& set, const std::function<std::string(int)>& class_name);

// A conv1d layer's filters W (n_filters, n_C, f): one small plot per filter (its first channel) in a grid.
void save_filters_grid(const std::string& path, const Tensor& W);

}  // namespace convlab
