// tests/chapters/test_06_style_transfer.cpp: J(G) and its gradient, the optimisation loop, the inputs.
#include <chrono>
#include <cmath>

#include "app/nst_app.hpp"
#include "chapters/06_nst_cost_function/cost_terms.hpp"
#include "chapters/06_nst_cost_function/style_transfer.hpp"
#include "data/synthetic_paintings.hpp"
#include "nets/multiscale.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::random_tensor;

namespace {

MultiScaleConfig tiny_config() { return {"tiny", {{0, 3, 6}, {1, 3, 5}}, "k3@2", 100.0f}; }

StyleTransferSettings tiny_settings() {
    StyleTransferSettings s;
    s.content_layers = {"k3@2"};
    s.content_lambda = {1.0f};
    s.style_layers = {"k3@1", "k3@2"};
    s.lambda = {0.5f, 0.5f};
    s.alpha = 10.0f;
    s.beta = 100.0f;
    s.tv_weight = 0.1f;
    return s;
}

}  // namespace

TEST_CASE("style_transfer_step: J is the weighted sum of the lecture's costs, and dJ/dG is right" *
          doctest::test_suite("ch06.style_transfer_step")) {
    INFO("J = alpha J_content + beta J_style (+ tv_weight J_tv) from one forward pass of G, then J.backward(): "
         "clear G's gradient first");
    const Tensor C = random_tensor({3, 8, 8}, 1, 0, 1), S = random_tensor({3, 8, 8}, 2, 0, 1);
    const MultiScaleNet net(tiny_config(), {C, S}, 3);
    const StyleTransferSettings settings = tiny_settings();
    const StyleTargets targets = compute_targets(net, settings, {1, 3, 8, 8}, C, {S}, {1.0f});
    Tensor G = random_tensor({1, 3, 8, 8}, 4, 0, 1).requires_grad_();
    const StyleCosts costs = style_transfer_step(net, targets, settings, G);
    CHECK(costs.J.item() == doctest::Approx(10 * costs.J_content.item() + 100 * costs.J_style.item() +
                                            0.1 * costs.J_tv.item()).epsilon(1e-5));
    CHECK(costs.J_content.item() > 0);
    CHECK(costs.J_style.item() > 0);
    // J(C) has no content cost; a second call starts from a cleared gradient
    Tensor G_C = C.reshape({1, 3, 8, 8}).clone().requires_grad_();
    CHECK(style_transfer_step(net, targets, settings, G_C).J_content.item() == 0.0f);
    const std::vector<float> first = G_C.grad().values();
    style_transfer_step(net, targets, settings, G_C);
    CHECK(G_C.grad().values() == first);
    // dJ/dG left in G.grad() against central differences of J, element by element
    const std::vector<float> analytic = G.grad().values();
    const double h = 1e-3;
    for (int64_t j = 0; j < G.numel(); ++j) {
        auto J_at = [&](double delta) {
            Tensor moved = G.detach().clone();
            moved.data()[j] += float(delta);
            moved.requires_grad_();
            return double(style_transfer_step(net, targets, settings, moved).J.item());
        };
        const double numeric = (J_at(h) - J_at(-h)) / (2 * h);
        const double err = std::fabs(numeric - analytic[j]) / std::max(1.0, std::fabs(numeric));
        CHECK_MESSAGE(err <= 3e-2, "element ", j, ": autodiff ", analytic[j], ", central difference ", numeric);
        if (err > 3e-2) break;
    }
}

