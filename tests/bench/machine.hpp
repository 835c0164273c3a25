// tests/bench/machine.hpp
//
// The machine the figures were measured on: its description (lscpu, else /proc/cpuinfo), and two
// measured ceilings that explain the figures: the fused multiply-add peak (what a perfect kernel reaches)
// and the memory read bandwidth (what limits products whose operands do not fit in the caches).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "tests/bench/harness.hpp"

namespace bench {

// Output of a shell command ("" when it cannot run).
inline std::string command_output(const std::string& command) {
    std::string out;
    if (FILE* p = popen((command + " 2>/dev/null").c_str(), "r")) {
        char buffer[4096];
        for (size_t n; (n = fread(buffer, 1, sizeof buffer, p)) > 0;) out.append(buffer, n);
        pclose(p);
    }
    return out;
}

// "Intel(R) Xeon(R) Processor, 2 CPUs, L1d 96 KiB (2 instances), ..." from lscpu, else /proc/cpuinfo.
inline std::string machine_description() {
    const std::string lscpu = command_output("lscpu");
    std::istringstream lines(lscpu.empty() ? command_output("cat /proc/cpuinfo") : lscpu);
    std::string model, cpus, l1d, l2, l3, flags;
    const auto value = [](const std::string& line) {
        const size_t colon = line.find(':');
        const size_t start = line.find_first_not_of(" \t", colon + 1);
        return colon == std::string::npos || start == std::string::npos ? std::string() : line.substr(start);
    };
    const auto starts = [](const std::string& line, const char* key) { return line.rfind(key, 0) == 0; };
    for (std::string line; std::getline(lines, line);) {
        if (starts(line, "Model name") || (model.empty() && starts(line, "model name"))) model = value(line);
        if (starts(line, "CPU(s):")) cpus = value(line);
        if (starts(line, "L1d cache")) l1d = value(line);
        if (starts(line, "L2 cache")) l2 = value(line);
        if (starts(line, "L3 cache")) l3 = value(line);
        if (starts(line, "Flags") || (flags.empty() && starts(line, "flags"))) flags = " " + value(line) + " ";
    }
    std::string simd;
    for (const std::string f : {"avx512f", "avx2", "fma", "asimd"})
        if (flags.find(" " + f + " ") != std::string::npos) simd += (simd.empty() ? "" : " ") + f;
    std::ostringstream s;
    s << (model.empty() ? "unknown CPU" : model) << ", " << (cpus.empty() ? "?" : cpus) << " CPUs";
    if (!l1d.empty()) s << ", L1d " << l1d << ", L2 " << l2 << ", L3 " << l3;
    if (!simd.empty()) s << ", " << simd;
    return s.str();
}


// The 1-minute load average (/proc/loadavg), or -1 where there is none. Above the number of CPUs, other
// processes were competing for them and the figures are slower and noisier than the machine can do.
inline double load_average() {
    double load = -1.0;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &load) != 1) load = -1.0;
        std::fclose(f);
    }
    return load;
}

namespace detail {

// 16 x 16 independent multiply-add chains: 16 vectors of 16 floats, more than the 2 FMA units x 4 cycles
// of latency need, so the loop runs at the FMA units' peak. Full-width vectors asked for as in
// src/kernels/gemm_micro_kernel.cpp.
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target("prefer-vector-width=512")))
#endif
__attribute__((noinline)) inline float fma_chains(int64_t steps, float x) {
    float acc[16][16] = {}, mul[16], add[16];
    for (int j = 0; j < 16; ++j) {
        mul[j] = x + float(j) * 1e-7f;
        add[j] = 1e-4f;
    }
    for (int64_t k = 0; k < steps; ++k)
        for (int i = 0; i < 16; ++i)
            for (int j = 0; j < 16; ++j) acc[i][j] = acc[i][j] * mul[j] + add[j];
    float s = 0.0f;
    for (int i = 0; i < 16; ++i)
        for (int j = 0; j < 16; ++j) s += acc[i][j];
    return s;
}

}  // namespace detail

// GFLOP/s of multiply-adds on `threads` threads of the pool (best of 5 runs of ~0.1 s).
inline double fma_peak_gflops(int threads) {
    constexpr int64_t kSteps = 1 << 22;  // 2^22 x 256 multiply-adds: ~0.1 s per thread at 200 GFLOP/s
    convlab::set_num_threads(threads);
    volatile float sink = 0.0f;
    double best = 1e30;
    for (int run = 0; run < 5; ++run)
        best = std::min(best, seconds_of([&] {
            convlab::parallel_for(threads, [&](int64_t lo, int64_t hi) {
                for (int64_t t = lo; t < hi; ++t) sink = sink + detail::fma_chains(kSteps, 0.999f);
            });
        }));
    return double(threads) * kSteps * 256 * 2 / best / 1e9;
}

// GB/s of reading a 256 MB buffer on one thread (best of 3), far beyond any cache.
inline double memory_read_gbs() {
    std::vector<float> buffer(size_t(64) << 20, 1.0f);
    volatile float sink = 0.0f;
    double best = 1e30;
    for (int run = 0; run < 3; ++run)
        best = std::min(best, seconds_of([&] {
            float s[16] = {};
            for (size_t i = 0; i < buffer.size(); i += 16)
                for (int j = 0; j < 16; ++j) s[j] += buffer[i + j];
            sink = sink + s[0];
        }));
    return double(buffer.size() * sizeof(float)) / best / 1e9;
}

}  // namespace bench
