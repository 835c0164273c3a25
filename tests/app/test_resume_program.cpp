// tests/app/test_resume_program.cpp
//
// A training program stopped by Ctrl-C and resumed ends bitwise identical to one left alone. Each program runs
// in quick mode, is interrupted right after its first checkpoint appears, then runs again with --resume; its
// outputs (checkpoints with weights, Adam's moments, RNG and epoch; metrics.json; saved models) must be the
// same bytes as those of an uninterrupted run. (Restoring a finished run without training is tested on
// train_encoder itself, in tests/face/test_train_resume.cpp.) Chapter 04 and face eval run the same loop; a
// program test of chapter 04 took 5 min 43 s under the sanitizers (three runs of about 2 min), so it is not here.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;

namespace {

// Runs build/bin/<name> <args> --out DIR twice: straight, and interrupted once DIR/<checkpoint> exists then
// resumed. The interrupted run must exit 1 with `interrupted_message` on stderr; every file in `compare`
// must end the same bytes.
void check_interrupt_and_resume(const std::string& name, const std::string& args, const std::string& checkpoint,
                                const std::string& interrupted_message, const std::vector<std::string>& compare) {
    const fs::path program = fs::read_symlink("/proc/self/exe").parent_path() / name;
    const fs::path dir = fs::temp_directory_path() / ("convlab_resume_" + name + "_" + std::to_string(::getpid()));
    const std::string run = "'" + program.string() + "' " + args + " --threads 1 --out ";
    const std::string straight = (dir / "straight").string(), resumed = (dir / "resumed").string();
    fs::create_directories(dir);

    REQUIRE(std::system((run + straight + " > /dev/null").c_str()) == 0);
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
    REQUIRE(std::system((run + resumed + " --resume > /dev/null").c_str()) == 0);

    for (const std::string& file : compare) {
        CAPTURE(file);
        const std::string a = convlab::read_file(straight + "/" + file), b = convlab::read_file(resumed + "/" + file);
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