TEST_CASE("style_transfer_step: several content layers give J_content = sum_l w_l J_content^[l]" *
          doctest::test_suite("ch06.style_transfer_step")) {
    const Tensor C = random_tensor({3, 8, 8}, 1, 0, 1), S = random_tensor({3, 8, 8}, 2, 0, 1);
    const MultiScaleNet net(tiny_config(), {C, S}, 3);
    StyleTransferSettings settings = tiny_settings();
    settings.content_layers = {"k3@1", "k3@2"};
    settings.content_lambda = {0.3f, 0.7f};
    const StyleTargets targets = compute_targets(net, settings, {1, 3, 8, 8}, C, {S}, {1.0f});
    REQUIRE(targets.a_C.size() == 2);
    Tensor G = random_tensor({1, 3, 8, 8}, 4, 0, 1).requires_grad_();
    const StyleCosts costs = style_transfer_step(net, targets, settings, G);
    const auto a_G = net.features(G.detach(), {"k3@1", "k3@2"});
    const double expected = 0.3 * compute_content_cost(targets.a_C[0], a_G[0][0]).item() +
                            0.7 * compute_content_cost(targets.a_C[1], a_G[1][0]).item();
    CHECK(costs.J_content.item() == doctest::Approx(expected).epsilon(1e-6));
    settings.content_lambda = {1.0f};  // one weight for two layers
    CHECK_THROWS_WITH_AS(compute_targets(net, settings, {1, 3, 8, 8}, C, {S}, {1.0f}),
                         doctest::Contains("one weight per content layer, got 2 layers and 1 weights"), Error);
}

TEST_CASE("style_transfer_step: check against the autodiff of the costs themselves" *
          doctest::test_suite("ch06.style_transfer_step")) {
    INFO("J = alpha J_content + beta J_style (+ tv_weight J_tv) from one forward pass of G, then J.backward(): "
         "clear G's gradient first");
    // the gradient left in G.grad() equals the gradient of the costs' formula computed independently
    const Tensor C = random_tensor({3, 8, 8}, 5, 0, 1), S = random_tensor({3, 8, 8}, 6, 0, 1);
    const MultiScaleNet net(tiny_config(), {C, S}, 7);
    StyleTransferSettings settings = tiny_settings();
    settings.tv_weight = 0;
    settings.alpha = 0;  // texture synthesis: style only
    const StyleTargets targets = compute_targets(net, settings, {1, 3, 8, 8}, Tensor(), {S}, {1.0f});
    CHECK(targets.a_C.empty());
    Tensor G = random_tensor({1, 3, 8, 8}, 8, 0, 1).requires_grad_();
    const StyleCosts costs = style_transfer_step(net, targets, settings, G);
    Tensor G2 = G.detach().clone().requires_grad_();
    const auto a = net.features(G2, {"k3@1", "k3@2"});
    const Tensor J = 100.0f * compute_style_cost(targets.G_S, {a[0][0], a[1][0]}, {0.5f, 0.5f});
    J.backward();
    CHECK(costs.J.item() == doctest::Approx(J.item()));
    CHECK(testing::max_relative_error(G.grad().values(), G2.grad().values()) < 1e-5);
}

TEST_CASE("optimize_image: 20 L-BFGS iterations at 64 px lower J at least 10x, whatever J's scale" *
          doctest::test_suite("ch06.integration")) {
    const Tensor C = draw_town(48, 64, 1), S = draw_swirl_painting(48, 64, 2);
    const MultiScaleNet net(multiscale_config("default"), {C, S}, 0);
    // J_last / J_first of 20 iterations with alpha and beta both multiplied by `scale`
    const auto run = [&](float scale) {
        StyleTransferSettings settings;
        settings.content_layers = {net.default_content_layer()};
        settings.content_lambda = {1.0f};
        parse_weighted_layers({}, net.default_style_layers(), "--style-layers", settings.style_layers, settings.lambda);
        settings.alpha *= scale;
        settings.beta = net.default_style_weight() * scale;
        Rng rng(0);
        const Tensor G0 = initial_image("noise", C, rng);
        const StyleTargets targets = compute_targets(net, settings, G0.shape(), C, {S}, {1.0f});
        OptimizeOptions options;
        options.iterations = 20;
        double J_first = 0, J_last = 0;
        options.report_every = 5;
        std::vector<int> reported;
        options.after_iteration = [&](int it, const Tensor& G, const StyleCosts& costs, double) {
            (it == 0 ? J_first : J_last) = costs.J.item();
            reported.push_back(it);
            CHECK(G.shape() == G0.shape());
        };
        const Tensor G = optimize_image(style_transfer_cost(net, targets, settings), G0, options);
        MESSAGE("scale ", scale, ": J ", J_first, " -> ", J_last, " after 20 iterations");
        CHECK(reported == std::vector<int>{0, 5, 10, 15, 20});
        for (float v : G.values()) REQUIRE((v >= 0.0f && v <= 1.0f));
        return J_last / J_first;
    };
    const double ratio = run(1.0f);
    CHECK(ratio <= 0.1);
    // J ~ 1e-8 of that (as with random VGG-19 weights): L-BFGS sees J(G) / J(G0), so it takes the same steps
    CHECK(run(1e-8f) == doctest::Approx(ratio).epsilon(0.05));
}

