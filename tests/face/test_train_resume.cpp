// tests/face/test_train_resume.cpp
//
// The face training loop (face/train.hpp) checkpointed: stopped by Ctrl-C after epoch 2 of 4 and resumed
// by a fresh encoder, it ends bitwise identical to a run left alone (parameters, batch-norm statistics,
// Adam, RNG, loss history); a NaN loss or gradient stops it naming the epoch, the batch and the parameter,
// and the checkpoint on disk stays the last good one.
// Suite face.integration: the loop trains with the triplet loss and its mining, graded exercises.
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "data/synthetic_faces.hpp"
#include "face/train_triplet.hpp"
#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

// 6 people x 3 photos of 12 x 10 pixels; P = 3 people per batch -> 2 batches per epoch.
const FaceDataset& tiny_faces() {
    static const FaceDataset ds = [] {
        SyntheticFacesSpec spec;
        spec.people = 6, spec.per_person = 3, spec.height = 12, spec.width = 10;
        return synthetic_faces(spec);
    }();
    return ds;
}
constexpr int kBatchesPerEpoch = 2;

FaceEncoder tiny_encoder(uint64_t seed) {
    EncoderConfig c;
    c.height = 12, c.width = 10, c.channels = {4, 6}, c.dim = 8;
    Rng rng(seed);
    return FaceEncoder(c, rng);
}

TrainConfig tiny_config(const std::string& checkpoint, int64_t every) {
    TrainConfig tc;
    tc.epochs = 4, tc.P = 3, tc.K = 3, tc.lr = 0.01f, tc.log_every = 0;
    tc.checkpoint = optim::TrainingCheckpoint{checkpoint, every};
    return tc;
}

// Random triplets: the mining draws from the loop's RNG, so resuming must restore it too. `on_call(n)`
// (n = 1, 2, ... batches in this call of train_encoder) may change the loss or press Ctrl-C.
BatchLoss triplet_loss_with(std::function<Tensor(int, const Tensor&, const Tensor&)> on_call) {
    auto calls = std::make_shared<int>(0);
    return [calls, on_call](const Tensor& E, const std::vector<int>& labels, Rng& rng) {
        const Tensor J = mined_triplet_loss(E, labels, Mining::Random, kTripletAlpha, rng);
        return on_call ? on_call(++*calls, E, J) : J;
    };
}

std::string temp_path(const std::string& name) {
    return "/tmp/convlab_face_" + name + "_" + std::to_string(::getpid()) + ".ckpt";
}

// Every tensor of f's state (parameters and batch-norm buffers), bit for bit.
void check_same_state(const FaceEncoder& a, const FaceEncoder& b) {
    const NamedTensors sa = a.state(), sb = b.state();
    REQUIRE(sa.size() == sb.size());
    for (size_t i = 0; i < sa.size(); ++i) {
        CAPTURE(sa[i].first);
        const std::vector<float> x = sa[i].second.values(), y = sb[i].second.values();
        REQUIRE(x.size() == y.size());
        CHECK(std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0);
    }
}

int64_t saved_epoch(const std::string& path) {
    for (const auto& [name, t] : load_checkpoint(path))
        if (name == "train.step") {
            uint64_t step;
            std::memcpy(&step, t.data(), sizeof step);  // two 32-bit words, low first (little-endian)
            return static_cast<int64_t>(step);
        }
    FAIL("no train.step in " << path);
    return -1;
}

}  // namespace

