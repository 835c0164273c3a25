// src/io/plot.cpp
#include "io/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "io/draw.hpp"
#include "io/font.hpp"
#include "io/image.hpp"

namespace convlab {
namespace {

constexpr double kMargin = 0.04;        // fraction of the range added on each side of the data
constexpr int kTickLength = 4;          // pixels, outside the frame
constexpr double kLineWidth = 2.0;      // pixels, the curves
constexpr size_t kMaxMarkedPoints = 25; // a series this short also gets a dot on each point
constexpr double kMarkerRadius = 3.0;
constexpr int kXTickSpacing = 60;       // pixels per x tick at least: room for a label like "-0.125"
constexpr int kYTickSpacing = 45;       // pixels per y tick at least

const Rgb kInk{0.15f, 0.15f, 0.15f};
const Rgb kGrid{0.9f, 0.9f, 0.9f};
const Rgb kDiagonal{0.6f, 0.6f, 0.6f};
const Rgb kWhite{1, 1, 1};

// Ten colours that stay apart from each other on white: blue, orange, green, red, purple, brown, pink,
// grey, olive, cyan.
const Rgb kPalette[] = {{0.12f, 0.44f, 0.71f}, {1.00f, 0.50f, 0.05f}, {0.17f, 0.63f, 0.17f},
                        {0.84f, 0.15f, 0.16f}, {0.58f, 0.40f, 0.74f}, {0.55f, 0.34f, 0.29f},
                        {0.89f, 0.47f, 0.76f}, {0.50f, 0.50f, 0.50f}, {0.74f, 0.74f, 0.13f},
                        {0.09f, 0.75f, 0.81f}};

std::string printf_text(const char* format, double value, int decimals = 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, decimals, value);
    return buf;
}

// The smallest step of 1, 2 or 5 times a power of ten that is at least `raw`.
double nice_step(double raw) {
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= raw * (1 - 1e-9)) return m * power;
    return 10 * power;
}

// Ticks k * step inside [lo, hi] (k an integer, so 0 is exactly 0).
std::vector<double> multiples(double lo, double hi, double step) {
    std::vector<double> ticks;
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; ++k) ticks.push_back(k * step);
    return ticks;
}

// Where the data points fall on the image, in pixels.
struct Frame {
    Rect area;  // the plotting area inside the axes
    Axis x, y;
    double px(double v) const { return area.x + 0.5 + (v - x.lo) / (x.hi - x.lo) * (area.w - 1); }
    double py(double v) const { return area.y + area.h - 0.5 - (v - y.lo) / (y.hi - y.lo) * (area.h - 1); }
};

// A series in axis units: y -> log10 y on a log axis, where y <= 0 has no place (NaN breaks the line there).
std::vector<double> axis_values(const std::vector<double>& v, bool log) {
    std::vector<double> out(v);
    if (log)
        for (double& y : out) y = y > 0 ? std::log10(y) : NAN;
    return out;
}

// Counts the points of the curves (sampled every few pixels along each segment) inside a rectangle.
int64_t points_inside(const std::vector<std::vector<double>>& xs, const std::vector<std::vector<double>>& ys,
                      const Rect& r) {
    int64_t count = 0;
    for (size_t s = 0; s < xs.size(); ++s)
        for (size_t i = 1; i < xs[s].size(); ++i) {
            const double x0 = xs[s][i - 1], y0 = ys[s][i - 1], x1 = xs[s][i], y1 = ys[s][i];
            if (!std::isfinite(x0 + y0 + x1 + y1)) continue;
            const int samples = static_cast<int>(std::min(200.0, std::hypot(x1 - x0, y1 - y0) / 4)) + 1;
            for (int k = 0; k <= samples; ++k) {
                const double t = static_cast<double>(k) / samples, x = x0 + t * (x1 - x0), y = y0 + t * (y1 - y0);
                count += x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
            }
        }
    return count;
}

