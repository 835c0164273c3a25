// chapters/11_conv3d_volumes/volume_net.cpp
#include "chapters/11_conv3d_volumes/volume_net.hpp"

#include "core/error.hpp"
#include "nn/layers.hpp"

namespace convlab {

std::shared_ptr<nn::Sequential> make_volume_net(int64_t n_classes, int64_t width, Rng& rng) {
    check(n_classes >= 2 && width >= 1, "make_volume_net: expected n_classes >= 2 and width >= 1, got ", n_classes,
          " and ", width);
    auto net = std::make_shared<nn::Sequential>();
    // BEGIN SOLUTION ch11.volume_net
    const int64_t n_C[3] = {width, 2 * width, 2 * width};
    int64_t in = 1;
    for (int k = 0; k < 3; ++k) {
        net->add(std::make_shared<nn::Conv3d>(in, n_C[k], 3, rng, /*stride=*/1, /*padding=*/1));
        net->add(std::make_shared<nn::BatchNorm>(n_C[k]));
        net->add(std::make_shared<nn::ReLU>());
        if (k < 2) net->add(std::make_shared<nn::MaxPool3d>(2));
        in = n_C[k];
    }
    net->add(std::make_shared<nn::GlobalAvgPool>());
    net->add(std::make_shared<nn::Linear>(in, n_classes, rng));
    // END SOLUTION
    return net;
}

}  // namespace convlab
