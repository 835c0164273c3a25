// tests/io/test_checkpoint.cpp: bitwise round trips, exact resumption of training, and one distinct
// error per kind of bad file.
#include <cstring>
#include <filesystem>
#include <limits>
#include <unistd.h>

#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "nn/layers.hpp"
#include "optim/adam.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::random_tensor;

namespace {

// A private directory under the system temp dir, removed at the end of the test.
struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("convlab_test_checkpoint_" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

std::vector<uint32_t> bits(const Tensor& t) {
    std::vector<uint32_t> out;
    for (float v : t.values()) {
        uint32_t b;
        std::memcpy(&b, &v, 4);
        out.push_back(b);
    }
    return out;
}

}  // namespace

TEST_CASE("checkpoint: round trip is bitwise, order and shapes kept" * doctest::test_suite("io.checkpoint")) {
    TempDir dir;
    Tensor special = Tensor::from({2, 3}, {-0.0f, std::numeric_limits<float>::infinity(), 1e-45f /* denormal */,
                                           std::numeric_limits<float>::quiet_NaN(), 3.14159274f, -1e30f});
    const NamedTensors saved{{"b.weight", random_tensor({4, 3, 2, 2}, 1)},
                             {"a", special},
                             {"scalar", Tensor::scalar(7.5f)},
                             {"empty", Tensor::zeros({0, 3})},
                             {"view", random_tensor({4, 5}, 2).transpose(0, 1)}};  // non-contiguous
    const std::string path = dir.file("model.ckpt");
    save_checkpoint(path, saved);
    const NamedTensors loaded = load_checkpoint(path);
    REQUIRE(loaded.size() == saved.size());
    for (size_t i = 0; i < saved.size(); ++i) {
        CHECK(loaded[i].first == saved[i].first);
        CHECK(loaded[i].second.shape() == saved[i].second.shape());
        CHECK(bits(loaded[i].second) == bits(saved[i].second));
    }
    // the documented size: header 24 + entries + checksum 4
    CHECK(read_file(path).size() == 24 + (4 + 8 + 4 + 32 + 4 * 48) + (4 + 1 + 4 + 16 + 4 * 6) + (4 + 6 + 4 + 4) +
                                        (4 + 5 + 4 + 16) + (4 + 4 + 4 + 16 + 4 * 20) + 4);
}

TEST_CASE("checkpoint: training resumed from a checkpoint continues bitwise" * doctest::test_suite("io.checkpoint")) {
    TempDir dir;
    const Tensor X = random_tensor({8, 3}, 3), y = random_tensor({8, 2}, 4);
    auto train = [&](nn::Module& net, optim::Adam& opt, int steps) {
        for (int s = 0; s < steps; ++s) {
            opt.zero_grad();
            sum(square(net(X) - y)).backward();
            opt.step();
        }
    };
    auto make_net = [](uint64_t seed) {
        Rng rng(seed);
        return std::make_shared<nn::Sequential>(std::initializer_list<std::shared_ptr<nn::Module>>{
            std::make_shared<nn::Linear>(3, 4, rng), std::make_shared<nn::BatchNorm>(4), std::make_shared<nn::ReLU>(),
            std::make_shared<nn::Linear>(4, 2, rng)});
    };
    auto net = make_net(5);
    optim::Adam opt(net->parameters(), 0.01f);
    train(*net, opt, 3);
    const std::string path = dir.file("run.ckpt");
    NamedTensors everything = prefixed("model.", net->state());
    for (auto& entry : prefixed("optim.", opt.state())) everything.push_back(entry);
    save_checkpoint(path, everything);
    train(*net, opt, 3);

    auto resumed = make_net(6);  // different initial weights, overwritten by the checkpoint
    optim::Adam resumed_opt(resumed->parameters(), 0.01f);
    load_into(path, prefixed("model.", resumed->state()));
    load_into(path, prefixed("optim.", resumed_opt.state()));
    train(*resumed, resumed_opt, 3);
    const NamedTensors a = net->state(), b = resumed->state();
    for (size_t i = 0; i < a.size(); ++i) CHECK(bits(a[i].second) == bits(b[i].second));
}

TEST_CASE("checkpoint: each kind of bad file has its own message naming file and tensor" *
          doctest::test_suite("io.checkpoint")) {
    TempDir dir;
    const std::string path = dir.file("good.ckpt"), bad = dir.file("bad.ckpt");
    const NamedTensors saved{{"conv1.weight", random_tensor({2, 3}, 7)}, {"conv1.bias", random_tensor({2}, 8)}};
    save_checkpoint(path, saved);
    const std::string bytes = read_file(path);

    write_file_atomic(bad, bytes.substr(0, bytes.size() - 10));
    CHECK_THROWS_WITH_AS(load_checkpoint(bad),
                         doctest::Contains(("checkpoint '" + bad + "': truncated file (expected " +
                                            std::to_string(bytes.size()) + " bytes, got " +
                                            std::to_string(bytes.size() - 10) + ")").c_str()),
                         Error);
    write_file_atomic(bad, bytes.substr(0, 12));
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), doctest::Contains("truncated file (expected at least 28 bytes, got 12)"),
                         Error);

    std::string flipped = bytes;
    flipped[40] ^= 0x10;  // one bit of a value
    write_file_atomic(bad, flipped);
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), doctest::Contains("corrupted (checksum mismatch"), Error);
    write_file_atomic(bad, bytes + "x");
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), doctest::Contains("corrupted (1 bytes after the declared end"), Error);

    std::string magic = bytes;
    magic.replace(0, 8, "GARBAGE!");
    write_file_atomic(bad, magic);
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), doctest::Contains("not a convlab checkpoint (bad magic 'GARBAGE!'"),
                         Error);
    write_file_atomic(bad, "garbage\n\x01 and more text");  // a text file: its newline stays out of the message
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), doctest::Contains("(bad magic 'garbage\\x0a', expected 'CONVCKPT')"),
                         Error);
    std::string version = bytes;
    version[8] = 2;
    write_file_atomic(bad, version);
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), doctest::Contains("unsupported version 2 (this build reads version 1)"),
                         Error);
    CHECK_THROWS_AS(load_checkpoint(dir.file("absent.ckpt")), Error);

    // load_into: a missing name and a wrong shape, and nothing is changed when one target fails
    Tensor weight = Tensor::zeros({2, 3}), bias = Tensor::zeros({2}), wrong = Tensor::zeros({3, 2});
    CHECK_THROWS_WITH_AS(load_into(path, {{"conv1.weight", weight}, {"conv2.weight", bias}}),
                         doctest::Contains(("checkpoint '" + path + "': missing tensor 'conv2.weight'").c_str()), Error);
    CHECK_THROWS_WITH_AS(load_into(path, {{"conv1.bias", bias}, {"conv1.weight", wrong}}),
                         doctest::Contains("tensor 'conv1.weight' has shape (2, 3) in the file, expected (3, 2)"), Error);
    CHECK(bias.values() == std::vector<float>{0, 0});
    load_into(path, {{"conv1.bias", bias}});
    CHECK(bias.values() == saved[1].second.values());

    CHECK_THROWS_WITH_AS(save_checkpoint(bad, {{"a", bias}, {"a", bias}}), doctest::Contains("name 'a' appears twice"),
                         Error);
}
