// src/core/parallel.hpp
//
// One pool of std::threads, created once, shared by every kernel.
//
// Determinism: parallel_for gives each index to exactly one call, and kernels compute every output value
// in one call in a fixed order, so results are bitwise identical for 1 and N threads. Reductions that
// cross the split use fixed-size blocks (independent of the thread count) and add the block results in
// order: see parallel_sum.
#pragma once

#include <cstdint>
#include <functional>

namespace convlab {

// The least work worth handing to another thread, in values touched (or multiply-adds) per task: waking a
// thread costs about as much as a few thousand such steps, so smaller pieces are cheaper on the caller.
constexpr int64_t kTaskGrain = int64_t(1) << 14;

// Number of worker threads (including the caller). Chosen by set_num_threads(), else the environment
// variable CONVLAB_THREADS, else std::thread::hardware_concurrency().
int num_threads();
void set_num_threads(int n);

// Calls fn(lo, hi) on disjoint ranges covering [0, n), at most num_threads() of them at once.
// Ranges hold at least min_chunk indices (set it so a call's work is worth a thread wake-up).
// Called from inside a parallel_for, it runs serially on the calling thread. An exception thrown by fn on
// any thread is rethrown to the caller once every range has finished.
void parallel_for(int64_t n, const std::function<void(int64_t lo, int64_t hi)>& fn, int64_t min_chunk = 1);

// Calls fn(i) for every i in [0, n), handing the indices out one at a time, in order, to whichever thread
// asks next: for pieces of work that may take unequal times, or threads that may start late or share their
// CPU with other processes. Called from inside a parallel_for, it runs serially on the calling thread.
void parallel_for_each(int64_t n, const std::function<void(int64_t i)>& fn);

// Sum of f(i) for i in [0, n), as doubles, in a fixed order: blocks of kTaskGrain indices are summed in
// parallel, then the block sums are added in block order. Same bits for any thread count (the block size,
// not the thread count, decides where the partial sums fall).
double parallel_sum(int64_t n, const std::function<double(int64_t lo, int64_t hi)>& block_sum);

}  // namespace convlab
