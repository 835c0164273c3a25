// src/face/score_norm.cpp
#include "face/score_norm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace convlab {

// Smallest sigma: a cohort whose K nearest distances are all equal would otherwise divide by zero.
constexpr double kMinSigma = 1e-6;

CohortStats cohort_stats(const Tensor& C, float fraction) {
    check(C.ndim() == 2, "cohort_stats: expected distances to the cohort (N, M), got ", C.shape_str());
    check(fraction > 0 && fraction <= 1, "cohort_stats: fraction must be in (0, 1], got ", fraction);
    const int64_t N = C.dim(0), M = C.dim(1);
    const Tensor c = C.contiguous();
    CohortStats stats;
    std::vector<float> row;
    for (int64_t i = 0; i < N; ++i) {
        row.clear();
        for (int64_t j = 0; j < M; ++j)
            if (std::isfinite(c.data()[i * M + j])) row.push_back(c.data()[i * M + j]);
        check(row.size() >= 2, "cohort_stats: photo ", i, " has ", row.size(), " cohort distances in ",
              C.shape_str(), "; need at least 2");
        const size_t K = std::max<size_t>(2, size_t(std::lround(fraction * double(row.size()))));
        std::partial_sort(row.begin(), row.begin() + K, row.end());
        double sum = 0, sum_sq = 0;
        for (size_t t = 0; t < K; ++t) sum += row[t], sum_sq += double(row[t]) * row[t];
        const double mu = sum / K, var = std::max(0.0, sum_sq / K - mu * mu);
        stats.mu.push_back(float(mu));
        stats.sigma.push_back(float(std::max(kMinSigma, std::sqrt(var))));
    }
    return stats;
}

Tensor without_own_person(const Tensor& C, const std::vector<int>& labels) {
    check(C.ndim() == 2 && C.dim(0) == C.dim(1) && C.dim(0) == int64_t(labels.size()),
          "without_own_person: expected distances (N, N) and N labels, got ", C.shape_str(), " and ", labels.size(),
          " labels");
    Tensor out = C.clone();  // dense, row-major
    const int64_t N = C.dim(0);
    for (int64_t i = 0; i < N; ++i)
        for (int64_t j = 0; j < N; ++j)
            if (labels[i] == labels[j]) out.data()[i * N + j] = std::numeric_limits<float>::infinity();
    return out;
}

Tensor s_norm(const Tensor& D, const CohortStats& rows, const CohortStats& cols) {
    check(D.ndim() == 2 && int64_t(rows.mu.size()) == D.dim(0) && int64_t(cols.mu.size()) == D.dim(1),
          "s_norm: expected distances (N, M) with N row and M column stats, got ", D.shape_str(), " with ",
          rows.mu.size(), " and ", cols.mu.size());
    const int64_t N = D.dim(0), M = D.dim(1);
    const Tensor d = D.contiguous();
    Tensor s = Tensor::empty({N, M});
    for (int64_t i = 0; i < N; ++i)
        for (int64_t j = 0; j < M; ++j) {
            const float d_ij = d.data()[i * M + j];
            s.data()[i * M + j] = 0.5f * ((d_ij - rows.mu[i]) / rows.sigma[i] + (d_ij - cols.mu[j]) / cols.sigma[j]);
        }
    return s;
}

}  // namespace convlab
