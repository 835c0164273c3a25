// tests/io/scratch_dir.hpp: a fresh, empty directory for the files a test writes.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace convlab::testing {

// $TMPDIR/convlab_<name>_<pid>, emptied; the pid keeps concurrent test runs apart.
inline std::string scratch_dir(const std::string& name) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("convlab_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

}  // namespace convlab::testing
