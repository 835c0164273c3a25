// tests/core/test_parallel.cpp: the pool covers every index once (ranges and single indices), survives
// many jobs back to back, passes exceptions on, and results do not depend on threads.
#include <atomic>
#include <functional>
#include <thread>

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

TEST_CASE("parallel_for_each: every index exactly once, on 1 and 2 threads" * doctest::test_suite("core.parallel")) {
    const int before = num_threads();
    for (const int threads : {1, 2}) {
        set_num_threads(threads);
        std::vector<std::atomic<int>> hits(1001);
        parallel_for_each(1001, [&](int64_t i) { hits[i]++; });
        int64_t once = 0;
        for (auto& h : hits) once += h.load() == 1;
        CHECK(once == 1001);
    }
    set_num_threads(before);
}

TEST_CASE("parallel_for_each: jobs back to back, as gemm issues them" * doctest::test_suite("core.parallel")) {
    // 3000 short jobs in a row (workers catch most while still spinning, some after sleeping): each sums
    // 0 + 1 + ... + 9, and each job ends before the next begins, so every total is exact.
    const int before = num_threads();
    set_num_threads(2);
    std::atomic<int64_t> total{0};
    int64_t wrong = 0;
    for (int job = 0; job < 3000; ++job) {
        total = 0;
        parallel_for_each(10, [&](int64_t i) { total += i; });
        wrong += total.load() != 45;
    }
    CHECK(wrong == 0);
    set_num_threads(before);
}

TEST_CASE("parallel_for_each: serial inside a parallel_for; an exception reaches the caller" *
          doctest::test_suite("core.parallel")) {
    const int before = num_threads();
    set_num_threads(2);
    std::atomic<int> other_thread{0};
    parallel_for(2, [&](int64_t, int64_t) {
        const std::thread::id me = std::this_thread::get_id();
        parallel_for_each(50, [&](int64_t) { other_thread += std::this_thread::get_id() != me; });
    });
    CHECK(other_thread.load() == 0);
    CHECK_THROWS_WITH_AS(parallel_for_each(10, [](int64_t i) {
                             if (i == 7) fail("index ", i, " failed");
                         }),
                         "index 7 failed", Error);
    set_num_threads(before);
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

TEST_CASE("parallel: pooling, batch norm, broadcasting and upsampling, forward and backward, the same bits for 1 and "
          "2 threads" * doctest::test_suite("core.parallel")) {
    // sizes that give each kernel at least two tasks of kTaskGrain values
    const Tensor images = random_tensor({4, 8, 64, 64}, 4), rows = random_tensor({300, 1000}, 5);
    const Tensor bias = random_tensor({1000}, 6), channels = random_tensor({8, 16, 32, 32}, 7);
    const auto input_gradient = [](const Tensor& x, const std::function<Tensor(const Tensor&)>& f) {
        Tensor a = x.detach().clone().requires_grad_();
        const Tensor y = f(a);
        sum(square(y)).backward();
        std::vector<float> out = y.values(), g = a.grad().values();
        out.insert(out.end(), g.begin(), g.end());
        return out;
    };
    const auto same_bits = [&](const Tensor& x, const std::function<Tensor(const Tensor&)>& f) {
        check_same_bits_for_1_and_2_threads([&] { return input_gradient(x, f); });
    };
    same_bits(images, [](const Tensor& x) { return max_pool2d(x, 3, 2, 1); });
    same_bits(images, [](const Tensor& x) { return avg_pool2d(x, 2); });
    same_bits(rows, [&](const Tensor& x) { return x * bias + 1.0f; });
    same_bits(images, [](const Tensor& x) { return upsample_nearest(x, 2); });
    same_bits(channels, [](const Tensor& x) {
        Tensor mean, var;
        return batch_norm(x, Tensor::ones({16}), Tensor::zeros({16}), mean, var, /*training=*/true);
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
