// src/nn/pool.hpp
//
// Pooling layers: a window of f values per spatial dim, moved with stride s, keeps their max or their
// average; each channel on its own, nothing to learn. See ops/pool.hpp.    [lecture: "Pooling Layers"]
//   MaxPool2d(2, 2): (N, n_C, n_H, n_W) -> (N, n_C, n_H / 2, n_W / 2)
#pragma once

#include <vector>

#include "nn/module.hpp"

namespace convlab::nn {

// One class for max and average pooling over 1, 2 or 3 spatial dims; the names below fix both.
class Pool : public Module {
public:
    enum class Kind { max, avg };
    // stride -1: stride = kernel (windows side by side, the usual choice).
    Pool(Kind kind, int n_spatial, int64_t kernel, int64_t stride = -1, int64_t padding = 0);
    Tensor forward(const Tensor& x) override;

private:
    Kind kind_;
    int n_spatial_;
    std::vector<int64_t> kernel_, stride_, padding_;
};

template <Pool::Kind kind, int n_spatial>
class PoolNd : public Pool {
public:
    explicit PoolNd(int64_t kernel, int64_t stride = -1, int64_t padding = 0)
        : Pool(kind, n_spatial, kernel, stride, padding) {}
};
using MaxPool1d = PoolNd<Pool::Kind::max, 1>;
using MaxPool2d = PoolNd<Pool::Kind::max, 2>;
using MaxPool3d = PoolNd<Pool::Kind::max, 3>;
using AvgPool1d = PoolNd<Pool::Kind::avg, 1>;
using AvgPool2d = PoolNd<Pool::Kind::avg, 2>;
using AvgPool3d = PoolNd<Pool::Kind::avg, 3>;

// (N, n_C, *spatial) -> (N, n_C): each channel's mean over all positions, whatever the input size.
class GlobalAvgPool : public Module {
public:
    Tensor forward(const Tensor& x) override;
};

}  // namespace convlab::nn
