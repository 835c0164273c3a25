// tests/app/test_resume_program.cpp
//
// A training program stopped by Ctrl-C and resumed ends bitwise identical to one left alone: the 1D ConvNet
// of chapter 10 (its training loop also serves chapter 11) in quick mode, interrupted right after its first
// checkpoint, then run again with --resume. The final checkpoints (weights, Adam's moments, RNG, epoch)
// must be the same bytes.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "io/atomic_file.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;

TEST_CASE("10_conv1d_ecg: interrupted with Ctrl-C and resumed = uninterrupted, bitwise" *
          doctest::test_suite("app.integration")) {
    const fs::path program = fs::read_symlink("/proc/self/exe").parent_path() / "10_conv1d_ecg";
    const fs::path dir = fs::temp_directory_path() / ("convlab_resume_" + std::to_string(::getpid()));
    const std::string run = "'" + program.string() + "' --quick --checkpoint-every 5 --threads 1 --out ";
    const std::string straight = (dir / "straight").string(), resumed = (dir / "resumed").string();
    fs::create_directories(dir);

    REQUIRE(std::system((run + straight + " > /dev/null").c_str()) == 0);
    // start, wait for the first checkpoint, press Ctrl-C: the program saves at the end of that epoch and exits 1
    const std::string interrupt = "bash -c \"" + run + resumed + " > /dev/null 2> " + (dir / "err.txt").string() +
                                  " & pid=\\$!; while [ ! -f " + resumed + "/train_seed0.ckpt ]; do sleep 0.01; done; "
                                  "kill -INT \\$pid; wait \\$pid; exit \\$?\"";
    const int status = std::system(interrupt.c_str());
    CHECK(WEXITSTATUS(status) == 1);
    const std::string err = convlab::read_file((dir / "err.txt").string());
    CHECK(err.find("interrupted after epoch") != std::string::npos);
    CHECK(err.find("--resume") != std::string::npos);
    REQUIRE(std::system((run + resumed + " --resume > /dev/null").c_str()) == 0);

    const std::string a = convlab::read_file(straight + "/train_seed0.ckpt");
    const std::string b = convlab::read_file(resumed + "/train_seed0.ckpt");
    CHECK(a.size() > 1000);
    CHECK(a == b);
    fs::remove_all(dir);
}
