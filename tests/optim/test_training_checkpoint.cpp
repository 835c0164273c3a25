// tests/optim/test_training_checkpoint.cpp: resumable training (bitwise) and the NaN/Inf guard.
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "optim/training_checkpoint.hpp"
#include "io/checkpoint.hpp"
#include "nn/activation.hpp"
#include "nn/linear.hpp"
#include "nn/loss.hpp"
#include "optim/adam.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

struct Run {
    nn::Sequential model;
    std::unique_ptr<optim::Adam> opt;
    Rng rng{7};
    explicit Run(uint64_t init_seed) {
        Rng init(init_seed);
        model.add(std::make_shared<nn::Linear>(3, 8, init)).add(std::make_shared<nn::ReLU>())
            .add(std::make_shared<nn::Linear>(8, 1, init));
        opt = std::make_unique<optim::Adam>(model.parameters(), 0.05f);
    }
    // One step on a random batch drawn from rng: y = x0 - 2 x1 + x2^2.
    void step() {
        const Tensor x = Tensor::rand({16, 3}, rng, -1, 1);
        std::vector<float> y(16);
        for (int i = 0; i < 16; ++i) {
            const float* r = x.data() + 3 * i;
            y[i] = r[0] - 2 * r[1] + r[2] * r[2];
        }
        opt->zero_grad();
        const Tensor J = mse_loss(model(x), Tensor::from({16, 1}, y));
        J.backward();
        optim::check_finite(0, J, model.named_parameters());
        opt->step();
    }
    std::vector<float> weights() const {
        std::vector<float> all;
        for (const Tensor& p : model.parameters())
            for (float v : p.values()) all.push_back(v);
        return all;
    }
};

}  // namespace

TEST_CASE("training: interrupted and resumed ends bitwise identical" * doctest::test_suite("optim.training_checkpoint")) {
    const std::string path = "/tmp/convlab_test_resume_" + std::to_string(::getpid()) + ".ckpt";
    Run straight(1);
    for (int s = 0; s < 20; ++s) straight.step();

    optim::TrainingCheckpoint ckpt{path, 5};
    int64_t stopped_at = 0;
    {
        Run first(1);
        for (int s = 0; s < 12; ++s) {
            first.step();
            ckpt.maybe_save(s + 1, first.model.state(), *first.opt, first.rng);  // saves after steps 5 and 10
        }
        stopped_at = 10;  // steps 11 and 12 are lost with the "crash"
    }
    Run resumed(99);  // different initial weights and RNG: everything must come from the checkpoint
    resumed.rng.reseed(12345);
    const int64_t step = ckpt.load(resumed.model.state(), *resumed.opt, resumed.rng);
    CHECK(step == stopped_at);
    for (int64_t s = step; s < 20; ++s) resumed.step();
    const std::vector<float> a = straight.weights(), b = resumed.weights();
    REQUIRE(a.size() == b.size());
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
    std::remove(path.c_str());
}

TEST_CASE("training: resuming from a missing or foreign file is a clear error" * doctest::test_suite("optim.training_checkpoint")) {
    Run run(1);
    optim::TrainingCheckpoint missing{"/tmp/convlab_no_such_checkpoint.ckpt", 1};
    CHECK_THROWS_WITH_AS(missing.load(run.model.state(), *run.opt, run.rng),
                         doctest::Contains("/tmp/convlab_no_such_checkpoint.ckpt"), Error);
    const std::string path = "/tmp/convlab_test_foreign_" + std::to_string(::getpid()) + ".ckpt";
    save_checkpoint(path, run.model.state());  // a model file, not a training checkpoint
    optim::TrainingCheckpoint foreign{path, 1};
    CHECK_THROWS_WITH_AS(foreign.load(run.model.state(), *run.opt, run.rng),
                         doctest::Contains("'train.step' is missing"), Error);
    std::remove(path.c_str());
}

TEST_CASE("training: NaN/Inf guard names the step and the layer" * doctest::test_suite("optim.training_checkpoint")) {
    Tensor w = Tensor::from({2}, {1, 2}).requires_grad_();
    const NamedTensors params{{"conv2.weight", w}};
    CHECK_THROWS_WITH_AS(optim::check_finite(7, Tensor::scalar(NAN), params), doctest::Contains("step 7: the loss is NaN"),
                         Error);
    (w * Tensor::from({2}, {INFINITY, 1})).backward(Tensor::ones({2}));
    CHECK_THROWS_WITH_AS(optim::check_finite(8, Tensor::scalar(1), params),
                         doctest::Contains("step 8: the gradient of conv2.weight is not finite (0 NaN, 1 Inf of 2"),
                         Error);
    w.zero_grad();
    CHECK_NOTHROW(optim::check_finite(9, Tensor::scalar(1), params));
}
