// chapters/10_conv1d_ecg/nearest_neighbour.cpp
#include "chapters/10_conv1d_ecg/nearest_neighbour.hpp"

#include <limits>

#include "core/error.hpp"

namespace convlab {

std::vector<int> nearest_neighbour(const Tensor& train_X, const std::vector<int>& train_y, const Tensor& test_X) {
    check(train_X.ndim() >= 2 && test_X.ndim() == train_X.ndim() && train_X.numel() > 0 &&
              Shape(train_X.shape().begin() + 1, train_X.shape().end()) ==
                  Shape(test_X.shape().begin() + 1, test_X.shape().end()),
          "nearest_neighbour: expected train and test of shapes (M, ...) and (N, ...) with the same trailing dims, got ",
          train_X.shape_str(), " and ", test_X.shape_str());
    check(static_cast<int64_t>(train_y.size()) == train_X.dim(0), "nearest_neighbour: expected ", train_X.dim(0),
          " training labels, got ", train_y.size());
    const std::vector<float> a = test_X.values(), b = train_X.values();  // test and training series, row-major
    std::vector<int> predicted(static_cast<size_t>(test_X.dim(0)));
    // BEGIN SOLUTION ch10.nearest_neighbour
    const int64_t M = train_X.dim(0), N = test_X.dim(0), T = train_X.numel() / M;  // T values per series
    for (int64_t n = 0; n < N; ++n) {
        double best = std::numeric_limits<double>::infinity();
        for (int64_t m = 0; m < M; ++m) {
            double d2 = 0.0;  // d^2: the same argmin as d, without the square root
            for (int64_t t = 0; t < T; ++t) {
                const double diff = double(a[n * T + t]) - b[m * T + t];
                d2 += diff * diff;
            }
            if (d2 < best) {
                best = d2;
                predicted[n] = train_y[m];
            }
        }
    }
    // END SOLUTION
    return predicted;
}

double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth) {
    check(predicted.size() == truth.size() && !truth.empty(), "accuracy: expected as many predictions as labels (> 0), got ",
          predicted.size(), " and ", truth.size());
    int64_t right = 0;
    for (size_t i = 0; i < truth.size(); ++i) right += predicted[i] == truth[i];
    return static_cast<double>(right) / static_cast<double>(truth.size());
}

}  // namespace convlab
