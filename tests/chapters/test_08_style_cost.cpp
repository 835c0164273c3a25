// tests/chapters/test_08_style_cost.cpp: Gram matrix, layer style cost, weighted style cost.
#include "chapters/06_nst_cost_function/cost_terms.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::check_gradient;
using convlab::testing::max_relative_error;
using convlab::testing::random_tensor;

using Inputs = std::vector<Tensor>;

TEST_CASE("gram_matrix: hand-computed 2-channel example" * doctest::test_suite("ch08.gram_matrix")) {
    // a[0] = [[1, 2]], a[1] = [[3, 4]]  ->  G = [[1+4, 3+8], [3+8, 9+16]]
    const Tensor a = Tensor::from({2, 1, 2}, {1, 2, 3, 4});
    const std::vector<float> G_by_hand{5, 11, 11, 25};
    CHECK_MESSAGE(gram_matrix(a).values() == G_by_hand, "G_kk' = sum over positions of a_k a_k'");
}

TEST_CASE("gram_matrix: n_C, n_H, n_W all different" * doctest::test_suite("ch08.gram_matrix")) {
    // (n_C, n_H, n_W) = (2, 3, 4): channel 0 holds 1 .. 12, channel 1 is 1 everywhere
    //   G_00 = 1^2 + .. + 12^2 = 650, G_01 = 1 + .. + 12 = 78, G_11 = 12
    std::vector<float> v(24, 1.0f);
    for (int i = 0; i < 12; ++i) v[i] = float(i + 1);
    const Tensor G = gram_matrix(Tensor::from({2, 3, 4}, v));
    const Shape n_C_by_n_C{2, 2};
    CHECK_MESSAGE(G.shape() == n_C_by_n_C, "G = A A^T: (n_C, n_C), with A = a as (n_C, n_H n_W)");
    const std::vector<float> G_by_hand{650, 78, 78, 12};
    CHECK_MESSAGE(G.values() == G_by_hand, "G = A A^T with A = a as (n_C, n_H n_W), not A^T A");
}

TEST_CASE("gram_matrix: symmetric, and blind to where the features are" * doctest::test_suite("ch08.gram_matrix")) {
    const Tensor a = random_tensor({4, 3, 5}, 1);
    const Tensor G = gram_matrix(a);
    const Shape n_C_by_n_C{4, 4};
    CHECK_MESSAGE(G.shape() == n_C_by_n_C, "G = A A^T: (n_C, n_C)");
    for (int k = 0; k < 4; ++k)
        for (int k2 = 0; k2 < 4; ++k2) CHECK(G.at({k, k2}) == G.at({k2, k}));
    // moving every pixel (here: a flip along n_W) leaves the style matrix unchanged
    const Tensor flipped = Tensor::from({2, 1, 3}, {3, 2, 1, 6, 5, 4});
    CHECK(max_relative_error(gram_matrix(flipped).values(),
                             gram_matrix(Tensor::from({2, 1, 3}, {1, 2, 3, 4, 5, 6})).values()) == 0.0);
}

TEST_CASE("gram_matrix: gradient matches central differences" * doctest::test_suite("ch08.gram_matrix")) {
    check_gradient([](const Tensor& a) { return sum(gram_matrix(a) * random_tensor({3, 3}, 9)); },
                   random_tensor({3, 4, 5}, 7));
}

TEST_CASE("compute_layer_style_cost: hand-computed values and J(A, A) = 0" * doctest::test_suite("ch08.compute_layer_style_cost")) {
    // G_S = [[5, 11], [11, 25]] against a_G = 0: (25 + 121 + 121 + 625) / (2 * 1 * 2 * 2)^2 = 892 / 64
    const Tensor a_S = Tensor::from({2, 1, 2}, {1, 2, 3, 4});
    CHECK_MESSAGE(compute_layer_style_cost(gram_matrix(a_S), Tensor::zeros({2, 1, 2})).item() == doctest::Approx(13.9375),
                  "the style cost is sum (G_S - G_G)^2 / (2 n_H n_W n_C)^2");
    CHECK_MESSAGE(compute_layer_style_cost(gram_matrix(a_S), a_S).item() == 0.0f,
                  "compute_layer_style_cost(gram_matrix(A), A) must be 0");
    const Tensor a = random_tensor({3, 4, 5}, 2);
    CHECK_MESSAGE(compute_layer_style_cost(gram_matrix(a), a).item() == 0.0f,
                  "compute_layer_style_cost(gram_matrix(A), A) must be 0");
}

