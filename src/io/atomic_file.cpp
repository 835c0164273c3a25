// src/io/atomic_file.cpp
#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace convlab {

void write_file_atomic(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    check(fd >= 0, path, ": cannot create temporary file ", tmp, ": ", std::strerror(errno));
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            fail(path, ": write failed after ", written, " of ", bytes.size(), " bytes: ", why);
        }
        written += static_cast<size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    const bool closed = ::close(fd) == 0;
    if (!synced || !closed || std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        fail(path, ": could not be written (", why, ")");
    }
}

std::string read_file(const std::string& path) {
    std::error_code ec;
    check(!std::filesystem::is_directory(path, ec), path, ": is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    check(in.good(), path, ": cannot open for reading (", std::strerror(errno), ")");
    std::ostringstream buf;
    buf << in.rdbuf();
    check(!in.bad(), path, ": read error");
    return buf.str();
}

}  // namespace convlab
