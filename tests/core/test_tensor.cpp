// tests/core/test_tensor.cpp: storage, views, shapes and their error messages.
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::random_tensor;

TEST_CASE("tensor: factories, shape and values" * doctest::test_suite("core.tensor")) {
    const Tensor t = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK(t.ndim() == 2);
    CHECK(t.dim(0) == 2);
    CHECK(t.dim(-1) == 3);
    CHECK(t.numel() == 6);
    CHECK(t.shape_str() == "(2, 3)");
    CHECK(t.at({1, 2}) == 6.0f);
    CHECK(Tensor::zeros({4}).values() == std::vector<float>(4, 0.0f));
    CHECK(Tensor::scalar(2.5f).item() == 2.5f);
    CHECK_THROWS_WITH_AS(Tensor::from({2, 2}, {1, 2, 3}), "Tensor::from: shape (2, 2) needs 4 values, got 3",
                         Error);
    CHECK_THROWS_AS(Tensor::zeros({1, 1, 1, 1, 1, 1, 1}), Error);  // 7 dims
}

TEST_CASE("tensor: reshape and slices are views of the same storage" * doctest::test_suite("core.tensor")) {
    Tensor t = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
    const Tensor r = t.reshape({3, 2});
    CHECK(r.shares_storage(t));
    CHECK(r.values() == std::vector<float>{1, 2, 3, 4, 5, 6});
    const Tensor col = t.slice(1, 1, 2);  // (2, 1): 2, 5
    CHECK(col.shares_storage(t));
    CHECK_FALSE(col.is_contiguous());
    CHECK(col.values() == std::vector<float>{2, 5});
    const Tensor row = t[1];
    CHECK(row.values() == std::vector<float>{4, 5, 6});
    t.data()[4] = 50;  // writes through to the views
    CHECK(col.values() == std::vector<float>{2, 50});
    CHECK(t.reshape({-1}).shape() == Shape{6});
    CHECK_THROWS_WITH_AS(t.reshape({4, 2}), "reshape: cannot view shape (2, 3) (6 elements) as (4, 2)", Error);
}

TEST_CASE("tensor: transpose and permute are strided views" * doctest::test_suite("core.tensor")) {
    const Tensor t = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
    const Tensor tt = transpose(t);
    CHECK(tt.shape() == Shape{3, 2});
    CHECK(tt.values() == std::vector<float>{1, 4, 2, 5, 3, 6});
    const Tensor x = Tensor::arange(24).reshape({2, 3, 4});
    const Tensor p = x.permute({2, 0, 1});  // (4, 2, 3)
    CHECK(p.shape() == Shape{4, 2, 3});
    CHECK(p.at({3, 1, 2}) == x.at({1, 2, 3}));
    CHECK(p.contiguous().is_contiguous());
}

TEST_CASE("tensor: copy_ into a strided view writes only the view's elements" * doctest::test_suite("core.tensor")) {
    Tensor t = Tensor::zeros({2, 3});
    t.slice(1, 1, 3).copy_(Tensor::from({2, 2}, {1, 2, 3, 4}));  // columns 1 and 2
    CHECK(t.values() == std::vector<float>{0, 1, 2, 0, 3, 4});
    // a strided source into a strided view: the transpose of (2, 2) {5, 6, 7, 8} is {5, 7, 6, 8}
    t.slice(1, 0, 2).copy_(transpose(Tensor::from({2, 2}, {5, 6, 7, 8})));
    CHECK(t.values() == std::vector<float>{5, 7, 2, 6, 8, 4});
    CHECK_THROWS_WITH_AS(t.slice(1, 0, 2).copy_(Tensor::zeros({2, 3})), "Tensor::copy_: shape (2, 3) into (2, 2)",
                         Error);
}