TEST_CASE("train_encoder: Ctrl-C after epoch 2, resumed to 4 = 4 epochs straight, bitwise" *
          doctest::test_suite("face.integration")) {
    const std::string straight_path = temp_path("straight"), resumed_path = temp_path("resumed");
    FaceEncoder straight = tiny_encoder(1);
    const TrainHistory h_straight =
        train_encoder(straight, {}, tiny_faces(), tiny_config(straight_path, 0), triplet_loss_with({}));
    REQUIRE(h_straight.loss.size() == 4);
    CHECK(saved_epoch(straight_path) == 4);  // the finished run is saved even with every = 0

    {  // Ctrl-C during epoch 2: the loop finishes the epoch, saves (every = 0: only because of the interrupt), stops
        FaceEncoder first = tiny_encoder(1);
        const BatchLoss press_ctrl_c = triplet_loss_with([](int call, const Tensor&, const Tensor& J) {
            if (call == kBatchesPerEpoch + 1) std::raise(SIGINT);
            return J;
        });
        CHECK_THROWS_WITH_AS(train_encoder(first, {}, tiny_faces(), tiny_config(resumed_path, 0), press_ctrl_c),
                             doctest::Contains(("interrupted after epoch 2; saved " + resumed_path).c_str()), Error);
        optim::clear_interrupt_request();
        CHECK(saved_epoch(resumed_path) == 2);
    }
    FaceEncoder resumed = tiny_encoder(99);  // other initial weights: everything must come from the checkpoint
    TrainConfig tc = tiny_config(resumed_path, 0);
    tc.resume = true;
    const TrainHistory h_resumed = train_encoder(resumed, {}, tiny_faces(), tc, triplet_loss_with({}));

    check_same_state(straight, resumed);
    CHECK(h_resumed.loss == h_straight.loss);  // epochs 1-2 from the checkpoint, 3-4 trained again
    CHECK(read_file(straight_path) == read_file(resumed_path));  // Adam's moments and lr, RNG, epoch too

    // a finished run resumed trains nothing and gives back the same model and history
    FaceEncoder again = tiny_encoder(7);
    CHECK(train_encoder(again, {}, tiny_faces(), tc, triplet_loss_with({})).loss == h_straight.loss);
    check_same_state(straight, again);
    // a checkpoint of another run length is refused
    tc.epochs = 5;
    CHECK_THROWS_AS(train_encoder(again, {}, tiny_faces(), tc, triplet_loss_with({})), Error);
    std::remove(straight_path.c_str());
    std::remove(resumed_path.c_str());
}

TEST_CASE("train_encoder: a NaN loss stops before the update, naming the step; the last good checkpoint stays" *
          doctest::test_suite("face.integration")) {
    const std::string path = temp_path("nan");
    FaceEncoder straight = tiny_encoder(1);
    const TrainHistory h_straight = train_encoder(straight, {}, tiny_faces(), tiny_config("", 0), triplet_loss_with({}));

    FaceEncoder broken = tiny_encoder(1);
    const BatchLoss nan_in_epoch_3 = triplet_loss_with([](int call, const Tensor&, const Tensor& J) {
        return call == 2 * kBatchesPerEpoch + 2 ? J * NAN : J;  // epoch 3, batch 2
    });
    CHECK_THROWS_WITH_AS(train_encoder(broken, {}, tiny_faces(), tiny_config(path, 1), nan_in_epoch_3),
                         doctest::Contains("[train] epoch 3/4, batch 2/2: step 6: the loss is NaN"), Error);
    CHECK(saved_epoch(path) == 2);  // epoch 3 never completed, so never saved

    // the kept checkpoint is the good one: resumed from it, the run ends as the uninterrupted one
    FaceEncoder resumed = tiny_encoder(99);
    TrainConfig tc = tiny_config(path, 1);
    tc.resume = true;
    CHECK(train_encoder(resumed, {}, tiny_faces(), tc, triplet_loss_with({})).loss == h_straight.loss);
    check_same_state(straight, resumed);
    std::remove(path.c_str());
}

TEST_CASE("train_encoder: a finite loss with a NaN gradient names the parameter" * doctest::test_suite("face.integration")) {
    FaceEncoder f = tiny_encoder(1);
    // sqrt(0 * sum E^2): the value is 0, but d sqrt(u)/du = 1/(2 sqrt(u)) is Inf at u = 0, and 0 * Inf = NaN
    const BatchLoss nan_gradient = triplet_loss_with([](int, const Tensor& E, const Tensor& J) {
        return J + sqrt(sum(E * E) * 0.0f);
    });
    const std::string first_parameter = f.named_parameters().front().first;
    CHECK_THROWS_WITH_AS(train_encoder(f, {}, tiny_faces(), tiny_config("", 0), nan_gradient),
                         doctest::Contains(("epoch 1/4, batch 1/2: step 1: the gradient of " + first_parameter +
                                            " is not finite").c_str()),
                         Error);
}