void draw_legend(Tensor& image, const Frame& frame, const std::vector<Series>& series,
                 const std::vector<std::vector<double>>& xs, const std::vector<std::vector<double>>& ys) {
    std::vector<size_t> shown;
    int64_t label_w = 0;
    for (size_t s = 0; s < series.size(); ++s)
        if (!series[s].label.empty()) {
            shown.push_back(s);
            label_w = std::max(label_w, text_width(series[s].label));
        }
    if (shown.empty()) return;
    const int64_t row_h = kLineHeight + 4, sample_w = 22;
    const int64_t w = 8 + sample_w + 6 + label_w + 8, h = 6 + static_cast<int64_t>(shown.size()) * row_h;
    const Rect& a = frame.area;
    const int64_t inset = 8, right = a.x + a.w - w - inset, bottom = a.y + a.h - h - inset;
    // The corner the curves leave emptiest; on a tie the first in this list.
    const Rect corners[] = {{right, a.y + inset, w, h}, {a.x + inset, a.y + inset, w, h}, {right, bottom, w, h},
                            {a.x + inset, bottom, w, h}};
    Rect box = corners[0];
    int64_t fewest = -1;
    for (const Rect& corner : corners)
        if (const int64_t n = points_inside(xs, ys, corner); fewest < 0 || n < fewest) fewest = n, box = corner;
    fill_rect(image, box, kWhite);
    draw_rect(image, box, Rgb{0.75f, 0.75f, 0.75f});
    for (size_t k = 0; k < shown.size(); ++k) {
        const Rgb colour = kPalette[shown[k] % std::size(kPalette)];
        const int64_t y = box.y + 5 + static_cast<int64_t>(k) * row_h;
        const double mid = y + 4.5;  // the middle of the capitals
        draw_line(image, box.x + 8, mid, box.x + 8 + sample_w, mid, colour, kLineWidth);
        draw_text(image, box.x + 8 + sample_w + 6, y, series[shown[k]].label, kInk);
    }
}

}  // namespace

std::string format_tick(double value, double step) {
    if (std::fabs(value) < 1e-9 * std::fabs(step)) value = 0;  // -0.0 or 1e-17 from k * step: a clean zero
    if (value != 0 && (std::fabs(value) >= 1e6 || std::fabs(value) < 1e-4)) {
        std::string s = printf_text("%.*g", value, 3);  // "1e-05": drop the exponent's leading zeros
        const size_t e = s.find('e');
        if (e != std::string::npos) {
            size_t digits = e + 2;
            while (digits + 1 < s.size() && s[digits] == '0') s.erase(digits, 1);
            if (s[e + 1] == '+') s.erase(e + 1, 1);
        }
        return s;
    }
    const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(std::fabs(step)) - 1e-9)), 0, 10);
    return printf_text("%.*f", value, decimals);
}

