// src/data/ucr.hpp
//
// The UCR time-series archive's text format (Dau, Keogh et al.), as in ECG200_TRAIN.txt:
//
//   -1.0000000e+00   5.0205548e-01   5.4216265e-01 ...      one series per line, values separated by
//    1.0000000e+00  -1.1008778e+00  -3.9203983e+00 ...      whitespace; the first value is the class label
//
// Every line holds the same number of samples L. Blank lines are skipped. The samples are stored as they
// are (the archive z-normalises each series already).
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// N labelled series. X: (N, 1, L), one input channel, so it feeds conv1d directly.
// label[i]: the class as the file writes it (ECG200: -1 abnormal, +1 normal; ECG5000: 1..5).
struct UcrSet {
    std::string name;
    Tensor X;
    std::vector<int> label;

    int64_t size() const { return X.dim(0); }
    int64_t length() const { return X.dim(2); }
};

// Reads the text of a UCR file; `name` (the file name) heads every error message, with the line number:
// "ucr: ECG200_TRAIN.txt line 7: expected 96 samples after the label (as on line 1), got 95".
// A label must be a whole number; a sample must be a finite number; an empty text is an error.
UcrSet parse_ucr(const std::string& text, const std::string& name);

// The file at `path`, through parse_ucr (errors name the path as given).
UcrSet load_ucr(const std::string& path);

// The distinct labels of a set, in increasing order: ECG200 -> {-1, 1}.
std::vector<int> ucr_classes(const std::vector<int>& label);

// Class index 0..K-1 of every label, by its position in `classes` (from ucr_classes of the TRAIN set, so
// TRAIN and TEST agree). Throws naming the label when one is not in `classes`.
std::vector<int> ucr_class_index(const std::vector<int>& label, const std::vector<int>& classes);

}  // namespace convlab
