// src/data/ucr.cpp
#include "data/ucr.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace convlab {

namespace {

// The value of one whitespace-free token, or an error naming the file, the line and the token.
double parse_number(const std::string& token, const std::string& name, int64_t line_no, const char* what) {
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    check(end == token.c_str() + token.size() && std::isfinite(v), "ucr: ", name, " line ", line_no, ": ", what,
          " '", token, "' is not a finite number");
    return v;
}

}  // namespace

UcrSet parse_ucr(const std::string& text, const std::string& name) {
    std::vector<float> samples;
    std::vector<int> label;
    int64_t L = -1, first_line = 0, line_no = 0;
    std::istringstream lines(text);
    std::string line, token;
    while (std::getline(lines, line)) {
        ++line_no;
        std::istringstream tokens(line);
        if (!(tokens >> token)) continue;  // blank line
        const double y = parse_number(token, name, line_no, "label");
        check(y == std::round(y) && std::fabs(y) < 1e6, "ucr: ", name, " line ", line_no,
              ": expected a whole-number class label, got ", token);
        label.push_back(static_cast<int>(y));
        int64_t n = 0;
        while (tokens >> token) {
            samples.push_back(static_cast<float>(parse_number(token, name, line_no, "sample")));
            ++n;
        }
        if (L < 0) {
            check(n > 0, "ucr: ", name, " line ", line_no, ": expected samples after the label, got none");
            L = n;
            first_line = line_no;
        }
        check(n == L, "ucr: ", name, " line ", line_no, ": expected ", L, " samples after the label (as on line ",
              first_line, "), got ", n);
    }
    check(!label.empty(), "ucr: ", name, ": expected one series per line, got an empty file");
    const int64_t N = static_cast<int64_t>(label.size());
    return UcrSet{name, Tensor::from({N, 1, L}, samples), std::move(label)};
}

UcrSet load_ucr(const std::string& path) {
    return parse_ucr(read_file(path), path);
}

std::vector<int> ucr_classes(const std::vector<int>& label) {
    std::vector<int> classes = label;
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    return classes;
}

std::vector<int> ucr_class_index(const std::vector<int>& label, const std::vector<int>& classes) {
    std::vector<int> index;
    index.reserve(label.size());
    for (const int y : label) {
        const auto it = std::find(classes.begin(), classes.end(), y);
        check(it != classes.end(), "ucr_class_index: label ", y, " is not one of the ", classes.size(),
              " training classes");
        index.push_back(static_cast<int>(it - classes.begin()));
    }
    return index;
}

}  // namespace convlab
