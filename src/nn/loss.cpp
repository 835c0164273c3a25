// src/nn/loss.cpp
#include "nn/loss.hpp"

#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"
#include "ops/softmax.hpp"

namespace convlab {
namespace {

float stable_sigmoid(float z) {
    if (z >= 0) return 1.0f / (1.0f + std::exp(-z));
    const float e = std::exp(z);  // e^z < 1: no overflow on this side either
    return e / (1.0f + e);
}

}  // namespace

Tensor mse_loss(const Tensor& y_hat, const Tensor& y) {
    check(y_hat.shape() == y.shape(), "mse_loss: y_hat ", y_hat.shape_str(), " and y ", y.shape_str(),
          " must have the same shape");
    return mean(square(y_hat - y));
}

Tensor bce_with_logits(const Tensor& z_in, const Tensor& y_in) {
    check(z_in.shape() == y_in.shape(), "bce_with_logits: logits z ", z_in.shape_str(), " and labels y ",
          y_in.shape_str(), " must have the same shape");
    check(z_in.numel() > 0, "bce_with_logits: empty input");
    const Tensor z = z_in.contiguous(), y = y_in.contiguous();
    const float *pz = z.data(), *py = y.data();
    const int64_t n = z.numel();
    const double total = parallel_sum(n, [pz, py](int64_t lo, int64_t hi) {
        double s = 0.0;
        for (int64_t i = lo; i < hi; ++i)
            s += std::max(pz[i], 0.0f) - double(pz[i]) * py[i] + std::log1p(std::exp(-std::fabs(double(pz[i]))));
        return s;
    });
    Tensor J = Tensor::scalar(static_cast<float>(total / double(n)));
    return record(J, "bce_with_logits", {z_in, y_in}, [z = z.detach(), y = y.detach(), n](const Tensor& dY) {
        const float g = dY.item() / static_cast<float>(n);
        Tensor dz = Tensor::empty(z.shape()), dy = Tensor::empty(y.shape());
        for (int64_t i = 0; i < n; ++i) {
            dz.data()[i] = g * (stable_sigmoid(z.data()[i]) - y.data()[i]);
            dy.data()[i] = -g * z.data()[i];
        }
        return std::vector<Tensor>{dz, dy};
    });
}

Tensor softmax_cross_entropy(const Tensor& logits, const std::vector<int>& labels) {
    check(logits.ndim() == 2, "softmax_cross_entropy: expected logits (N, K), got shape ", logits.shape_str());
    const int64_t N = logits.dim(0), K = logits.dim(1);
    check(N > 0 && static_cast<int64_t>(labels.size()) == N, "softmax_cross_entropy: ", labels.size(),
          " labels for logits of shape ", logits.shape_str());
    Tensor onehot = Tensor::zeros({N, K});  // y_ik = 1 if k = label_i: picks -log softmax[label] out of the row
    for (int64_t i = 0; i < N; ++i) {
        const int label = labels[static_cast<size_t>(i)];
        check(label >= 0 && label < K, "softmax_cross_entropy: label ", label, " of example ", i,
              " out of range [0, ", K, ")");
        onehot.data()[i * K + label] = 1.0f;
    }
    return -sum(log_softmax(logits, 1) * onehot) / static_cast<float>(N);
}

}  // namespace convlab