TEST_CASE("compute_layer_style_cost: n_C, n_H, n_W all different" * doctest::test_suite("ch08.compute_layer_style_cost")) {
    // (n_C, n_H, n_W) = (2, 3, 4): S has 1 in channel 0 and 2 in channel 1, so G_S = [[12, 24], [24, 48]];
    // a_G = 0: (144 + 576 + 576 + 2304) / (2 * 3 * 4 * 2)^2 = 3600 / 2304 = 1.5625
    std::vector<float> s(24, 2.0f);
    for (int i = 0; i < 12; ++i) s[i] = 1.0f;
    const Tensor G_S = gram_matrix(Tensor::from({2, 3, 4}, s));
    CHECK_MESSAGE(compute_layer_style_cost(G_S, Tensor::zeros({2, 3, 4})).item() == doctest::Approx(1.5625),
                  "the style cost divides by (2 n_H n_W n_C)^2 (here 48^2 = 2304): a_G is (n_C, n_H, n_W)");
    // a_G = S with channel 1 halved: G_G = [[12, 12], [12, 12]], (0 + 144 + 144 + 1296) / 2304 = 0.6875
    std::vector<float> h(24, 1.0f);
    CHECK_MESSAGE(compute_layer_style_cost(G_S, Tensor::from({2, 3, 4}, h)).item() == doctest::Approx(0.6875),
                  "sum over every k, k' of (G_S - G_G)^2, squared before the sum");
}

TEST_CASE("compute_layer_style_cost: gradient matches central differences" * doctest::test_suite("ch08.compute_layer_style_cost")) {
    const Tensor G_S = gram_matrix(random_tensor({3, 4, 5}, 4));
    check_gradient([&](const Tensor& a_G) { return compute_layer_style_cost(G_S, a_G); }, random_tensor({3, 4, 5}, 5),
                   1e-2, 2e-2);
}

TEST_CASE("compute_style_cost: lambda-weighted sum over layers" * doctest::test_suite("ch08.compute_style_cost")) {
    // layer 1 as above (13.9375); layer 2: one value, 2 in S and 1 in G: (4 - 1)^2 / (2 * 1 * 1 * 1)^2 = 2.25
    const std::vector<Tensor> G_S = {gram_matrix(Tensor::from({2, 1, 2}, {1, 2, 3, 4})), Tensor::from({1, 1}, {4})};
    const std::vector<Tensor> a_G = {Tensor::zeros({2, 1, 2}), Tensor::from({1, 1, 1}, {1})};
    // 0.5 * 13.9375 + 0.25 * 2.25 = 7.53125
    CHECK_MESSAGE(compute_style_cost(G_S, a_G, {0.5f, 0.25f}).item() == doctest::Approx(7.53125),
                  "J_style = sum_l lambda^[l] J_style^[l]: each layer's cost times its own lambda");
    // layer (n_C, n_H, n_W) = (2, 3, 4) of the layer cost's test (1.5625) with lambda 2, and the one-value
    // layer with lambda 4: 2 * 1.5625 + 4 * 2.25 = 12.125
    std::vector<float> s(24, 2.0f);
    for (int i = 0; i < 12; ++i) s[i] = 1.0f;
    CHECK_MESSAGE(compute_style_cost({gram_matrix(Tensor::from({2, 3, 4}, s)), Tensor::from({1, 1}, {4})},
                                     {Tensor::zeros({2, 3, 4}), Tensor::from({1, 1, 1}, {1})}, {2.0f, 4.0f})
                          .item() == doctest::Approx(12.125),
                  "each layer's cost divides by its own (2 n_H n_W n_C)^2");
    check_gradient(
        [&](const Inputs& x) {
            return compute_style_cost({gram_matrix(random_tensor({2, 3, 3}, 6)), gram_matrix(random_tensor({4, 2, 2}, 8))},
                                      {x[0], x[1]}, {0.7f, 0.3f});
        },
        {random_tensor({2, 3, 3}, 10), random_tensor({4, 2, 2}, 11)});
}

TEST_CASE("style costs: bad shapes and counts are rejected" * doctest::test_suite("ch08.compute_style_cost")) {
    CHECK_THROWS_WITH_AS(gram_matrix(Tensor::zeros({4, 4})), doctest::Contains("gram_matrix: expected activations"),
                         Error);
    CHECK_THROWS_WITH_AS(compute_layer_style_cost(Tensor::zeros({3, 3}), Tensor::zeros({2, 4, 4})),
                         doctest::Contains("got G_S (3, 3) and a_G (2, 4, 4)"), Error);
    CHECK_THROWS_WITH_AS(compute_style_cost({Tensor::zeros({2, 2})}, {Tensor::zeros({2, 1, 1})}, {0.5f, 0.5f}),
                         doctest::Contains("got 1, 1 and 2"), Error);
}
