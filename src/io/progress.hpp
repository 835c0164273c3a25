// src/io/progress.hpp
//
// Progress of a long loop (training steps, style-transfer iterations), one line per update:
//
//   train  120/1000  12.0%  35.2 it/s  elapsed 0:03  ETA 0:25  loss 0.123
//
// On a terminal the line is rewritten in place (\r) at most kRedrawSeconds apart; into a file or pipe a
// plain line is printed every `every` steps (and at the last one), so logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace convlab {

// "m:ss" below an hour, "h:mm:ss" above; "?" for a negative or non-finite time.
std::string format_duration(double seconds);

// One progress line. `first`: the steps done before the clock started (a resumed run); the rate counts the
// steps since, n = step - first, and ETA = elapsed / n * (total - step), the time left at the average rate so
// far; it is "?" before the first step. Below 1 it/s the rate is shown as seconds per step.
std::string format_progress(const std::string& label, int64_t step, int64_t total, double elapsed_seconds,
                            const std::string& metrics, int64_t first = 0);

class Progress {
public:
    // Writes to stdout; rewrites in place when stdout is a terminal.
    Progress(std::string label, int64_t total, int64_t every = 1);
    // Writes to `out`, rewriting in place if `terminal` (for tests, and for stderr).
    Progress(std::string label, int64_t total, int64_t every, std::ostream& out, bool terminal);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // A resumed run: steps 1..step were done before this one started, and do not count in its rate and ETA.
    void resume_from(int64_t step);
    // Steps done so far (1..total) and the metrics to show ("loss 0.123").
    void update(int64_t step, const std::string& metrics = "");
    // Ends the display: the last line, then "<label> done: N steps in T (R it/s)".
    void done();

private:
    double elapsed() const;

    std::string label_;
    int64_t total_, every_;
    std::ostream& out_;
    bool terminal_;
    std::chrono::steady_clock::time_point start_;
    double last_draw_ = -1.0;    // elapsed time of the last redraw on a terminal
    int64_t first_step_ = 0;     // steps done before start_ (resume_from)
    int64_t last_step_ = 0;
    std::string last_metrics_;
    bool line_open_ = false;     // a terminal line without its newline yet
    bool done_ = false;
};

}  // namespace convlab
