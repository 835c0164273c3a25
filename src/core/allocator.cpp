// src/core/allocator.cpp
#include "core/allocator.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <mutex>
#include <new>
#include <vector>

namespace convlab {
namespace {

constexpr size_t kAlignment = 64;                      // one cache line, one AVX-512 vector
constexpr size_t kPageBytes = kHeapUnitFloats * sizeof(float);
constexpr size_t kMaxCachedBytes = size_t(4) << 30;    // keep up to 4 GiB free in the cache
// 256 MB: more than any one of VGG-19's activations at 512 x 512 (64 MB), so they share chunks. Pages that
// no block has used yet are never touched: an unused part of a chunk costs address space, not memory.
constexpr size_t kChunkFloats = size_t(64) << 20;

size_t round_up(size_t n, size_t unit) { return (n + unit - 1) / unit * unit; }

void* system_alloc(size_t alignment, size_t bytes) {
    void* p = std::aligned_alloc(alignment, bytes);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

// Small buffers: one free list per size class of 16 floats.
struct Cache {
    std::mutex mutex;
    std::map<size_t, std::vector<float*>> small;  // size class -> buffers
    size_t small_bytes = 0;
    Heap heap{kChunkFloats, kMaxCachedBytes / sizeof(float)};
};

Cache& cache() {
    static Cache* c = new Cache;  // never destroyed: tensors freed during static destruction still find it
    return *c;
}

}  // namespace

// ---- Heap ----------------------------------------------------------------------------------------------

Heap::Heap(size_t chunk_floats, size_t max_free_floats)
    : chunk_floats_(round_up(chunk_floats, kHeapUnitFloats)), max_free_floats_(max_free_floats) {}

Heap::~Heap() {
    for (const auto& [start, floats] : chunks_) std::free(start);
}

void Heap::insert_free(float* p, size_t n) {
    free_.emplace(p, n);
    by_size_.emplace(n, p);
    free_floats_ += n;
}

void Heap::erase_free(std::map<float*, size_t>::iterator it) {
    by_size_.erase({it->second, it->first});
    free_floats_ -= it->second;
    free_.erase(it);
}

float* Heap::take(size_t n_in) {
    const size_t n = round_up(n_in == 0 ? 1 : n_in, kHeapUnitFloats);
    auto best = by_size_.lower_bound({n, nullptr});  // the smallest block that holds n, the lowest if tied
    if (best == by_size_.end()) {
        const size_t floats = std::max(chunk_floats_, n);
        float* start = static_cast<float*>(system_alloc(kPageBytes, floats * sizeof(float)));
        chunks_.emplace(start, floats);
        insert_free(start, floats);
        best = by_size_.find({floats, start});
    }
    float* const p = best->second;
    const size_t size = best->first;
    erase_free(free_.find(p));
    if (size > n) insert_free(p + n, size - n);  // the rest stays free
    return p;
}

void Heap::give_back(float* p, size_t n_in) {
    if (p == nullptr) return;
    size_t n = round_up(n_in == 0 ? 1 : n_in, kHeapUnitFloats);
    const auto chunk = std::prev(chunks_.upper_bound(p));  // the chunk holding p
    float* const chunk_end = chunk->first + chunk->second;
    // merge with the free block after it and the one before it, within the same chunk
    if (p + n < chunk_end)
        if (auto next = free_.find(p + n); next != free_.end()) {
            n += next->second;
            erase_free(next);
        }
    if (p != chunk->first)
        if (auto before = free_.lower_bound(p); before != free_.begin())
            if (auto prev = std::prev(before); prev->first + prev->second == p) {
                p = prev->first;
                n += prev->second;
                erase_free(prev);
            }
    insert_free(p, n);
    if (p == chunk->first && n == chunk->second && free_floats_ > max_free_floats_) release_chunk(p);
}

void Heap::release_chunk(float* start) {
    erase_free(free_.find(start));
    chunks_.erase(start);
    std::free(start);
}

void Heap::release_free_chunks() {
    std::vector<float*> idle;
    for (const auto& [start, floats] : chunks_)
        if (auto it = free_.find(start); it != free_.end() && it->second == floats) idle.push_back(start);
    for (float* start : idle) release_chunk(start);
}

// ---- the allocator -------------------------------------------------------------------------------------

float* alloc_floats(size_t n) {
#ifdef CONVLAB_NO_ALLOC_CACHE
    return static_cast<float*>(system_alloc(kAlignment, round_up(n == 0 ? 1 : n, 16) * sizeof(float)));
#else
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (n > kSmallFloats) return c.heap.take(n);
    const size_t cls = round_up(n == 0 ? 1 : n, 16);
    if (auto it = c.small.find(cls); it != c.small.end() && !it->second.empty()) {
        float* p = it->second.back();
        it->second.pop_back();
        c.small_bytes -= cls * sizeof(float);
        return p;
    }
    return static_cast<float*>(system_alloc(kAlignment, cls * sizeof(float)));
#endif
}

void free_floats(float* p, size_t n) {
    if (p == nullptr) return;
#ifdef CONVLAB_NO_ALLOC_CACHE
    (void)n;
    std::free(p);
#else
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (n > kSmallFloats) return c.heap.give_back(p, n);
    const size_t cls = round_up(n == 0 ? 1 : n, 16);
    if (c.small_bytes + cls * sizeof(float) > kMaxCachedBytes) return std::free(p);
    c.small[cls].push_back(p);
    c.small_bytes += cls * sizeof(float);
#endif
}

void release_cached_buffers() {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto& [cls, list] : c.small)
        for (float* p : list) std::free(p);
    c.small.clear();
    c.small_bytes = 0;
    c.heap.release_free_chunks();
}

}  // namespace convlab
