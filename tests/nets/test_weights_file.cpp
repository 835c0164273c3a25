// tests/nets/test_weights_file.cpp: the convlab weights file round-trips and rejects damaged files clearly.
#include <cstring>
#include <filesystem>
#include <unistd.h>

#include "io/atomic_file.hpp"
#include "nets/weights_file.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::random_tensor;

namespace {
std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("convlab_" + std::to_string(::getpid()) + "_" + name)).string();
}
}  // namespace

TEST_CASE("weights file: round trip keeps names, shapes, values and order" * doctest::test_suite("nets.weights_file")) {
    const std::string path = temp_path("roundtrip.bin");
    const NamedWeights saved = {{"conv1_1.weight", random_tensor({4, 3, 3, 3}, 1)},
                                {"conv1_1.bias", random_tensor({4}, 2)},
                                {"empty", Tensor::zeros({0, 5})},
                                {"scalar", Tensor::scalar(2.5f)}};
    save_weights(path, saved);
    const NamedWeights loaded = load_weights(path);
    REQUIRE(loaded.size() == saved.size());
    for (size_t i = 0; i < saved.size(); ++i) {
        CHECK(loaded[i].first == saved[i].first);
        CHECK(loaded[i].second.shape() == saved[i].second.shape());
        CHECK(loaded[i].second.values() == saved[i].second.values());
    }
    // header 8 + 4 + 4; per tensor 4 + name + 4 + 8 * ndim + 4 * numel
    CHECK(read_file(path).size() == 16 + (4 + 14 + 4 + 32 + 4 * 108) + (4 + 12 + 4 + 8 + 16) + (4 + 5 + 4 + 16) +
                                        (4 + 6 + 4 + 4));
    std::filesystem::remove(path);
}

TEST_CASE("weights file: damaged files give errors naming the file" * doctest::test_suite("nets.weights_file")) {
    const std::string path = temp_path("damaged.bin");
    CHECK_THROWS_WITH_AS(load_weights(path), doctest::Contains(path.c_str()), Error);  // missing

    write_file_atomic(path, "PK\x03\x04 this is a zip file");
    const std::string not_ours = path + ": not a convlab weights file";
    CHECK_THROWS_WITH_AS(load_weights(path), doctest::Contains(not_ours.c_str()), Error);

    save_weights(path, {{"w", random_tensor({10, 10}, 3)}});
    const std::string whole = read_file(path);
    write_file_atomic(path, whole.substr(0, whole.size() - 4));
    CHECK_THROWS_WITH_AS(load_weights(path), doctest::Contains("truncated weights file"), Error);
    write_file_atomic(path, whole + "xx");
    CHECK_THROWS_WITH_AS(load_weights(path), doctest::Contains("2 unexpected bytes"), Error);
    // a size field claiming far more data than the file holds
    std::string huge = whole;
    const int64_t big = int64_t(1) << 40;
    std::memcpy(huge.data() + 16 + 4 + 1 + 4, &big, sizeof(big));
    write_file_atomic(path, huge);
    CHECK_THROWS_WITH_AS(load_weights(path), doctest::Contains("impossible size"), Error);
    std::filesystem::remove(path);
}
