// tests/optim/test_schedule.cpp: the learning rate each schedule gives, epoch by epoch.
#include "optim/schedule.hpp"
#include "optim/sgd.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::optim;

TEST_CASE("StepLR: halves every 2 epochs" * doctest::test_suite("optim.schedule")) {
    Tensor W = Tensor::zeros({1}).requires_grad_();
    SGD opt({W}, 1.0f);
    StepLR schedule(opt, /*step_size=*/2, /*gamma=*/0.5f);
    std::vector<float> lrs;
    for (int epoch = 1; epoch <= 5; ++epoch) {
        schedule.step();
        lrs.push_back(opt.lr);
    }
    CHECK(lrs == std::vector<float>{1, 0.5f, 0.5f, 0.25f, 0.25f});
    schedule.set_epoch(6);  // resuming: 1 * 0.5^3
    CHECK(opt.lr == 0.125f);
    CHECK(schedule.epoch() == 6);
    CHECK_THROWS_WITH_AS(StepLR(opt, 0), doctest::Contains("StepLR: needs step_size > 0"), Error);
}

TEST_CASE("CosineLR: half a cosine from alpha_0 to eta_min, then flat" * doctest::test_suite("optim.schedule")) {
    Tensor W = Tensor::zeros({1}).requires_grad_();
    SGD opt({W}, 1.0f);
    CosineLR schedule(opt, /*T_max=*/4, /*eta_min=*/0.0f);
    // (1 + cos(pi e / 4)) / 2 for e = 1..4, then 0
    const std::vector<double> expected{0.8535533905932737, 0.5, 0.14644660940672627, 0.0, 0.0};
    for (double want : expected) {
        schedule.step();
        CHECK(opt.lr == doctest::Approx(want).epsilon(1e-6));
    }
    CosineLR floor(opt, 2, 0.1f);  // alpha_0 is the optimiser's lr now: 0
    CHECK(floor.lr_at(0) == 0.0f);
    CHECK(floor.lr_at(1) == doctest::Approx(0.05));
}
