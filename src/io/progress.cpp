// src/io/progress.cpp
#include "io/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "core/error.hpp"

namespace convlab {
namespace {

constexpr double kRedrawSeconds = 0.1;  // terminal redraws at most 10 times a second: smooth, and cheap

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

// "35.2 it/s", or "2.5 s/it" when a step takes more than a second.
std::string format_rate(int64_t steps, double seconds) {
    if (steps <= 0 || !(seconds > 0)) return "? it/s";
    const double rate = static_cast<double>(steps) / seconds;
    return rate >= 1 ? fixed(rate, rate >= 100 ? 0 : 1) + " it/s" : fixed(1 / rate, 1) + " s/it";
}

}  // namespace

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const int64_t s = std::llround(seconds);
    char buf[48];
    if (s < 3600)
        std::snprintf(buf, sizeof buf, "%d:%02d", static_cast<int>(s / 60), static_cast<int>(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%lld:%02d:%02d", static_cast<long long>(s / 3600),
                      static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
    return buf;
}

std::string format_progress(const std::string& label, int64_t step, int64_t total, double elapsed_seconds,
                            const std::string& metrics, int64_t first) {
    const std::string steps = std::to_string(total);
    std::string count = std::to_string(step);
    count.insert(0, steps.size() > count.size() ? steps.size() - count.size() : 0, ' ');  // aligned columns
    const double percent = total > 0 ? 100.0 * static_cast<double>(step) / static_cast<double>(total) : 0.0;
    const int64_t n = step - first;  // steps timed by elapsed_seconds
    const double eta = n > 0 ? elapsed_seconds / static_cast<double>(n) * static_cast<double>(total - step) : -1.0;
    std::string line = label + "  " + count + "/" + steps + "  " + fixed(percent, 1) + "%  " +
                       format_rate(n, elapsed_seconds) + "  elapsed " + format_duration(elapsed_seconds) +
                       "  ETA " + format_duration(eta);
    return metrics.empty() ? line : line + "  " + metrics;
}

Progress::Progress(std::string label, int64_t total, int64_t every)
    : Progress(std::move(label), total, every, std::cout, ::isatty(STDOUT_FILENO) == 1) {}

Progress::Progress(std::string label, int64_t total, int64_t every, std::ostream& out, bool terminal)
    : label_(std::move(label)), total_(total), every_(every), out_(out), terminal_(terminal),
      start_(std::chrono::steady_clock::now()) {
    check(total >= 1, "Progress(", label_, "): total must be >= 1, got ", total);
    check(every >= 1, "Progress(", label_, "): every must be >= 1, got ", every);
}

Progress::~Progress() {
    if (line_open_) out_ << std::endl;
}

void Progress::resume_from(int64_t step) {
    first_step_ = last_step_ = step;
}

double Progress::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(int64_t step, const std::string& metrics) {
    last_step_ = step;
    last_metrics_ = metrics;
    const double t = elapsed();
    if (terminal_) {
        if (step != total_ && last_draw_ >= 0 && t - last_draw_ < kRedrawSeconds) return;
        last_draw_ = t;
        // \r returns to the start of the line; ESC [ K erases what is left of a longer previous line.
        out_ << "\r" << format_progress(label_, step, total_, t, metrics, first_step_) << "\x1b[K" << std::flush;
        line_open_ = true;
    } else if (step % every_ == 0 || step == total_) {
        out_ << format_progress(label_, step, total_, t, metrics, first_step_) << std::endl;
    }
}

void Progress::done() {
    if (done_) return;
    done_ = true;
    const double t = elapsed();
    if (terminal_) {
        out_ << "\r" << format_progress(label_, last_step_, total_, t, last_metrics_, first_step_) << "\x1b[K\n";
        line_open_ = false;
    }
    const int64_t n = last_step_ - first_step_;
    out_ << label_ << " done: " << n << " steps in " << (t < 60 ? fixed(t, 1) + " s" : format_duration(t)) << " ("
         << format_rate(n, t) << ")" << std::endl;
}

}  // namespace convlab
