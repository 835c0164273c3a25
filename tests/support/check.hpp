// tests/support/check.hpp
//
// What the tests share:
//   check_gradient(f, inputs...)  compares autodiff gradients with central differences
//   random_tensor(shape, seed)    reproducible inputs
//   shared_data_dir()             the real data sets (../shared/data), or "" when absent
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "convlab.hpp"
#include "kernels/gemm.hpp"
#include "tests/support/printers.hpp"

namespace convlab::testing {

inline Tensor random_tensor(const Shape& shape, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    Rng rng(seed);
    return Tensor::rand(shape, rng, lo, hi);
}

// max |a - b| / max(1, |b|) over the elements: the relative error the tests bound (infinite if any is NaN).
inline double max_relative_error(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    double worst = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        const double e = std::fabs(double(a[i]) - b[i]) / std::max(1.0, std::fabs(double(b[i])));
        if (std::isnan(e)) return INFINITY;  // a NaN on either side is a failure, never "no error"
        worst = std::max(worst, e);
    }
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

// The message of the convlab::Error that f throws ("" if it throws none).
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// sum(y * w) for a fixed random w: one scalar that depends on every element of y with its own weight, so a
// gradient check of it checks the whole backward pass of y.
inline Tensor weighted_sum(const Tensor& y, uint64_t seed = 99) { return sum(y * random_tensor(y.shape(), seed)); }

// Runs f with 1 thread and with 2 threads and checks that the results have the same bits.
inline void check_same_bits_for_1_and_2_threads(const std::function<std::vector<float>()>& f) {
    const int before = num_threads();
    set_num_threads(1);
    const std::vector<float> one = f();
    set_num_threads(2);
    const std::vector<float> two = f();
    set_num_threads(before);
    REQUIRE(one.size() == two.size());
    CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)) == 0);
}

// Where the real data sets live: $CONVLAB_SHARED_DATA, else ../shared/data beside the repository, else
// /work/shared/data. Empty when none exists (tests that need it then say so and skip).
std::string shared_data_dir();

}  // namespace convlab::testing
