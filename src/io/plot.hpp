// src/io/plot.hpp
//
// Line plots as PNG images, for the curves a chapter wants to show: a cost falling over iterations, a ROC
// curve (true against false positive rate, with the y = x line of a coin toss), accuracy against a threshold.
//
//   save_line_plot("out/08/cost.png", {{"J(G)", steps, costs}}, {"Style transfer", "iteration", "cost", true});
//
// The plot has a title, axes with numbered ticks on round values (1, 2 or 5 times a power of ten; on a log
// axis spanning three decades or more, powers of ten), light grid lines, axis labels, a legend in the corner
// the curves leave emptiest, and one colour per series. Non-finite points (and y <= 0 on a log axis) break a
// curve instead of bending it.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

struct Series {
    std::string label{};    // in the legend; "" keeps the series out of it
    std::vector<double> x{}, y{};
};

struct PlotOptions {
    std::string title{}, xlabel{}, ylabel{};  // ({} lets {"title"} leave the rest out without a warning)
    bool log_y = false;     // y on a log10 scale (costs that fall by orders of magnitude)
    int width = 640, height = 420;
    bool diagonal = false;  // draw the dashed line y = x and give both axes the same range (ROC curves)
};

// The plot as an RGB image (3, height, width), and the same written as a PNG (atomically; the directory must
// exist). No series, series whose x and y differ in length, or nothing finite to show -> convlab::Error.
Tensor render_line_plot(const std::vector<Series>& series, const PlotOptions& options);
void save_line_plot(const std::string& path, const std::vector<Series>& series, const PlotOptions& options);

// ---- pieces of a plot, exposed for tests -----------------------------------------------------------------

// One axis: the shown range [lo, hi] (in log10 units on a log axis), and where the ticks go with their labels.
struct Axis {
    double lo = 0, hi = 1;
    bool log = false;
    std::vector<double> ticks;          // positions, in the same units as lo and hi
    std::vector<std::string> labels;    // the values they show
};

// An axis covering [data_lo, data_hi] (log10 of the data on a log axis) with at most max_ticks ticks, the
// ticks at round values: multiples of a step of 1, 2 or 5 times a power of ten. The range is widened by 4% on
// each side so curves do not run along the frame; an empty range is widened to show its one value.
Axis make_axis(double data_lo, double data_hi, bool log, int max_ticks);

// A tick value as text with as many decimals as the tick step needs: (0.4, 0.2) -> "0.4", (1500, 500) ->
// "1500", (0, 0.2) -> "0.0"; values of a million or more, or below 1e-4, use an exponent: "1e-5", "2.5e6".
std::string format_tick(double value, double step);

}  // namespace convlab
