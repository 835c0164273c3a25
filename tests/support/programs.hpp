// tests/support/programs.hpp
//
// Running the programs built beside the test binary (build/bin or build-san/bin) as a user would, and what
// they said: run_program("face", "list --db x.db", dir).
#pragma once

#include <algorithm>
#include <string>

namespace convlab::testing {

struct Run {
    int status;          // exit status, or 128 + signal
    std::string stderr;  // what the program wrote there
    std::string stdout;
    int stderr_lines() const { return static_cast<int>(std::count(stderr.begin(), stderr.end(), '\n')); }
};

// The folder of the test binary, where the programs are.
std::string bin_dir();

// Runs `program args` (a shell command line) from the working directory `cwd`, time-limited (a guard against
// a hang, not a speed test: under the sanitizers on a loaded 2-core machine a --quick run took over 120 s).
// Its output goes through two temporary files, removed after. The program finds the pretrained face models
// where the tests do: CONVLAB_MODELS when set, else this tree's data/models (an absolute path, as cwd differs).
Run run_program(const std::string& program, const std::string& args, const std::string& cwd);

}  // namespace convlab::testing
