// src/core/allocator.hpp
//
// Storage for tensors. A fresh page costs a page fault and a page of zeros on first touch, so memory that a
// tensor frees is kept and handed out again instead of going back to the system:
//   small buffers (up to kSmallFloats) go into a free list per size class, exact to 64 bytes;
//   large ones are cut from big chunks of memory by a Heap: a request takes the smallest free block that
//   holds it (best fit) and leaves the rest free, and a freed block merges with its free neighbours. So the
//   memory of a freed 64 MB activation serves two 32 MB ones later, and the other way round.
// The process then holds little more than its tensors ever held at once (docs/benchmarks.md: peak memory).
//
// Building with -DCONVLAB_NO_ALLOC_CACHE (the sanitizer build) turns all of this off: every buffer comes
// from the system and goes back to it, so AddressSanitizer sees every use after free.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <utility>

namespace convlab {

// Returns a 64-byte aligned buffer of at least n floats (contents undefined). n may be 0.
float* alloc_floats(size_t n);
// Gives back a buffer from alloc_floats(n) with the same n.
void free_floats(float* p, size_t n);
// Frees every cached small buffer and every chunk of the heap with nothing in use.
void release_cached_buffers();

// Requests above this many floats (256 KB) come from the heap.
constexpr size_t kSmallFloats = size_t(1) << 16;
// The heap's blocks are whole pages: 4 KB. A large request wastes less than 1.6% to the rounding.
constexpr size_t kHeapUnitFloats = 1024;

// Large blocks cut from chunks of memory, best fit. Chunks of chunk_floats (or one request's size, if
// larger) come from the system when no free block is large enough. Not thread-safe (the allocator locks).
class Heap {
public:
    // max_free_floats: a chunk that becomes wholly free goes back to the system when the heap's free
    // blocks add up to more than this.
    Heap(size_t chunk_floats, size_t max_free_floats);
    ~Heap();
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // A block of at least n floats (n rounded up to whole kHeapUnitFloats), 4 KB aligned.
    float* take(size_t n);
    // Frees the block take(n) returned.
    void give_back(float* p, size_t n);
    // Frees every chunk with nothing in use.
    void release_free_chunks();

    size_t free_floats() const { return free_floats_; }  // in free blocks
    size_t chunk_count() const { return chunks_.size(); }

private:
    void insert_free(float* p, size_t n);
    void erase_free(std::map<float*, size_t>::iterator it);
    void release_chunk(float* start);

    size_t chunk_floats_, max_free_floats_;
    std::map<float*, size_t> chunks_;              // start -> floats
    std::map<float*, size_t> free_;                // free blocks: start -> floats
    std::set<std::pair<size_t, float*>> by_size_;  // the same blocks by size, then address: best fit
    size_t free_floats_ = 0;
};

}  // namespace convlab
