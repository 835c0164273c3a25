// chapters/10_conv1d_ecg/ecg_net.cpp
#include "chapters/10_conv1d_ecg/ecg_net.hpp"

#include "core/error.hpp"
#include "nn/layers.hpp"

namespace convlab {

std::shared_ptr<nn::Sequential> make_ecg_net(int64_t n_classes, int64_t width, Rng& rng) {
    check(n_classes >= 2 && width >= 1, "make_ecg_net: expected n_classes >= 2 and width >= 1, got ", n_classes,
          " and ", width);
    auto net = std::make_shared<nn::Sequential>();
    // BEGIN SOLUTION ch10.ecg_net
    // Filter sizes f and filter counts n_C per block; padding f/2 with odd f keeps the length.
    const int64_t f[3] = {7, 5, 3}, n_C[3] = {width, 2 * width, width};
    int64_t in = 1;
    for (int k = 0; k < 3; ++k) {
        net->add(std::make_shared<nn::Conv1d>(in, n_C[k], f[k], rng, /*stride=*/1, /*padding=*/f[k] / 2));
        net->add(std::make_shared<nn::BatchNorm>(n_C[k]));
        net->add(std::make_shared<nn::ReLU>());
        in = n_C[k];
    }
    net->add(std::make_shared<nn::GlobalAvgPool>());
    net->add(std::make_shared<nn::Linear>(in, n_classes, rng));
    // END SOLUTION
    return net;
}

}  // namespace convlab
