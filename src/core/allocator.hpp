// src/core/allocator.hpp
//
// A caching allocator for tensor storage. A fresh page costs this machine ~3 ms per MB on first touch,
// so buffers are not returned to the system: a freed buffer goes into a free list keyed by its size class
// and the next request of that class takes it back. The cache is bounded (kMaxCachedBytes); beyond it
// buffers are really freed. Building with -DCONVLAB_NO_ALLOC_CACHE (the sanitizer build) turns the cache
// off so AddressSanitizer sees every use after free.
#pragma once

#include <cstddef>

namespace convlab {

// Returns a 64-byte aligned buffer of at least n floats (contents undefined). n may be 0.
float* alloc_floats(size_t n);
// Gives back a buffer from alloc_floats(n) with the same n.
void free_floats(float* p, size_t n);
// Bytes currently held in the cache (for tests and benchmarks).
size_t cached_bytes();
// Frees every cached buffer.
void release_cached_buffers();

}  // namespace convlab
