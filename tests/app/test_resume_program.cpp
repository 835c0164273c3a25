// tests/app/test_resume_program.cpp
//
// A training program stopped by Ctrl-C and resumed ends bitwise identical to one left alone. Each program runs
// in quick mode, is interrupted right after its first checkpoint appears, then runs again with --resume; its
// outputs (checkpoints with weights, Adam's moments, RNG and epoch; metrics.json; saved models) must be the
// same bytes as those of an uninterrupted run (both keep their final checkpoints with --keep-checkpoints;
// metrics.json: but for its "options", which name each run's --out and --resume). (Restoring a finished run
// without training is tested on train_encoder itself, in tests/face/test_train_resume.cpp.) A program that
// finishes without --keep-checkpoints removes them.
// Chapter 04 and face eval run the same training loop; their program runs are too long for the sanitizer build.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;

namespace {

// build/bin/<name>, beside the test binary.
fs::path program_path(const std::string& name) {
    return fs::read_symlink("/proc/self/exe").parent_path() / name;
}

// Runs build/bin/<name> <args> --out DIR twice: straight, and interrupted once DIR/<checkpoint> exists then
// resumed. The interrupted run must exit 1 with `interrupted_message` on stderr and keep its checkpoint; every
// file in `compare` must end the same bytes.
void check_interrupt_and_resume(const std::string& name, const std::string& args, const std::string& checkpoint,
                                const std::string& interrupted_message, const std::vector<std::string>& compare) {
    const fs::path program = program_path(name);
    const fs::path dir = fs::temp_directory_path() / ("convlab_resume_" + name + "_" + std::to_string(::getpid()));
    const std::string run = "'" + program.string() + "' " + args + " --threads 1 --out ";
    const std::string straight = (dir / "straight").string(), resumed = (dir / "resumed").string();
    fs::create_directories(dir);

    REQUIRE(std::system((run + straight + " --keep-checkpoints > /dev/null").c_str()) == 0);
    const std::string metrics = convlab::read_file(straight + "/metrics.json");  // what made the numbers first
    CHECK(metrics.rfind("{\n  \"program\": \"" + name + "\",\n  \"version\": ", 0) == 0);
    CHECK(metrics.find("\n  \"threads\": 1,\n  \"options\": {") != std::string::npos);
    // start, wait for the first checkpoint, press Ctrl-C: the program saves at the end of that epoch and exits 1
    const std::string interrupt = "bash -c \"" + run + resumed + " > /dev/null 2> " + (dir / "err.txt").string() +
                                  " & pid=\\$!; while [ ! -f " + resumed + "/" + checkpoint +
                                  " ]; do sleep 0.01; done; kill -INT \\$pid; wait \\$pid; exit \\$?\"";
    const int status = std::system(interrupt.c_str());
    CHECK(WEXITSTATUS(status) == 1);
    const std::string err = convlab::read_file((dir / "err.txt").string());
    CHECK(err.find(interrupted_message) != std::string::npos);
    CHECK(err.find("--resume") != std::string::npos);
    CHECK(!fs::exists(resumed + "/metrics.json"));
    CHECK(fs::exists(resumed + "/" + checkpoint));  // an unfinished program keeps it, to be resumed
    REQUIRE(std::system((run + resumed + " --resume --keep-checkpoints > /dev/null").c_str()) == 0);

    for (const std::string& file : compare) {
        CAPTURE(file);
        // metrics.json's "options" names each run's own --out and --resume: the rest must match
        const auto without_options = [](std::string text) {
            const size_t at = text.find("\n  \"options\": ");
            return at == std::string::npos ? text : text.erase(at, text.find('\n', at + 1) - at);
        };
        const std::string a = without_options(convlab::read_file(straight + "/" + file)),
                          b = without_options(convlab::read_file(resumed + "/" + file));
        CHECK(a.size() > 100);
        CHECK(a == b);
    }
    fs::remove_all(dir);
}

}  // namespace

TEST_CASE("10_conv1d_ecg: interrupted with Ctrl-C and resumed = uninterrupted, bitwise" *
          doctest::test_suite("app.integration")) {
    // chapter 10's training loop also serves chapter 11
    check_interrupt_and_resume("10_conv1d_ecg", "--quick --checkpoint-every 5", "train_seed0.ckpt",
                               "interrupted after epoch", {"train_seed0.ckpt"});
}

TEST_CASE("03_triplet_loss: interrupted with Ctrl-C and resumed = uninterrupted, bitwise" *
          doctest::test_suite("app.integration")) {
    // one mining, to stay quick; the face training loop also serves chapters 01, 02, 04, 05 and face eval
    check_interrupt_and_resume("03_triplet_loss", "--quick --mining hard --epochs 3 --checkpoint-every 1",
                               "train_hard.ckpt", "[hard] interrupted after epoch",
                               {"metrics.json", "encoder.ckpt", "train_hard.ckpt"});
}

TEST_CASE("10_conv1d_ecg: a finished program removes its checkpoints; --keep-checkpoints keeps them" *
          doctest::test_suite("app.integration")) {
    const fs::path dir = fs::temp_directory_path() / ("convlab_finish_" + std::to_string(::getpid()));
    const std::string run = "'" + program_path("10_conv1d_ecg").string() +
                            "' --quick --epochs 2 --checkpoint-every 1 --threads 1 --out " + dir.string();
    REQUIRE(std::system((run + " --keep-checkpoints > /dev/null").c_str()) == 0);
    CHECK(fs::exists(dir / "train_seed0.ckpt"));
    fs::create_directories(dir / "train_folder.ckpt");  // not a file: left alone
    REQUIRE(std::system((run + " > /dev/null").c_str()) == 0);
    CHECK(fs::exists(dir / "metrics.json"));
    CHECK(fs::exists(dir / "filters.png"));
    CHECK(!fs::exists(dir / "train_seed0.ckpt"));
    CHECK(fs::is_directory(dir / "train_folder.ckpt"));
    fs::remove_all(dir);
}
