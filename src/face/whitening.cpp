// src/face/whitening.cpp
#include "face/whitening.hpp"

#include <cmath>

#include "core/error.hpp"
#include "ops/matmul.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

Tensor fit_whitening(const Tensor& E, const std::vector<int>& labels, float lambda) {
    check(E.ndim() == 2 && E.dim(0) == int64_t(labels.size()), "fit_whitening: expected encodings (N, D) and N ",
          "labels, got ", E.shape_str(), " and ", labels.size(), " labels");
    check(lambda >= 0 && lambda <= 1, "fit_whitening: lambda must be in [0, 1], got ", lambda);
    const int64_t N = E.dim(0), D = E.dim(1);
    const Tensor e = E.contiguous();
    int n_people = 0;
    for (int y : labels) {
        check(y >= 0, "fit_whitening: labels must be >= 0, got ", y);
        n_people = std::max(n_people, y + 1);
    }
    // mu_c, the mean encoding of each person
    std::vector<double> mu(size_t(n_people * D), 0.0);
    std::vector<int> count(n_people, 0);
    for (int64_t i = 0; i < N; ++i) {
        ++count[labels[i]];
        for (int64_t k = 0; k < D; ++k) mu[labels[i] * D + k] += e.data()[i * D + k];
    }
    for (int c = 0; c < n_people; ++c)
        for (int64_t k = 0; k < D; ++k) mu[c * D + k] /= std::max(1, count[c]);
    // S_w = 1/N sum_i (e_i - mu_y)(e_i - mu_y)^T, in double: a sum of N outer products
    std::vector<double> S(size_t(D * D), 0.0), r(D);
    for (int64_t i = 0; i < N; ++i) {
        for (int64_t k = 0; k < D; ++k) r[k] = e.data()[i * D + k] - mu[labels[i] * D + k];
        for (int64_t a = 0; a < D; ++a)
            for (int64_t b = 0; b < D; ++b) S[a * D + b] += r[a] * r[b];
    }
    double trace = 0;
    for (int64_t k = 0; k < D; ++k) trace += S[k * D + k] / N;
    check(trace > 0, "fit_whitening: the encodings do not vary within any person (need a person with two "
          "different photos)");
    // S = (1 - lambda) S_w / s + lambda I, s = tr(S_w) / D
    const double s = trace / D;
    for (int64_t a = 0; a < D; ++a)
        for (int64_t b = 0; b < D; ++b) S[a * D + b] = (1 - lambda) * S[a * D + b] / N / s + (a == b ? lambda : 0.0);
    // Cholesky S = L L^T (L lower triangular), column by column
    std::vector<double> L(size_t(D * D), 0.0);
    for (int64_t j = 0; j < D; ++j) {
        double diag = S[j * D + j];
        for (int64_t k = 0; k < j; ++k) diag -= L[j * D + k] * L[j * D + k];
        check(diag > 1e-12, "fit_whitening: S is not positive definite (", N, " photos for ", D,
              " dimensions); use lambda > 0");
        L[j * D + j] = std::sqrt(diag);
        for (int64_t i = j + 1; i < D; ++i) {
            double v = S[i * D + j];
            for (int64_t k = 0; k < j; ++k) v -= L[i * D + k] * L[j * D + k];
            L[i * D + j] = v / L[j * D + j];
        }
    }
    // P = L^-1, lower triangular: solve L P = I one column at a time (forward substitution)
    Tensor P = Tensor::zeros({D, D});
    for (int64_t c = 0; c < D; ++c) {
        std::vector<double> x(D, 0.0);
        for (int64_t i = c; i < D; ++i) {
            double v = i == c ? 1.0 : 0.0;
            for (int64_t k = c; k < i; ++k) v -= L[i * D + k] * x[k];
            x[i] = v / L[i * D + i];
            P.data()[i * D + c] = float(x[i]);
        }
    }
    return P;
}

Tensor whiten(const Tensor& E, const Tensor& P) {
    check(E.ndim() == 2 && P.ndim() == 2 && P.dim(0) == E.dim(1) && P.dim(1) == E.dim(1),
          "whiten: expected encodings (N, D) and P (D, D), got ", E.shape_str(), " and ", P.shape_str());
    return matmul(E, transpose(P));  // row i: (P e_i)^T = e_i^T P^T
}

}  // namespace convlab
