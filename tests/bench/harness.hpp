// tests/bench/harness.hpp
//
// What every benchmark figure shares: the timer (median of >= 5 runs after a warm-up, in turns with the
// peer) and the report: one table on stdout, the same table with the machine (tests/bench/machine.hpp) and
// date in docs/benchmarks.md, and out/bench.json (per figure: name, threads, convlab's median time, the peer's
// median time or null, ratio = convlab time / peer time, below 1 when convlab is faster).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace bench {

constexpr int kRuns = 5;    // timed runs per figure; the median is reported
constexpr int kWarmup = 1;  // untimed runs first: caches, allocator and thread pool warmed up

struct Row {
    std::string name;     // "sgemm 1024x1024x1024"
    int threads;
    double convlab_s;     // median seconds
    double peer_s;        // median seconds of the peer; < 0 when the peer did not run
    std::string peer;     // "OpenBLAS" or "PyTorch"
    double flops = 0.0;   // > 0 for products: the table also shows GFLOP/s
    double ratio() const { return peer_s > 0.0 ? convlab_s / peer_s : -1.0; }
};

inline double seconds_of(const std::function<void()>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Threads of a peer library keep spinning a while after a call before they sleep (OpenBLAS's, PyTorch's
// OpenMP ones): each side waits this long after the other's run, so that it has the CPUs to itself.
constexpr auto kSettle = std::chrono::milliseconds(300);

// Median seconds of convlab's and of the peer's runs, taken in turns: convlab, peer, convlab, peer, ...,
// after kWarmup untimed runs of each. On a machine shared with other processes, the speed moves from
// minute to minute; in turns, both sides meet the same moments, and their ratio holds even when their
// times do not. Each function returns the seconds of one run, < 0 if it failed; `peer` may be empty. A
// median is -1 when that side did not run or failed once.
inline std::pair<double, double> median_seconds_in_turns(const std::function<double()>& convlab,
                                                         const std::function<double()>& peer) {
    for (int i = 0; i < kWarmup; ++i) {
        convlab();
        if (peer) peer();
    }
    std::vector<double> ours, theirs;
    for (int i = 0; i < kRuns; ++i) {
        ours.push_back(convlab());
        if (!peer) continue;
        std::this_thread::sleep_for(kSettle);
        theirs.push_back(peer());
        std::this_thread::sleep_for(kSettle);
    }
    const auto median = [](std::vector<double> t) {
        if (t.empty() || *std::min_element(t.begin(), t.end()) < 0) return -1.0;  // a run failed
        std::sort(t.begin(), t.end());
        return t[t.size() / 2];
    };
    return {median(ours), median(theirs)};
}

inline std::string now_string() {
    const std::time_t t = std::time(nullptr);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M %Z", std::localtime(&t));
    return buffer;
}

inline std::string format(const char* spec, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, spec, v);
    return buffer;
}

// Seconds as "12.3 ms" or "1.23 s".
inline std::string duration(double s) { return s < 1.0 ? format("%.2f ms", s * 1e3) : format("%.3f s", s); }

// The table, in Markdown (readable as plain text too): a header, then one line per figure.
inline std::string table_header() {
    return "| figure | threads | convlab | peer | peer time | convlab/peer | GFLOP/s convlab | GFLOP/s peer |\n"
           "|---|---:|---:|---|---:|---:|---:|---:|\n";
}

inline std::string table_row(const Row& r) {
    const bool has_peer = r.peer_s > 0.0;
    std::ostringstream s;
    s << "| " << r.name << " | " << r.threads << " | " << duration(r.convlab_s) << " | " << r.peer << " | "
      << (has_peer ? duration(r.peer_s) : "-") << " | " << (has_peer ? format("%.2f", r.ratio()) : "-") << " | "
      << (r.flops > 0 ? format("%.1f", r.flops / r.convlab_s / 1e9) : "") << " | "
      << (r.flops > 0 && has_peer ? format("%.1f", r.flops / r.peer_s / 1e9) : "") << " |\n";
    return s.str();
}

inline std::string table(const std::vector<Row>& rows) {
    std::string s = table_header();
    for (const Row& r : rows) s += table_row(r);
    return s;
}

inline std::string json_string(const std::string& v) {
    std::string out = "\"";
    for (const char c : v) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
}

inline std::string json_number(double v) { return v > 0.0 ? format("%.6g", v) : "null"; }

// out/bench.json: one object per figure; `more` is further "key": value members, or "".
inline std::string json(const std::vector<Row>& rows, const std::string& machine, const std::string& date,
                        const std::string& more = "") {
    std::ostringstream s;
    s << "{\n  \"machine\": " << json_string(machine) << ",\n  \"date\": " << json_string(date)
      << ",\n  \"figures\": [\n";
    for (size_t i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        s << "    {\"name\": " << json_string(r.name) << ", \"threads\": " << r.threads
          << ", \"convlab_s\": " << json_number(r.convlab_s) << ", \"peer\": " << json_string(r.peer)
          << ", \"peer_s\": " << json_number(r.peer_s) << ", \"ratio\": " << json_number(r.ratio()) << "}"
          << (i + 1 < rows.size() ? ",\n" : "\n");
    }
    s << "  ]" << (more.empty() ? "" : ",\n  " + more) << "\n}\n";
    return s.str();
}

}  // namespace bench
