// chapters/02_siamese_network/siamese.hpp                                   [lecture: "Siamese Network"]
#pragma once

#include "face/encoder.hpp"

namespace convlab {

// One photo of any size, grey (1, H, W) or colour (3, H, W), to its encoding f(x): (dim,).
// The photo is converted to grey, resized to the encoder's input size and encoded (with the mirror-image
// average of encode_all).
Tensor img_to_encoding(FaceEncoder& f, const Tensor& image);

// The Siamese comparison: the SAME network f applied to both photos,
//   d(x1, x2) = ||f(x1) - f(x2)||^2
float siamese_distance(FaceEncoder& f, const Tensor& x1, const Tensor& x2);

}  // namespace convlab
