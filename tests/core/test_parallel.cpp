// tests/core/test_parallel.cpp: the pool covers every index once, and results do not depend on threads.
#include <atomic>

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

using convlab::testing::check_same_bits_for_1_and_2_threads;

TEST_CASE("parallel: sums and products are bitwise identical for 1 and 2 threads" *
          doctest::test_suite("core.parallel")) {
    const Tensor x = random_tensor({300, 1000}, 1), A = random_tensor({130, 257}, 2), B = random_tensor({257, 71}, 3);
    check_same_bits_for_1_and_2_threads([&] { return std::vector<float>{sum(x).item()}; });
    check_same_bits_for_1_and_2_threads([&] { return sum(x, {0}).values(); });
    check_same_bits_for_1_and_2_threads([&] { return matmul(A, B).values(); });
    check_same_bits_for_1_and_2_threads([&] {
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