Axis make_axis(double data_lo, double data_hi, bool log, int max_ticks) {
    check(std::isfinite(data_lo) && std::isfinite(data_hi) && data_lo <= data_hi, "make_axis: bad data range [",
          data_lo, ", ", data_hi, "]");
    check(max_ticks >= 2, "make_axis: max_ticks must be >= 2, got ", max_ticks);
    Axis axis;
    axis.log = log;
    double lo = data_lo, hi = data_hi;
    if (hi - lo <= 1e-12 * std::max(1.0, std::fabs(hi))) {  // one value: show it in the middle
        const double half = log ? 0.5 : std::max(0.5, std::fabs(lo) * 0.1);
        lo -= half;
        hi += half;
    }
    const double margin = kMargin * (hi - lo);
    axis.lo = lo - margin;
    axis.hi = hi + margin;

    const int decades = static_cast<int>(std::floor(axis.hi) - std::ceil(axis.lo)) + 1;  // powers of ten shown
    if (log && decades >= 3) {  // ticks on powers of ten, every `stride` decades
        const int stride = std::max(1, (decades + max_ticks - 1) / max_ticks);
        for (double k = std::ceil(axis.lo); k <= axis.hi; k += stride) {
            axis.ticks.push_back(k);
            const int e = static_cast<int>(k);
            axis.labels.push_back(e >= -4 && e <= 5 ? format_tick(std::pow(10.0, e), std::pow(10.0, std::min(e, 0)))
                                                    : "1e" + std::to_string(e));
        }
        return axis;
    }
    if (log && axis.hi - axis.lo >= 1.0) {  // one or two decades: ticks on 1, 2 and 5 times powers of ten
        for (double k = std::floor(axis.lo); k <= axis.hi; ++k)
            for (const double m : {1.0, 2.0, 5.0})
                if (const double t = k + std::log10(m); t >= axis.lo && t <= axis.hi) {
                    axis.ticks.push_back(t);
                    axis.labels.push_back(format_tick(m * std::pow(10.0, k), std::pow(10.0, std::min(k, 0.0))));
                }
        return axis;
    }
    // Linear ticks, on the values themselves (on a log axis spanning less than a decade: the values 10^t).
    const double vlo = log ? std::pow(10.0, axis.lo) : axis.lo, vhi = log ? std::pow(10.0, axis.hi) : axis.hi;
    const double step = nice_step((vhi - vlo) / max_ticks);
    for (const double v : multiples(vlo, vhi, step)) {
        if (log && v <= 0) continue;
        axis.ticks.push_back(log ? std::log10(v) : v);
        axis.labels.push_back(format_tick(v, step));
    }
    return axis;
}