TEST_CASE("total_variation by hand" * doctest::test_suite("ch06.integration")) {
    // one channel [[0, 1], [1, 3]] (others 0): down (1, 2), right (1, 2): (1 + 4 + 1 + 4) / (2 * 2) = 2.5
    const Tensor G = Tensor::from({1, 3, 2, 2}, {0, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(total_variation(G).item() == doctest::Approx(2.5));
}

TEST_CASE("style transfer: bad inputs give clear errors" * doctest::test_suite("ch06.integration")) {
    const Tensor C = random_tensor({3, 8, 8}, 1, 0, 1);
    const MultiScaleNet net(tiny_config(), {C}, 3);
    StyleTransferSettings settings = tiny_settings();
    CHECK_THROWS_WITH_AS(compute_targets(net, settings, {1, 3, 8, 8}, C, {C}, {1.0f, 1.0f}),
                         doctest::Contains("one blend weight per style image, got 1 styles and 2 weights"), Error);
    CHECK_THROWS_WITH_AS(compute_targets(net, settings, {1, 3, 8, 8}, Tensor(), {C}, {1.0f}),
                         doctest::Contains("expected a content image (3, H, W), got none"), Error);
    Rng rng(0);
    CHECK_THROWS_WITH_AS(initial_image("zeros", C, rng), doctest::Contains("--init must be noise, content"), Error);
    std::vector<std::string> layers;
    std::vector<float> lambda;
    CHECK_THROWS_WITH_AS(parse_weighted_layers({"k3@1:abc"}, {}, "--style-layers", layers, lambda),
                         doctest::Contains("--style-layers: weight of k3@1: expected numbers, got 'abc'"), Error);
    CHECK_THROWS_WITH_AS(parse_weighted_layers({"k3@1:-1"}, {}, "--content-layers", layers, lambda),
                         doctest::Contains("--content-layers: weight of k3@1 must be >= 0, got -1"), Error);
    CHECK_THROWS_WITH_AS(parse_numbers({"0.5", "1x"}, "--style-blend"),
                         doctest::Contains("--style-blend: expected numbers, got '1x'"), Error);
    parse_weighted_layers({"k3@1:0.7", "k3@2"}, {}, "--style-layers", layers, lambda);
    CHECK(layers == std::vector<std::string>{"k3@1", "k3@2"});
    CHECK(lambda == std::vector<float>{0.7f, 1.0f - 0.7f});
    parse_weighted_layers({}, {"k3@1", "k3@2", "k5@1", "k7@1"}, "--content-layers", layers, lambda);
    CHECK(lambda == std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f});
    CHECK_THROWS_WITH_AS(load_nst_images("/no/such/content.jpg", {}, "", 32, 1.0, 0),
                         doctest::Contains("/no/such/content.jpg"), Error);
}

TEST_CASE("style_transfer_step: the same bits with 1 and 2 threads" * doctest::test_suite("ch06.integration")) {
    const Tensor C = draw_town(24, 32, 1), S = draw_swirl_painting(24, 32, 2);
    const int saved = num_threads();
    std::vector<float> J, grad[2];
    for (int threads : {1, 2}) {
        set_num_threads(threads);
        const MultiScaleNet net(multiscale_config("default"), {C, S}, 0);
        StyleTransferSettings settings = tiny_settings();
        settings.content_layers = {net.default_content_layer()};
        settings.content_lambda = {1.0f};
        parse_weighted_layers({}, net.default_style_layers(), "--style-layers", settings.style_layers, settings.lambda);
        const StyleTargets targets = compute_targets(net, settings, {1, 3, 24, 32}, C, {S}, {1.0f});
        Tensor G = random_tensor({1, 3, 24, 32}, 3, 0, 1).requires_grad_();
        J.push_back(style_transfer_step(net, targets, settings, G).J.item());
        grad[threads - 1] = G.grad().values();
    }
    set_num_threads(saved);
    CHECK(J[0] == J[1]);
    CHECK(grad[0] == grad[1]);
}