TEST_CASE("tensor: concat, stack and pad" * doctest::test_suite("core.tensor")) {
    const Tensor a = Tensor::from({2, 1}, {1, 2}), b = Tensor::from({2, 2}, {3, 4, 5, 6});
    CHECK(concat({a, b}, 1).values() == std::vector<float>{1, 3, 4, 2, 5, 6});
    CHECK(stack({a, a}, 0).shape() == Shape{2, 2, 1});
    CHECK(pad(Tensor::from({1, 2}, {1, 2}), {1, 0, 0, 1}).values() == std::vector<float>{0, 0, 0, 1, 2, 0});
    CHECK_THROWS_WITH_AS(concat({a, Tensor::zeros({3, 1})}, 1),
                         "concat: shapes (2, 1) and (3, 1) differ outside dim 1", Error);
}

TEST_CASE("tensor: broadcasting arithmetic and its errors" * doctest::test_suite("core.tensor")) {
    const Tensor x = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
    const Tensor row = Tensor::from({3}, {10, 20, 30});
    const Tensor col = Tensor::from({2, 1}, {100, 200});
    CHECK((x + row).values() == std::vector<float>{11, 22, 33, 14, 25, 36});
    CHECK((x * col).values() == std::vector<float>{100, 200, 300, 800, 1000, 1200});
    CHECK((2.0f * x - 1.0f).values() == std::vector<float>{1, 3, 5, 7, 9, 11});
    CHECK_THROWS_WITH_AS(x + Tensor::zeros({2}), "add: shapes (2, 3) and (2,) do not broadcast", Error);
}

TEST_CASE("tensor: reductions" * doctest::test_suite("core.tensor")) {
    const Tensor x = Tensor::from({2, 3}, {1, 5, 3, 4, 2, 6});
    CHECK(sum(x).item() == 21.0f);
    CHECK(mean(x).item() == 3.5f);
    CHECK(sum(x, {0}).values() == std::vector<float>{5, 7, 9});
    CHECK(sum(x, {1}, true).shape() == Shape{2, 1});
    CHECK(max(x, 1).values() == std::vector<float>{5, 6});
    CHECK(argmax(x, 1).values() == std::vector<float>{1, 2});
    CHECK(sum_to(Tensor::ones({4, 2, 3}), {2, 1}).values() == std::vector<float>{12, 12});
}

// sum_floats against a sum in double one value after the other, at lengths around its lanes (64) and runs
// (1024), and exactly on integers (which float holds exactly below 2^24).
TEST_CASE("tensor: sum_floats, lane by lane, agrees with a plain double sum" * doctest::test_suite("core.tensor")) {
    for (const int64_t n : {0, 1, 63, 64, 65, 1023, 1024, 1025, 5000, 70001}) {
        const Tensor x = random_tensor({std::max<int64_t>(n, 1)}, int(n));
        double plain = 0.0;
        for (int64_t i = 0; i < n; ++i) plain += x.data()[i];
        CHECK(sum_floats(x.data(), n) == doctest::Approx(plain).epsilon(1e-6));
    }
    std::vector<float> ramp(3000);
    for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = float(i);
    CHECK(sum_floats(ramp.data(), 3000) == 2999.0 * 3000.0 / 2.0);
}

TEST_CASE("tensor: matmul against the naive gemm, batched and shared" * doctest::test_suite("core.tensor")) {
    const Tensor A = random_tensor({3, 5, 7}, 1), B = random_tensor({3, 7, 4}, 2), W = random_tensor({7, 4}, 3);
    const Tensor Y = matmul(A, B);
    CHECK(Y.shape() == Shape{3, 5, 4});
    for (int b = 0; b < 3; ++b) {
        std::vector<float> ref(20);
        gemm_naive(false, false, 5, 4, 7, 1.0f, A[b].contiguous().data(), 7, B[b].contiguous().data(), 4, 0.0f,
                   ref.data(), 4);
        CHECK(convlab::testing::max_relative_error(Y[b].values(), ref) < 1e-5);
    }
    CHECK(matmul(A, W).shape() == Shape{3, 5, 4});
    CHECK_THROWS_WITH_AS(matmul(A, A), "matmul: inner sizes differ: (3, 5, 7) @ (3, 5, 7)", Error);
}
