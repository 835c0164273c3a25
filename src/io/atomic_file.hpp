// src/io/atomic_file.hpp
//
// Writing a file so that a crash or Ctrl-C never leaves half of it: the bytes go to "<path>.tmp.<pid>",
// are flushed to disk (fsync), and the temporary file is renamed over <path> (rename is atomic on POSIX).
// Readers see the old file or the new one, never a mix. Used for checkpoints, databases and metrics.json.
#pragma once

#include <string>

namespace convlab {

// Throws convlab::Error naming the path if any step fails; the old file is then left untouched.
void write_file_atomic(const std::string& path, const std::string& bytes);

// Whole file as bytes; throws convlab::Error naming the path if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace convlab
