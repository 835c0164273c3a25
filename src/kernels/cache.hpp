// src/kernels/cache.hpp
//
// The cache sizes the convolution kernels are blocked for, one constant per assumption. Every block, window
// and panel size of kernels/conv*, kernels/winograd* is derived from (or checked against) one of them, so
// that a machine with other caches changes a line here.
#pragma once

#include <cstdint>

namespace convlab {

// A cache line: 64 bytes on every x86-64 core.
constexpr int64_t kCacheLineBytes = 64;
// Data L1 per core: 32 KB on the x86-64 cores of the last decade (48 KB on the newest Intel ones).
constexpr int64_t kL1Bytes = int64_t(32) << 10;
// L2 per core: 2 MB on Intel's server cores since Sapphire Rapids (AMD's Zen 4 has 1 MB).
constexpr int64_t kL2Bytes = int64_t(2) << 20;
// A block one thread fills and reads again (a block of cols, Winograd's V and M): a quarter of L2, which
// leaves the rest to what is read beside it (gemm's packed panels, an input window, the filters).
constexpr int64_t kBlockBytes = kL2Bytes / 4;

}  // namespace convlab
