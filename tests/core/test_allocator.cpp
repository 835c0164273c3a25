// tests/core/test_allocator.cpp: the heap's best fit, splitting, merging and chunks; the allocator's buffers.
#include "tests/support/check.hpp"

#include <cstdint>
#include <limits>

#include "core/allocator.hpp"

using namespace convlab;

namespace {
constexpr size_t U = kHeapUnitFloats;                           // one page
constexpr size_t kKeepAll = std::numeric_limits<size_t>::max();  // never give a chunk back by itself
}  // namespace

TEST_CASE("Heap: a freed block is cut up for smaller requests" * doctest::test_suite("core.allocator")) {
    Heap heap(8 * U, kKeepAll);
    float* p = heap.take(8 * U);  // the whole first chunk
    CHECK(heap.chunk_count() == 1);
    CHECK(heap.free_floats() == 0);
    heap.give_back(p, 8 * U);
    CHECK(heap.free_floats() == 8 * U);
    CHECK(heap.take(3 * U) == p);              // a 64 MB activation's memory serves smaller ones...
    CHECK(heap.take(5 * U - 10) == p + 3 * U);  // ... (5 U - 10 floats rounded up to 5 whole pages)
    CHECK(heap.chunk_count() == 1);             // without asking the system for more
    CHECK(heap.free_floats() == 0);
}

TEST_CASE("Heap: freed neighbours merge into one block" * doctest::test_suite("core.allocator")) {
    Heap heap(6 * U, kKeepAll);
    float *a = heap.take(2 * U), *b = heap.take(2 * U), *c = heap.take(2 * U);
    CHECK(b == a + 2 * U);
    CHECK(c == a + 4 * U);
    heap.give_back(a, 2 * U);
    heap.give_back(c, 2 * U);
    float* elsewhere = heap.take(4 * U);  // two holes of 2 U: neither holds 4 U, so a second chunk
    CHECK(heap.chunk_count() == 2);
    heap.give_back(elsewhere, 4 * U);
    heap.give_back(b, 2 * U);  // a, b and c merge back into the first chunk's 6 U
    CHECK(heap.free_floats() == 12 * U);
    // two whole chunks of 6 U: best fit may take either first (the system decides their addresses), but
    // only merged blocks can serve both requests without a third chunk
    float *p = heap.take(6 * U), *q = heap.take(6 * U);
    CHECK(((p == a && q == elsewhere) || (p == elsewhere && q == a)));
    CHECK(heap.chunk_count() == 2);
    CHECK(heap.free_floats() == 0);
}

TEST_CASE("Heap: best fit takes the smallest hole that holds the request" * doctest::test_suite("core.allocator")) {
    Heap heap(10 * U, kKeepAll);
    float *a = heap.take(3 * U), *x = heap.take(U), *b = heap.take(2 * U), *y = heap.take(U);
    CHECK(y == a + 6 * U);  // the chunk's last 3 U are still free
    heap.give_back(a, 3 * U);
    heap.give_back(b, 2 * U);
    CHECK(heap.take(2 * U) == b);        // holes of 3, 2 and 3 U: the 2 U one
    CHECK(heap.take(3 * U) == a);        // two holes of 3 U: the lower one
    CHECK(heap.take(2 * U) == a + 7 * U);
    CHECK(heap.free_floats() == U);
    heap.give_back(x, U);  // x merges with nothing: both neighbours are in use
    CHECK(heap.free_floats() == 2 * U);
    CHECK(heap.chunk_count() == 1);
}

TEST_CASE("Heap: a large request gets a chunk of its own; idle chunks go back" *
          doctest::test_suite("core.allocator")) {
    Heap heap(4 * U, kKeepAll);
    float* big = heap.take(10 * U);
    CHECK(heap.chunk_count() == 1);
    CHECK(heap.free_floats() == 0);  // a chunk of exactly 10 U
    float* small = heap.take(U);
    CHECK(heap.chunk_count() == 2);
    CHECK(heap.free_floats() == 3 * U);
    heap.give_back(big, 10 * U);
    heap.release_free_chunks();  // the big chunk is idle, the other holds `small`
    CHECK(heap.chunk_count() == 1);
    CHECK(heap.free_floats() == 3 * U);
    heap.give_back(small, U);
    heap.release_free_chunks();
    CHECK(heap.chunk_count() == 0);
    CHECK(heap.free_floats() == 0);
}

TEST_CASE("Heap: beyond max_free_floats a chunk that empties goes back" * doctest::test_suite("core.allocator")) {
    Heap heap(4 * U, /*max_free_floats=*/4 * U);
    float *p = heap.take(4 * U), *q = heap.take(4 * U);
    CHECK(heap.chunk_count() == 2);
    heap.give_back(p, 4 * U);  // 4 U free: within the bound, kept
    CHECK(heap.chunk_count() == 2);
    heap.give_back(q, 4 * U);  // 8 U free: q's chunk goes
    CHECK(heap.chunk_count() == 1);
    CHECK(heap.free_floats() == 4 * U);
    CHECK(heap.take(4 * U) == p);
}

TEST_CASE("alloc_floats: 64-byte aligned, small and large, contents kept" * doctest::test_suite("core.allocator")) {
    for (const size_t n : {size_t(0), size_t(1), size_t(17), kSmallFloats, kSmallFloats + 1, size_t(3) << 20}) {
        float* p = alloc_floats(n);
        CHECK(reinterpret_cast<std::uintptr_t>(p) % 64 == 0);
        for (size_t i = 0; i < n; ++i) p[i] = float(i % 1000);
        bool kept = true;
        for (size_t i = 0; i < n; ++i) kept = kept && p[i] == float(i % 1000);
        CHECK_MESSAGE(kept, n << " floats");
        free_floats(p, n);
    }
    release_cached_buffers();  // gives back what nothing uses; the tensors alive elsewhere keep theirs
    const Tensor t = Tensor::full({1 << 18}, 2.0f);
    CHECK(sum(t).item() == float(1 << 19));
}