Tensor render_line_plot(const std::vector<Series>& series, const PlotOptions& options) {
    check(options.width >= 200 && options.width <= 8192 && options.height >= 150 && options.height <= 8192,
          "render_line_plot: size must be within 200..8192 x 150..8192 pixels, got ", options.width, " x ",
          options.height);
    check(!series.empty(), "render_line_plot(", options.title, "): no series to plot");

    // The data range, in axis units (log10 y on a log axis), over the finite points.
    std::vector<std::vector<double>> ys;
    double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
    for (const Series& s : series) {
        check(s.x.size() == s.y.size(), "render_line_plot(", options.title, "): series '", s.label, "' has ",
              s.x.size(), " x values but ", s.y.size(), " y values");
        ys.push_back(axis_values(s.y, options.log_y));
        for (size_t i = 0; i < s.x.size(); ++i)
            if (std::isfinite(s.x[i]) && std::isfinite(ys.back()[i])) {
                x_lo = std::min(x_lo, s.x[i]), x_hi = std::max(x_hi, s.x[i]);
                y_lo = std::min(y_lo, ys.back()[i]), y_hi = std::max(y_hi, ys.back()[i]);
            }
    }
    check(x_lo <= x_hi, "render_line_plot(", options.title, "): no finite point to plot",
          options.log_y ? " (a log axis shows only y > 0)" : "");
    if (options.diagonal && !options.log_y) {  // the same range on both axes, so y = x is the diagonal
        x_lo = y_lo = std::min(x_lo, y_lo);
        x_hi = y_hi = std::max(x_hi, y_hi);
    }

    // Layout: the title above, tick labels and axis labels left of and below the plotting area.
    const int64_t W = options.width, H = options.height;
    Frame f;
    f.y = make_axis(y_lo, y_hi, options.log_y, std::max(2, static_cast<int>(H / kYTickSpacing)));
    int64_t y_label_w = 0;
    for (const std::string& label : f.y.labels) y_label_w = std::max(y_label_w, text_width(label));
    const int64_t left = 10 + (options.ylabel.empty() ? 0 : kGlyphHeight + 10) + y_label_w + kTickLength + 4;
    const int64_t top = options.title.empty() ? 14 : 12 + text_height(options.title, 2) + 12;
    const int64_t bottom = kTickLength + 4 + kGlyphHeight + (options.xlabel.empty() ? 0 : 10 + kGlyphHeight) + 10;
    const int64_t right = 24;  // room for half of the last x tick label
    f.area = {left, top, W - left - right, H - top - bottom};
    check(f.area.w >= 60 && f.area.h >= 40, "render_line_plot(", options.title, "): ", W, " x ", H,
          " pixels leave no room to plot");
    f.x = make_axis(x_lo, x_hi, false, std::max(2, static_cast<int>(f.area.w / kXTickSpacing)));

    Tensor image = Tensor::ones({3, H, W});
    const Rect& a = f.area;
    for (size_t i = 0; i < f.x.ticks.size(); ++i) {  // grid lines, tick marks, tick labels
        const int64_t px = static_cast<int64_t>(std::floor(f.px(f.x.ticks[i])));
        fill_rect(image, {px, a.y, 1, a.h}, kGrid);
        fill_rect(image, {px, a.y + a.h, 1, kTickLength}, kInk);
        draw_text(image, px - text_width(f.x.labels[i]) / 2, a.y + a.h + kTickLength + 4, f.x.labels[i], kInk);
    }
    for (size_t i = 0; i < f.y.ticks.size(); ++i) {
        const int64_t py = static_cast<int64_t>(std::floor(f.py(f.y.ticks[i])));
        fill_rect(image, {a.x, py, a.w, 1}, kGrid);
        fill_rect(image, {a.x - kTickLength, py, kTickLength, 1}, kInk);
        draw_text(image, a.x - kTickLength - 4 - text_width(f.y.labels[i]), py - 4, f.y.labels[i], kInk);
    }
    if (options.diagonal && !options.log_y) {  // y = x, dashed: 6 pixels on, 4 off
        const double lo = std::max(f.x.lo, f.y.lo), hi = std::min(f.x.hi, f.y.hi);
        const double length = std::hypot(f.px(hi) - f.px(lo), f.py(hi) - f.py(lo));
        for (double d = 0; d < length; d += 10) {
            const double t0 = lo + (hi - lo) * d / length, t1 = lo + (hi - lo) * std::min(d + 6, length) / length;
            draw_polyline(image, {f.px(t0), f.px(t1)}, {f.py(t0), f.py(t1)}, kDiagonal, 1.2, a);
        }
    }
    std::vector<std::vector<double>> pxs, pys;  // the curves in pixels
    for (size_t s = 0; s < series.size(); ++s) {
        std::vector<double> px(series[s].x.size()), py(px.size());
        for (size_t i = 0; i < px.size(); ++i) px[i] = f.px(series[s].x[i]), py[i] = f.py(ys[s][i]);
        const Rgb colour = kPalette[s % std::size(kPalette)];
        draw_polyline(image, px, py, colour, kLineWidth, a);
        if (px.size() <= kMaxMarkedPoints)
            for (size_t i = 0; i < px.size(); ++i)
                if (std::isfinite(px[i]) && std::isfinite(py[i]))
                    fill_circle(image, px[i], py[i], kMarkerRadius, colour, a);
        pxs.push_back(std::move(px));
        pys.push_back(std::move(py));
    }
    draw_rect(image, {a.x - 1, a.y - 1, a.w + 2, a.h + 2}, kInk);  // the frame, just outside the area
    draw_legend(image, f, series, pxs, pys);

    if (!options.title.empty())
        draw_text(image, a.x + (a.w - text_width(options.title, 2)) / 2, 12, options.title, kInk, 2);
    if (!options.xlabel.empty())
        draw_text(image, a.x + (a.w - text_width(options.xlabel)) / 2, H - 10 - kGlyphHeight, options.xlabel, kInk);
    if (!options.ylabel.empty())
        draw_text_up(image, 10, a.y + (a.h + text_width(options.ylabel)) / 2, options.ylabel, kInk);
    return image;
}

void save_line_plot(const std::string& path, const std::vector<Series>& series, const PlotOptions& options) {
    save_png(path, render_line_plot(series, options));
}

}  // namespace convlab
