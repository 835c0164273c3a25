// src/kernels/cache.hpp
//
// The cache sizes the blocked kernels are cut for. A block sized for a cache stays in it while it is used
// again and again; on a CPU with other sizes every kernel stays correct (results do not depend on these
// numbers), only the speed changes. The CPU the benchmarks ran on, and their figures: docs/benchmarks.md.
#pragma once

#include <cstdint>

namespace convlab {

// Level-1 data cache of one core: a gemm micro-kernel's A panel must stay in it while the B panels pass.
constexpr int64_t kL1Bytes = int64_t(48) << 10;
// Level-2 cache of one core: a packed block of gemm's B must stay in it while every row block of A passes.
constexpr int64_t kL2Bytes = int64_t(2) << 20;

}  // namespace convlab
