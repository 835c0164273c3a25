// tests/nets/test_weights_file.cpp: a VGG-19 weights file is a convlab checkpoint (io/checkpoint.hpp).
// data/export_vgg19.py writes it in Python; these tests check that its bytes are exactly what
// save_checkpoint writes, and that a damaged or wrong file is refused naming the file and the tensor.
#include <filesystem>
#include <unistd.h>

#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "nets/vgg19.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

const std::string kFixture = "tests/fixtures/vgg/vgg19_w16.weights";  // data/make_vgg_parity.py

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("convlab_" + std::to_string(::getpid()) + "_" + name)).string();
}

// Vgg19::from_file(path, 16) must throw an Error whose message holds "checkpoint '<path>': <what>".
void check_refused(const std::string& path, const std::string& what) {
    const std::string message = "checkpoint '" + path + "': " + what;
    CHECK_THROWS_WITH_AS(Vgg19::from_file(path, 16), doctest::Contains(message.c_str()), Error);
}

}  // namespace

TEST_CASE("VGG-19 weights file: Python's file is byte for byte what save_checkpoint writes" *
          doctest::test_suite("nets.weights_file")) {
    const NamedTensors saved = load_checkpoint(kFixture);  // checks magic, size and zlib's CRC-32
    REQUIRE(saved.size() == 32);
    CHECK(saved[0].first == "conv1_1.weight");
    CHECK(saved[0].second.shape() == Shape{4, 3, 3, 3});
    CHECK(saved[31].first == "conv5_4.bias");
    CHECK(saved[31].second.shape() == Shape{32});
    const std::string path = temp_path("vgg_resaved.weights");
    save_checkpoint(path, saved);
    CHECK(read_file(path) == read_file(kFixture));
    std::filesystem::remove(path);
}

TEST_CASE("VGG-19 weights file: wrong shape or name -> an error naming the file and the tensor" *
          doctest::test_suite("nets.weights_file")) {
    const std::string path = temp_path("vgg_bad.weights");
    NamedTensors weights = load_checkpoint(kFixture);
    save_checkpoint(path, weights);
    const std::string wide = "checkpoint '" + path + "': tensor 'conv1_1.weight' has shape (4, 3, 3, 3) in the file, "
                             "expected (8, 3, 3, 3)";
    CHECK_THROWS_WITH_AS(Vgg19::from_file(path, 8), doctest::Contains(wide.c_str()), Error);  // width / 8, not / 16

    weights[10].first = "conv3_2.weights";  // misspelt
    save_checkpoint(path, weights);
    check_refused(path, "missing tensor 'conv3_2.weight' (the file holds 32 tensors)");
    weights[10].first = "conv3_2.weight";
    weights[11].second = Tensor::zeros({16, 1});
    save_checkpoint(path, weights);
    check_refused(path, "tensor 'conv3_2.bias' has shape (16, 1) in the file, expected (16,)");
    weights = load_checkpoint(kFixture);
    weights.pop_back();
    save_checkpoint(path, weights);
    check_refused(path, "missing tensor 'conv5_4.bias' (the file holds 31 tensors)");

    // a file holding more (here a classifier layer) still loads: only the 32 convolution tensors are read
    weights = load_checkpoint(kFixture);
    weights.emplace_back("fc6.weight", Tensor::zeros({2, 2}));
    save_checkpoint(path, weights);
    const Vgg19 net = Vgg19::from_file(path, 16);
    REQUIRE(net.weights().size() == 32);
    CHECK(net.weights()[31].first == "conv5_4.bias");
    CHECK(net.weights()[31].second.values() == weights[31].second.values());
    std::filesystem::remove(path);
}

TEST_CASE("VGG-19 weights file: missing, damaged or old-format files are refused naming the file" *
          doctest::test_suite("nets.weights_file")) {
    const std::string path = temp_path("vgg_damaged.weights");
    CHECK_THROWS_WITH_AS(Vgg19::from_file(path, 16), doctest::Contains(path.c_str()), Error);  // missing

    const std::string whole = read_file(kFixture);
    write_file_atomic(path, "CLWEIGHT" + whole.substr(8));  // the magic of the format this one replaced
    check_refused(path, "not a convlab checkpoint (bad magic 'CLWEIGHT', expected 'CONVCKPT')");
    write_file_atomic(path, whole.substr(0, 1000));
    check_refused(path, "truncated file (expected " + std::to_string(whole.size()) + " bytes, got 1000)");
    std::string flipped = whole;
    flipped[5000] ^= 0x01;  // one bit of a conv3_1 weight
    write_file_atomic(path, flipped);
    check_refused(path, "corrupted (checksum mismatch");
    std::filesystem::remove(path);
}
