// tests/core/test_parallel.cpp: the pool covers every index once, and results do not depend on threads.
#include <atomic>
#include <cstring>

#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::random_tensor;

TEST_CASE("parallel_for: every index exactly once" * doctest::test_suite("core.parallel")) {
    std::vector<std::atomic<int>> hits(1001);
    parallel_for(1001, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) hits[i]++;
    });
    for (auto& h : hits) CHECK(h.load() == 1);
}

// Runs f with 1 thread and with 2 threads and requires the same bits.
static void same_bits_for_1_and_2_threads(const std::function<std::vector<float>()>& f) {
    const int before = num_threads();
    set_num_threads(1);
    const std::vector<float> one = f();
    set_num_threads(2);
    const std::vector<float> two = f();
    set_num_threads(before);
    REQUIRE(one.size() == two.size());
    CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)) == 0);
}

TEST_CASE("parallel: sums and products are bitwise identical for 1 and 2 threads" *
          doctest::test_suite("core.parallel")) {
    const Tensor x = random_tensor({300, 1000}, 1), A = random_tensor({130, 257}, 2), B = random_tensor({257, 71}, 3);
    same_bits_for_1_and_2_threads([&] { return std::vector<float>{sum(x).item()}; });
    same_bits_for_1_and_2_threads([&] { return sum(x, {0}).values(); });
    same_bits_for_1_and_2_threads([&] { return matmul(A, B).values(); });
    same_bits_for_1_and_2_threads([&] {
        Tensor a = A.detach().clone().requires_grad_();
        sum(square(matmul(a, B))).backward();
        return a.grad().values();
    });
}

TEST_CASE("parallel_for: an exception on a worker reaches the caller" * doctest::test_suite("core.parallel")) {
    const int before = num_threads();
    set_num_threads(2);
    CHECK_THROWS_WITH_AS(parallel_for(100, [](int64_t lo, int64_t) {
                             if (lo > 0) fail("range starting at ", lo, " failed");
                         }),
                         "range starting at 50 failed", Error);
    parallel_for(10, [](int64_t, int64_t) {});  // the pool still works afterwards
    set_num_threads(before);
}
