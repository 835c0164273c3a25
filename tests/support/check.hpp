// tests/support/check.hpp
//
// Helpers shared by the tests:
//   check_gradient(f, inputs...)  compares autodiff gradients with central differences
//   random_tensor(shape, seed)    reproducible inputs
//   shared_data_dir()             the real data sets (../shared/data), or "" when absent
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "convlab.hpp"
#include "kernels/gemm.hpp"

namespace convlab::testing {

inline Tensor random_tensor(const Shape& shape, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    Rng rng(seed);
    return Tensor::rand(shape, rng, lo, hi);
}

// max |a - b| / max(1, |b|) over the elements: the relative error the tests bound.
inline double max_relative_error(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    double worst = 0.0;
    for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::fabs(double(a[i]) - b[i]) / std::max(1.0, std::fabs(double(b[i]))));
    return worst;
}

// Checks d f / d inputs[i] from autodiff against central differences
//   (f(x + h e_j) - f(x - h e_j)) / 2h
// for every element j of every input, with f evaluated in double-accumulated float. f must return a
// one-element tensor. Inputs should keep away from kinks (ReLU at 0, max ties).
inline void check_gradient(const std::function<Tensor(const std::vector<Tensor>&)>& f, std::vector<Tensor> inputs,
                           double h = 1e-2, double tolerance = 2e-2) {
    for (Tensor& x : inputs) x = x.detach().clone().requires_grad_();
    const Tensor y = f(inputs);
    REQUIRE(y.numel() == 1);
    y.backward();
    NoGradGuard no_grad;
    for (size_t i = 0; i < inputs.size(); ++i) {
        Tensor x = inputs[i];
        const Tensor analytic = x.grad();
        REQUIRE_MESSAGE(analytic.defined(), "input " << i << " received no gradient");
        const std::vector<float> g = analytic.values();
        for (int64_t j = 0; j < x.numel(); ++j) {
            const float saved = x.data()[j];
            x.data()[j] = static_cast<float>(saved + h);
            const double up = f(inputs).item();
            x.data()[j] = static_cast<float>(saved - h);
            const double down = f(inputs).item();
            x.data()[j] = saved;
            const double numeric = (up - down) / (2 * h);
            const double err = std::fabs(numeric - g[j]) / std::max(1.0, std::fabs(numeric));
            CHECK_MESSAGE(err <= tolerance, "input " << i << " element " << j << ": autodiff " << g[j]
                                                       << ", central difference " << numeric);
            if (err > tolerance) return;  // one message is enough
        }
    }
}

// One-input form: check_gradient([](const Tensor& a) { return sum(gram_matrix(a)); }, x).
inline void check_gradient(const std::function<Tensor(const Tensor&)>& f, const Tensor& x, double h = 1e-2,
                           double tolerance = 2e-2) {
    check_gradient([&](const std::vector<Tensor>& in) { return f(in[0]); }, std::vector<Tensor>{x}, h, tolerance);
}

// Where the real data sets live: $CONVLAB_SHARED_DATA, else ../shared/data beside the repository, else
// /work/shared/data. Empty when none exists (tests that need it then say so and skip).
std::string shared_data_dir();

}  // namespace convlab::testing
