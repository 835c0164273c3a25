// src/ops/norm.cpp
//
// Batch norm, channel by channel (the formulas in full: ops/norm.hpp):
//   mu_c = (1/m) sum x        sigma^2_c = (1/m) sum (x - mu_c)^2
//   x_hat = (x - mu_c) / sqrt(sigma^2_c + eps)        y = gamma_c x_hat + beta_c
//   training:  dX = gamma_c / (m sqrt(sigma^2_c + eps)) (m dY - dbeta_c - x_hat dgamma_c)
// How channels are walked and shared among threads: kernels::Channels (src/kernels/channels.hpp).
#include "ops/norm.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "kernels/channels.hpp"
#include "ops/elementwise.hpp"

namespace convlab {
namespace {

using kernels::Channels;

// The per-channel statistics a forward pass used, kept for its backward.
struct Stats {
    std::vector<float> mu, inv_std;  // mu_c and 1 / sqrt(sigma^2_c + eps)
};

float& element(Tensor& t, int64_t c) { return t.data()[c * t.strides()[0]]; }

void check_per_channel(const Tensor& t, const char* name, int64_t C, const Tensor& x) {
    check(t.defined() && t.shape() == Shape{C}, "batch_norm: ", name, " must have shape (", C, ") for x ",
          x.shape_str(), ", got ", t.defined() ? t.shape_str() : "an undefined tensor");
}

}  // namespace

Tensor batch_norm(const Tensor& x_in, const Tensor& gamma_in, const Tensor& beta_in, Tensor& running_mean,
                  Tensor& running_var, bool training, float momentum, float eps) {
    check(x_in.ndim() >= 2, "batch_norm: expected x (N, C, *), got ", x_in.shape_str());
    const Tensor x = x_in.contiguous(), gamma = gamma_in.contiguous(), beta = beta_in.contiguous();
    const Channels ch = Channels::of(x.shape());
    check_per_channel(gamma, "gamma", ch.C, x);
    check_per_channel(beta, "beta", ch.C, x);
    check(eps > 0.0f && momentum >= 0.0f && momentum <= 1.0f, "batch_norm: expected eps > 0 and momentum in [0, 1], ",
          "got eps ", eps, " and momentum ", momentum);
    if (training) {
        check(ch.m() > 1, "batch_norm: training needs more than one value per channel, got x ", x.shape_str());
        if (!running_mean.defined()) running_mean = Tensor::zeros({ch.C});
        if (!running_var.defined()) running_var = Tensor::ones({ch.C});
    }
    check_per_channel(running_mean, "running_mean", ch.C, x);
    check_per_channel(running_var, "running_var", ch.C, x);
    for (int64_t c = 0; c < ch.C && !training; ++c)
        check(element(running_var, c) + eps > 0.0f, "batch_norm: running_var ", element(running_var, c),
              " + eps is not positive in channel ", c);

    auto stats = std::make_shared<Stats>();
    stats->mu.resize(ch.C);
    stats->inv_std.resize(ch.C);
    Tensor Y = Tensor::empty(x.shape());
    const float* px = x.data();
    float* py = Y.data();
    ch.for_each([&](int64_t c) {
        double mu, var;
        if (training) {
            mu = ch.sum(c, [&](int64_t i) { return px[i]; }) / double(ch.m());
            var = ch.sum(c, [&](int64_t i) { return (px[i] - mu) * (px[i] - mu); }) / double(ch.m());
            element(running_mean, c) = static_cast<float>((1.0 - momentum) * element(running_mean, c) + momentum * mu);
            element(running_var, c) = static_cast<float>((1.0 - momentum) * element(running_var, c) +
                                                         momentum * var * double(ch.m()) / double(ch.m() - 1));
        } else {
            mu = element(running_mean, c);
            var = element(running_var, c);
        }
        const float mu_c = static_cast<float>(mu), inv_std = static_cast<float>(1.0 / std::sqrt(var + eps));
        const float g = gamma.data()[c], b = beta.data()[c];
        stats->mu[c] = mu_c;
        stats->inv_std[c] = inv_std;
        ch.for_each_value(c, [&](int64_t i) { py[i] = g * ((px[i] - mu_c) * inv_std) + b; });
    });

    return record(Y, "batch_norm", {x_in, gamma_in, beta_in}, [x, gamma, ch, stats, training](const Tensor& dY_in) {
        const Tensor dY = dY_in.contiguous();
        Tensor dX = Tensor::empty(x.shape()), dgamma = Tensor::empty({ch.C}), dbeta = Tensor::empty({ch.C});
        const float *px = x.data(), *pg = dY.data();
        float* pd = dX.data();
        ch.for_each([&](int64_t c) {
            const float mu = stats->mu[c], inv_std = stats->inv_std[c];
            const double db = ch.sum(c, [&](int64_t i) { return pg[i]; });
            const double dg = ch.sum(c, [&](int64_t i) { return double(pg[i]) * ((px[i] - mu) * inv_std); });
            dgamma.data()[c] = static_cast<float>(dg);
            dbeta.data()[c] = static_cast<float>(db);
            const double scale = double(gamma.data()[c]) * inv_std, m = double(ch.m());
            ch.for_each_value(c, [&](int64_t i) {
                const double x_hat = (px[i] - mu) * inv_std;
                pd[i] = static_cast<float>(training ? scale / m * (m * pg[i] - db - x_hat * dg) : scale * pg[i]);
            });
        });
        return std::vector<Tensor>{dX, dgamma, dbeta};
    });
}

Tensor dropout(const Tensor& x, float p, bool training, Rng& rng) {
    check(p >= 0.0f && p < 1.0f, "dropout: expected a drop probability p in [0, 1), got ", p);
    if (!training || p == 0.0f) return x;
    Tensor mask = Tensor::empty(x.shape());
    const float kept = 1.0f / (1.0f - p);
    float* m = mask.data();
    for (int64_t i = 0; i < mask.numel(); ++i) m[i] = rng.uniform() < p ? 0.0f : kept;
    return mul(x, mask);
}

}  // namespace convlab
