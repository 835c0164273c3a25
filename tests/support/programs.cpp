// tests/support/programs.cpp
#include "tests/support/programs.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "face/pretrained/models.hpp"
#include "io/atomic_file.hpp"

namespace convlab::testing {

namespace fs = std::filesystem;

std::string bin_dir() { return fs::read_symlink("/proc/self/exe").parent_path().string(); }

Run run_program(const std::string& program, const std::string& args, const std::string& cwd) {
    const std::string tag = "convlab_run_" + std::to_string(::getpid());
    const fs::path err = fs::temp_directory_path() / (tag + "_stderr.txt"),
                   out = fs::temp_directory_path() / (tag + "_stdout.txt");
    const std::string models = fs::absolute(face_models_dir()).string();
    const std::string cmd = "cd '" + cwd + "' && CONVLAB_MODELS='" + models + "' timeout 600 '" +
                            (fs::path(bin_dir()) / program).string() + "' " + args + " > '" + out.string() +
                            "' 2> '" + err.string() + "'";
    const int raw = std::system(cmd.c_str());
    Run r{WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw), read_file(err.string()), read_file(out.string())};
    fs::remove(err);
    fs::remove(out);
    return r;
}

}  // namespace convlab::testing
