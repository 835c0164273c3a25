// src/kernels/conv_tasks.hpp
//
// How the fast convolutions (kernels/conv.cpp and below) share the threads: the work is cut
// into tasks (a sample and a block of its columns or tiles) whose number and boundaries depend on the
// sizes only, so every output value is computed the same way, and the results are the same bits, whatever
// the thread count.
#pragma once

#include <cstdint>
#include <functional>

#include "core/tensor.hpp"

namespace convlab {

// Runs task(t, buffer) for t in [0, tasks), each with a scratch buffer of buffer_floats (from the caching
// allocator; null when 0). Tasks write disjoint outputs: when there are tasks for every thread, they are
// handed out one at a time to whichever thread is free (the kernels inside then run serially); otherwise
// they run one after the other, each using every thread.
void for_each_task(int64_t tasks, int64_t buffer_floats, const std::function<void(int64_t, float*)>& task);

// sum (rows x cols) = sum over the steps t = 0 .. steps-1 of what step(t, buffer, beta, sum) adds to sum
// (beta = 0: it overwrites). The steps are cut into P runs of consecutive steps, each added up in order into
// its own partial sum; then sum = partial_0 + ... + partial_{P-1}. P depends on the sizes only.
Tensor sum_of_steps(int64_t rows, int64_t cols, int64_t steps, int64_t buffer_floats,
                    const std::function<void(int64_t, float*, float, float*)>& step);

}  // namespace convlab
