// chapters/10_conv1d_ecg/ecg_net.cpp
#include "chapters/10_conv1d_ecg/ecg_net.hpp"

#include "core/error.hpp"
#include "nn/layers.hpp"

namespace convlab {

std::shared_ptr<nn::Sequential> make_ecg_net(int64_t n_classes, int64_t width, Rng& rng) {
    check(n_classes >= 2 && width >= 1, "make_ecg_net: expected n_classes >= 2 and width >= 1, got ", n_classes,
          " and ", width);
    auto net = std::make_shared<nn::Sequential>();
    int64_t n_C = 1;  // channels coming in: 1 for the beat, then the filters of the block before
    // BEGIN SOLUTION ch10.ecg_net
    // Filter sizes f and filter counts per block; padding f/2 with odd f keeps the length.
    const int64_t f[3] = {7, 5, 3}, filters[3] = {width, 2 * width, width};
    for (int k = 0; k < 3; ++k) {
        net->add(std::make_shared<nn::Conv1d>(n_C, filters[k], f[k], rng, /*stride=*/1, /*padding=*/f[k] / 2));
        net->add(std::make_shared<nn::BatchNorm>(filters[k]));
        net->add(std::make_shared<nn::ReLU>());
        n_C = filters[k];
    }
    // END SOLUTION
    net->add(std::make_shared<nn::GlobalAvgPool>());            // (N, n_C, L) -> (N, n_C)
    net->add(std::make_shared<nn::Linear>(n_C, n_classes, rng));  // -> (N, n_classes)
    return net;
}

}  // namespace convlab
