// src/kernels/cache.hpp
//
// The cache sizes the blocked kernels are cut for, one constant per assumption. A block sized for a cache
// stays in it while it is used again and again; on a CPU with other sizes every kernel stays correct (results
// do not depend on these numbers), only the speed changes. Every block, window and panel size of
// kernels/gemm*, kernels/conv* and kernels/winograd* is derived from (or checked against) one of them. The
// CPUs the benchmarks ran on, and their figures: docs/benchmarks.md.
#pragma once

#include <cstdint>

namespace convlab {

// A cache line: 64 bytes on every x86-64 core.
constexpr int64_t kCacheLineBytes = 64;
// Data L1 of one core: a gemm micro-kernel's A panel and B panel stay in it together. 48 KB on recent Intel
// and AMD cores (32 KB on older ones, where the panels spill a little).
constexpr int64_t kL1Bytes = int64_t(48) << 10;
// L2 of one core: a packed block of gemm's B stays in it while every row block of A passes. 2 MB on Intel's
// server cores since Sapphire Rapids (1 MB on AMD's Zen 4).
constexpr int64_t kL2Bytes = int64_t(2) << 20;
// A block one thread fills and reads again (a block of cols, Winograd's V and M): a quarter of L2, which
// leaves the rest to what is read beside it (gemm's packed panels, an input window, the filters).
constexpr int64_t kBlockBytes = kL2Bytes / 4;

}  // namespace convlab
