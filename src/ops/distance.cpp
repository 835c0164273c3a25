// src/ops/distance.cpp
#include "ops/distance.hpp"

#include <algorithm>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {
namespace {

// Rows of P per parallel task, so that each task does about kTaskGrain multiply-adds over rows of length m * D.
int64_t rows_per_task(int64_t m, int64_t D) { return std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(1, m * D)); }

// D_ij = sum_k (p_ik - q_jk)^2 for P (n, D), Q (m, D), dense; each D_ij summed in double by one call.
Tensor sq_distances(const Tensor& P, const Tensor& Q) {
    const int64_t n = P.dim(0), m = Q.dim(0), D = P.dim(1);
    Tensor out = Tensor::empty({n, m});
    const float *p = P.data(), *q = Q.data();
    float* o = out.data();
    parallel_for(n, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i)
            for (int64_t j = 0; j < m; ++j) {
                double s = 0.0;
                for (int64_t k = 0; k < D; ++k) {
                    const double diff = double(p[i * D + k]) - q[j * D + k];
                    s += diff * diff;
                }
                o[i * m + j] = static_cast<float>(s);
            }
    }, rows_per_task(m, D));
    return out;
}

// G_ik = 2 sum_j W_ij (p_ik - q_jk) for P (n, D), Q (m, D), W (n, m), dense: the gradient of
// sum_ij W_ij ||p_i - q_j||^2 with respect to P. Serves both inputs (dB uses W transposed).
Tensor sq_distances_grad(const Tensor& P, const Tensor& Q, const Tensor& W) {
    const int64_t n = P.dim(0), m = Q.dim(0), D = P.dim(1);
    Tensor G = Tensor::empty({n, D});
    const float *p = P.data(), *q = Q.data(), *w = W.data();
    float* g = G.data();
    parallel_for(n, [&](int64_t lo, int64_t hi) {
        std::vector<double> acc(static_cast<size_t>(D));
        for (int64_t i = lo; i < hi; ++i) {
            std::fill(acc.begin(), acc.end(), 0.0);
            for (int64_t j = 0; j < m; ++j) {
                const double wij = w[i * m + j];
                for (int64_t k = 0; k < D; ++k) acc[k] += wij * (double(p[i * D + k]) - q[j * D + k]);
            }
            for (int64_t k = 0; k < D; ++k) g[i * D + k] = static_cast<float>(2.0 * acc[k]);
        }
    }, rows_per_task(m, D));
    return G;
}

}  // namespace

Tensor l2_normalize(const Tensor& x, int dim, float eps) {
    check(x.ndim() >= 1, "l2_normalize: expected at least 1 dim, got shape ", x.shape_str());
    check(eps > 0.0f, "l2_normalize: eps must be > 0, got ", eps);
    const int d = normalize_dim(dim, x.ndim(), "l2_normalize");
    return x / sqrt(sum(square(x), {d}, /*keepdim=*/true) + eps);
}

Tensor pairwise_sq_distances(const Tensor& A, const Tensor& B) {
    check(A.ndim() == 2 && B.ndim() == 2, "pairwise_sq_distances: expected A (N, D) and B (M, D), got ",
          A.shape_str(), " and ", B.shape_str());
    check(A.dim(1) == B.dim(1), "pairwise_sq_distances: encodings differ in size D: A ", A.shape_str(), ", B ",
          B.shape_str());
    const Tensor a = A.contiguous(), b = B.contiguous();
    Tensor out = sq_distances(a, b);
    return record(out, "pairwise_sq_distances", {A, B}, [a = a.detach(), b = b.detach(), da = A.requires_grad(),
                                                         db = B.requires_grad()](const Tensor& dD) {
        const Tensor g = dD.contiguous();
        return std::vector<Tensor>{da ? sq_distances_grad(a, b, g) : Tensor(),
                                   db ? sq_distances_grad(b, a, transpose(g).contiguous()) : Tensor()};
    });
}

}  // namespace convlab
