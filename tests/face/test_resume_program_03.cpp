// tests/face/test_resume_program_03.cpp
//
// Chapter 03's program (one mining, to stay quick) stopped by Ctrl-C after its first epoch and started again
// with --resume: it continues where it stopped, and its outputs (metrics.json with the loss history's last
// value, the saved encoder, the checkpoint) are the same bytes as those of a run left alone. (Restoring a
// finished run without training is tested on train_encoder itself, in test_train_resume.cpp.)
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "io/atomic_file.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;

TEST_CASE("03_triplet_loss: interrupted with Ctrl-C and resumed = uninterrupted, bitwise" *
          doctest::test_suite("app.integration")) {
    const fs::path program = fs::read_symlink("/proc/self/exe").parent_path() / "03_triplet_loss";
    const fs::path dir = fs::temp_directory_path() / ("convlab_resume03_" + std::to_string(::getpid()));
    const std::string run = "'" + program.string() +
                            "' --quick --mining hard --epochs 3 --checkpoint-every 1 --threads 1 --out ";
    const std::string straight = (dir / "straight").string(), resumed = (dir / "resumed").string();
    fs::create_directories(dir);

    REQUIRE(std::system((run + straight + " > /dev/null").c_str()) == 0);
    // Ctrl-C once the first epoch is saved: the program saves at the end of the epoch under way and exits 1
    const std::string interrupt = "bash -c \"" + run + resumed + " > /dev/null 2> " + (dir / "err.txt").string() +
                                  " & pid=\\$!; while [ ! -f " + resumed + "/train_hard.ckpt ]; do sleep 0.01; done; "
                                  "kill -INT \\$pid; wait \\$pid; exit \\$?\"";
    const int status = std::system(interrupt.c_str());
    CHECK(WEXITSTATUS(status) == 1);
    const std::string err = convlab::read_file((dir / "err.txt").string());
    CHECK(err.find("[hard] interrupted after epoch") != std::string::npos);
    CHECK(!fs::exists(resumed + "/metrics.json"));
    REQUIRE(std::system((run + resumed + " --resume > /dev/null").c_str()) == 0);

    for (const char* file : {"metrics.json", "encoder.ckpt", "train_hard.ckpt"}) {
        CAPTURE(file);
        const std::string a = convlab::read_file(straight + "/" + file), b = convlab::read_file(resumed + "/" + file);
        CHECK(a.size() > 100);
        CHECK(a == b);
    }
    fs::remove_all(dir);
}
