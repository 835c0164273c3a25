// src/core/allocator.cpp
#include "core/allocator.hpp"

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <vector>

namespace convlab {
namespace {

constexpr size_t kAlignment = 64;                          // one cache line, one AVX-512 vector
constexpr size_t kMaxCachedBytes = size_t(4) << 30;        // keep up to 4 GiB of freed buffers
constexpr size_t kExactBelowFloats = size_t(1) << 16;      // below 256 KB: classes of 16 floats

// Size class of a request, in floats: exact (rounded to 16) for small buffers; for large ones rounded up to
// the next of 8 steps per power of two, so buffers of similar size (e.g. a batch's last, smaller step)
// share a class while wasting at most 12.5%.
size_t size_class(size_t n) {
    if (n <= kExactBelowFloats) return (n + 15) / 16 * 16;
    size_t top = 1;
    while (top < n) top <<= 1;
    const size_t step = top / 16;
    return (n + step - 1) / step * step;
}

struct Cache {
    std::mutex mutex;
    std::map<size_t, std::vector<float*>> free_lists;  // size class -> buffers
    size_t bytes = 0;
};

Cache& cache() {
    static Cache* c = new Cache;  // never destroyed: tensors freed during static destruction still find it
    return *c;
}

float* system_alloc(size_t floats) {
    void* p = std::aligned_alloc(kAlignment, floats * sizeof(float));
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<float*>(p);
}

}  // namespace

float* alloc_floats(size_t n) {
    const size_t cls = size_class(n == 0 ? 1 : n);
#ifndef CONVLAB_NO_ALLOC_CACHE
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    auto it = c.free_lists.find(cls);
    if (it != c.free_lists.end() && !it->second.empty()) {
        float* p = it->second.back();
        it->second.pop_back();
        c.bytes -= cls * sizeof(float);
        return p;
    }
#endif
    return system_alloc(cls);
}

void free_floats(float* p, size_t n) {
    if (p == nullptr) return;
#ifndef CONVLAB_NO_ALLOC_CACHE
    const size_t cls = size_class(n == 0 ? 1 : n);
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.bytes + cls * sizeof(float) <= kMaxCachedBytes) {
        c.free_lists[cls].push_back(p);
        c.bytes += cls * sizeof(float);
        return;
    }
#else
    (void)n;
#endif
    std::free(p);
}

size_t cached_bytes() {
    std::lock_guard<std::mutex> lock(cache().mutex);
    return cache().bytes;
}

void release_cached_buffers() {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto& [cls, list] : c.free_lists)
        for (float* p : list) std::free(p);
    c.free_lists.clear();
    c.bytes = 0;
}

}  // namespace convlab
