// chapters/11_conv3d_volumes/volume_net.hpp
//
// A small 3D ConvNet, for CT-like volumes (is there a lesion?) and for video clips (which way does the
// object move?): the same network, because a clip is a volume whose depth is time.
//                                                                      [lecture: "1D and 3D Generalizations"]
#pragma once

#include <cstdint>
#include <memory>

#include "core/random.hpp"
#include "nn/module.hpp"

namespace convlab {

// x: (N, 1, n_D, n_H, n_W), each side a multiple of 4  ->  logits (N, n_classes).
//
//   conv3d 3x3x3 (width filters, padding 1) -> batch norm -> ReLU -> max pool 2x2x2     (n/2)^3 x width
//   conv3d 3x3x3 (2 width filters)          -> batch norm -> ReLU -> max pool 2x2x2     (n/4)^3 x 2 width
//   conv3d 3x3x3 (2 width filters)          -> batch norm -> ReLU                        (n/4)^3 x 2 width
//   global average pooling -> linear layer to the classes                                n_classes
//
// A first-layer filter spans 3 slices (or 3 frames): it can see a ball where a 2D filter sees a disc,
// and a disc that moves where a 2D filter sees one frame.
std::shared_ptr<nn::Sequential> make_volume_net(int64_t n_classes, int64_t width, Rng& rng);

}  // namespace convlab
