// chapters/11_conv3d_volumes/volume_net.cpp
#include "chapters/11_conv3d_volumes/volume_net.hpp"

#include "core/error.hpp"
#include "nn/layers.hpp"

namespace convlab {

std::shared_ptr<nn::Sequential> make_volume_net(int64_t n_classes, int64_t width, Rng& rng) {
    check(n_classes >= 2 && width >= 1, "make_volume_net: expected n_classes >= 2 and width >= 1, got ", n_classes,
          " and ", width);
    auto net = std::make_shared<nn::Sequential>();
    int64_t n_C = 1;  // channels coming in: 1 for the volume, then the filters of the layer before
    // BEGIN SOLUTION ch11.volume_net
    const int64_t filters[3] = {width, 2 * width, 2 * width};
    for (int k = 0; k < 3; ++k) {
        net->add(std::make_shared<nn::Conv3d>(n_C, filters[k], 3, rng, /*stride=*/1, /*padding=*/1));
        net->add(std::make_shared<nn::BatchNorm>(filters[k]));
        net->add(std::make_shared<nn::ReLU>());
        if (k < 2) net->add(std::make_shared<nn::MaxPool3d>(2));
        n_C = filters[k];
    }
    // END SOLUTION
    net->add(std::make_shared<nn::GlobalAvgPool>());            // (N, n_C, D, H, W) -> (N, n_C)
    net->add(std::make_shared<nn::Linear>(n_C, n_classes, rng));  // -> (N, n_classes)
    return net;
}

}  // namespace convlab
