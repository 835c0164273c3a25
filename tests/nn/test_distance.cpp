// tests/nn/test_distance.cpp: l2_normalize and pairwise squared distances.
#include "ops/distance.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::random_tensor;
using convlab::testing::weighted_sum;

using Inputs = std::vector<Tensor>;


TEST_CASE("l2_normalize: hand-computed, unit length, zero stays zero" * doctest::test_suite("core.distance")) {
    // (3, 4) / 5 = (0.6, 0.8); the zero row stays 0 thanks to eps
    const std::vector<float> y = l2_normalize(Tensor::from({2, 2}, {3, 4, 0, 0}), 1).values();
    CHECK(y[0] == doctest::Approx(0.6));
    CHECK(y[1] == doctest::Approx(0.8));
    CHECK(y[2] == 0.0f);
    CHECK(y[3] == 0.0f);
    // along dim 0: columns (3, 4) and (0, 0)
    const std::vector<float> c = l2_normalize(Tensor::from({2, 2}, {3, 0, 4, 0}), 0).values();
    CHECK(c[0] == doctest::Approx(0.6));
    CHECK(c[2] == doctest::Approx(0.8));
    const Tensor f = l2_normalize(random_tensor({5, 8}, 1), 1);
    for (float s : sum(square(f), {1}).values()) CHECK(s == doctest::Approx(1.0).epsilon(1e-6));
}

TEST_CASE("l2_normalize: gradient matches central differences" * doctest::test_suite("core.distance")) {
    check_gradient([](const Tensor& t) { return weighted_sum(l2_normalize(t, 1)); }, random_tensor({3, 5}, 2));
    check_gradient([](const Tensor& t) { return weighted_sum(l2_normalize(t, 0)); }, random_tensor({4, 2}, 3));
}

TEST_CASE("pairwise_sq_distances: hand-computed table" * doctest::test_suite("core.distance")) {
    // a_0 = (0, 0), a_1 = (1, 1);  b_0 = (1, 0), b_1 = (3, 4), b_2 = (1, 1)
    const Tensor A = Tensor::from({2, 2}, {0, 0, 1, 1}), B = Tensor::from({3, 2}, {1, 0, 3, 4, 1, 1});
    const Tensor D = pairwise_sq_distances(A, B);
    CHECK(D.shape() == Shape{2, 3});
    CHECK(D.values() == std::vector<float>{1, 25, 2, 1, 13, 0});
}

TEST_CASE("pairwise_sq_distances: exact for nearly equal encodings" * doctest::test_suite("core.distance")) {
    // Two unit-length 128-d encodings 1e-4 apart in one coordinate: d = 1e-8. The expansion
    // ||a||^2 + ||b||^2 - 2 a.b loses this entirely in float (it is below the rounding of 1 + 1).
    Tensor a = Tensor::zeros({1, 128}), b = Tensor::zeros({1, 128});
    a.data()[0] = 1.0f;
    b.data()[0] = 1.0f;
    b.data()[7] = 1e-4f;
    CHECK(pairwise_sq_distances(a, b).item() == doctest::Approx(1e-8).epsilon(1e-4));
    CHECK(pairwise_sq_distances(a, a).item() == 0.0f);
}

TEST_CASE("pairwise_sq_distances: gradients for both inputs" * doctest::test_suite("core.distance")) {
    const Tensor A = random_tensor({3, 4}, 4), B = random_tensor({5, 4}, 5);
    check_gradient([](const Inputs& t) { return weighted_sum(pairwise_sq_distances(t[0], t[1])); }, {A, B});
    // a transposed (non-contiguous) input
    check_gradient([](const Inputs& t) { return weighted_sum(pairwise_sq_distances(transpose(t[0]), t[1])); },
                   {random_tensor({4, 2}, 6), B});
}

TEST_CASE("pairwise_sq_distances: same bits for 1 and 2 threads; shape errors" *
          doctest::test_suite("core.distance")) {
    Tensor A = random_tensor({301, 16}, 7), B = random_tensor({53, 16}, 8);
    A.requires_grad_();
    convlab::testing::check_same_bits_for_1_and_2_threads([&] {
        A.zero_grad();
        const Tensor D = pairwise_sq_distances(A, B);
        weighted_sum(D).backward();
        std::vector<float> all = D.values();
        for (float v : A.grad().values()) all.push_back(v);
        return all;
    });
    CHECK_THROWS_WITH_AS(pairwise_sq_distances(A, random_tensor({2, 15}, 9)),
                         doctest::Contains("encodings differ in size D: A (301, 16), B (2, 15)"), Error);
    CHECK_THROWS_WITH_AS(pairwise_sq_distances(random_tensor({16}, 9), B),
                         doctest::Contains("expected A (N, D) and B (M, D), got (16,)"), Error);
}
