// tests/io/test_fuzz_regressions.cpp
//
// Replays every committed fuzzing input through its parser (tests/fuzz/targets.hpp) in the normal build and
// under the sanitizer build: the seed corpus (tests/fuzz/corpus/<target>/) and the crash reproducers that
// `make fuzz` saved (tests/fuzz/regressions/<target>-crash-..., -timeout-...), so a fixed bug stays fixed.
// Every target has seeds, and every reproducer is named after a target here: none is skipped unseen.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "tests/fuzz/targets.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;

static const std::map<std::string, void (*)(const uint8_t*, size_t)> kTargets{
    {"image", convlab::fuzz::image}, {"checkpoint", convlab::fuzz::checkpoint},
    {"face_database", convlab::fuzz::face_database}, {"ucr", convlab::fuzz::ucr}, {"options", convlab::fuzz::options},
    {"vgg_weights", convlab::fuzz::vgg_weights}, {"json", convlab::fuzz::json},
    {"tfjs_manifest", convlab::fuzz::tfjs_manifest}};

static void replay(const fs::path& file, void (*target)(const uint8_t*, size_t)) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("replaying " << file.string());
    CHECK_NOTHROW(target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

TEST_CASE("fuzz: seed corpus and crash reproducers parse or give a clear error" *
          doctest::test_suite("fuzz.regressions")) {
    for (const auto& [name, target] : kTargets) {
        const fs::path corpus = fs::path("tests/fuzz/corpus") / name;
        REQUIRE_MESSAGE(fs::is_directory(corpus), "run the tests from the repository root: no " << corpus.string());
        int seeds = 0;
        for (const auto& entry : fs::directory_iterator(corpus)) replay(entry.path(), target), ++seeds;
        CHECK_MESSAGE(seeds > 0, "no seeds in " << corpus.string());
    }
    if (fs::is_directory("tests/fuzz/regressions"))
        for (const auto& entry : fs::directory_iterator("tests/fuzz/regressions")) {
            const std::string file = entry.path().filename().string();
            if (file.front() == '.') continue;  // .keep
            const auto target = kTargets.find(file.substr(0, file.find('-')));
            CHECK_MESSAGE(target != kTargets.end(), "tests/fuzz/regressions/" << file << " names no fuzz target");
            if (target != kTargets.end()) replay(entry.path(), target->second);
        }
}
