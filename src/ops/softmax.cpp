// src/ops/softmax.cpp
#include "ops/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"

namespace convlab {
namespace {

// The max-shifted softmax (or its log) of every line of x along dim d. Seen around d, a dense x has shape
// (outer, L, inner): element (o, k, i) sits at (o * L + k) * inner + i, so a line is L values `inner` apart.
// Each line is computed by one call in a fixed order: the result does not depend on the thread count.
Tensor softmax_lines(const Tensor& x_in, int dim, bool log_out, const char* op) {
    check(x_in.ndim() >= 1, op, ": expected at least 1 dim, got shape ", x_in.shape_str());
    const int d = normalize_dim(dim, x_in.ndim(), op);
    const Tensor x = x_in.contiguous();
    const int64_t L = x.dim(d);
    const int64_t inner = shape_numel(Shape(x.shape().begin() + d + 1, x.shape().end()));
    const int64_t lines = L ? x.numel() / L : 0;
    Tensor y = Tensor::empty(x.shape());
    const float* px = x.data();
    float* py = y.data();
    parallel_for(lines, [&](int64_t lo, int64_t hi) {
        for (int64_t line = lo; line < hi; ++line) {
            const int64_t start = (line / inner) * L * inner + line % inner;
            const float* xl = px + start;
            float* yl = py + start;
            float m = -std::numeric_limits<float>::infinity();
            for (int64_t k = 0; k < L; ++k) m = std::max(m, xl[k * inner]);
            double s = 0.0;  // sum_j e^(x_j - m) >= 1: the largest term is e^0
            for (int64_t k = 0; k < L; ++k) s += std::exp(xl[k * inner] - m);
            if (log_out) {
                const float log_s = static_cast<float>(std::log(s));
                for (int64_t k = 0; k < L; ++k) yl[k * inner] = xl[k * inner] - m - log_s;
            } else {
                const float inv_s = static_cast<float>(1.0 / s);
                for (int64_t k = 0; k < L; ++k) yl[k * inner] = std::exp(xl[k * inner] - m) * inv_s;
            }
        }
    }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(L, 1)));
    return y;
}

}  // namespace

Tensor softmax(const Tensor& x, int dim) {
    Tensor y = softmax_lines(x, dim, /*log_out=*/false, "softmax");
    const int d = normalize_dim(dim, x.ndim(), "softmax");
    return record(y, "softmax", {x}, [y = y.detach(), d](const Tensor& dY) {
        // dX_k = y_k (dY_k - sum_j dY_j y_j)
        return std::vector<Tensor>{y * (dY - sum(dY * y, {d}, /*keepdim=*/true))};
    });
}

Tensor log_softmax(const Tensor& x, int dim) {
    Tensor y = softmax_lines(x, dim, /*log_out=*/true, "log_softmax");
    const int d = normalize_dim(dim, x.ndim(), "log_softmax");
    return record(y, "log_softmax", {x}, [y = y.detach(), d](const Tensor& dY) {
        // dX_k = dY_k - softmax_k sum_j dY_j,   softmax_k = e^(log softmax_k)
        return std::vector<Tensor>{dY - exp(y) * sum(dY, {d}, /*keepdim=*/true)};
    });
}

}  // namespace convlab
