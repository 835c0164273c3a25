// chapters/05_what_convnets_learn/receptive_field.hpp
#pragma once

#include <string>
#include <vector>

namespace convlab {

// What one layer does to positions along one spatial axis (square kernels, same on n_H and n_W).
// Convolutions and poolings alike; ReLU and other elementwise layers are kernel 1, stride 1, padding 0.
struct LayerGeometry {
    std::string name;
    int kernel = 1, stride = 1, padding = 0, dilation = 1;
};

// Where a layer's units look in the input image, along one axis:
//   unit i of the layer sees input pixels [start + i * jump, start + i * jump + size).
// start can be negative (the window then hangs over the zero padding).
struct ReceptiveField {
    std::string name;
    long size = 1;   // r: pixels of the input one unit sees
    long jump = 1;   // j: input pixels between neighbouring units (product of the strides so far)
    long start = 0;  // input coordinate of unit 0's first pixel
};

// One ReceptiveField per layer, in order. [lecture: "What are deep ConvNets learning"]
std::vector<ReceptiveField> receptive_fields(const std::vector<LayerGeometry>& layers);

// Unit i's window [lo, hi) clipped to an input of n pixels (the part of the image a patch can show).
struct Window {
    long lo, hi;
};
Window input_window(const ReceptiveField& rf, long i, long n);

}  // namespace convlab
