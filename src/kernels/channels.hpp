// src/kernels/channels.hpp
//
// A tensor (N, C, *) seen channel by channel, for ops with per-channel statistics (batch norm): channel c
// holds m = N * S values, S = prod(*), at offsets (n C + c) S + s of the dense buffer. Channels run in
// parallel, each summed by one thread in a fixed order (in double), so results are the same bits for any
// thread count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>

#include "core/parallel.hpp"
#include "core/tensor.hpp"

namespace convlab::kernels {

struct Channels {
    int64_t N, C, S;

    // x (N, C, *) with at least 2 dims.
    static Channels of(const Shape& x) {
        const int64_t N = x[0], C = x[1];
        return {N, C, shape_numel(x) / std::max<int64_t>(1, N * C)};
    }
    int64_t m() const { return N * S; }

    // fn(c) for every channel, channels shared among the threads (at least kTaskGrain values per task).
    void for_each(const std::function<void(int64_t c)>& fn) const {
        parallel_for(C, [&](int64_t c0, int64_t c1) {
            for (int64_t c = c0; c < c1; ++c) fn(c);
        }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(1, m())));
    }
    // f(i) for the offset i of every value of channel c, in order.
    template <typename F>
    void for_each_value(int64_t c, F f) const {
        for (int64_t n = 0; n < N; ++n)
            for (int64_t i = (n * C + c) * S, end = i + S; i < end; ++i) f(i);
    }
    // sum over channel c's values of f(i), in double, in order.
    template <typename F>
    double sum(int64_t c, F f) const {
        double acc = 0.0;
        for_each_value(c, [&](int64_t i) { acc += f(i); });
        return acc;
    }
};

}  // namespace convlab::kernels
