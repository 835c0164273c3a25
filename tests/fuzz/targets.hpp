// tests/fuzz/targets.hpp
//
// One function per parser of outside input. Each takes arbitrary bytes and must either parse them or throw
// convlab::Error: anything else (a crash, a sanitizer report, another exception, a hang) is a bug.
// The libFuzzer programs (tests/fuzz/fuzz_*.cpp, `make fuzz`) call them with generated inputs; the doctest
// suite "fuzz.regressions" (tests/io/test_fuzz_regressions.cpp) replays the committed seed corpus and every
// crash reproducer found so far.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "app/options.hpp"
#include "core/error.hpp"
#include "data/ucr.hpp"
#include "face/database.hpp"
#include "io/checkpoint.hpp"
#include "io/image.hpp"

namespace convlab::fuzz {

// Most parsers read files: the bytes go to a private file on tmpfs first.
inline std::string scratch_file(const uint8_t* data, size_t size, const char* suffix) {
    const std::string path = "/dev/shm/convlab_fuzz_" + std::to_string(::getpid()) + suffix;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("fuzz: cannot write " + path);
    if (size > 0) std::fwrite(data, 1, size, f);
    std::fclose(f);
    return path;
}

// Runs parse(path) and accepts success or convlab::Error; any other exception escapes (a finding).
inline void expect_parse_or_error(const uint8_t* data, size_t size, const char* suffix,
                                  const std::function<void(const std::string&)>& parse) {
    const std::string path = scratch_file(data, size, suffix);
    try {
        parse(path);
    } catch (const Error&) {
    }
    std::remove(path.c_str());
}

inline void image(const uint8_t* data, size_t size) {
    expect_parse_or_error(data, size, ".img", [](const std::string& p) {
        const Tensor img = load_image(p, 0);
        if (img.dim(0) != 1 && img.dim(0) != 3) throw std::logic_error("load_image: channels not 1 or 3");
    });
}

// Checkpoints, and so VGG-19 weights files too (they are checkpoints: data/export_vgg19.py).
inline void checkpoint(const uint8_t* data, size_t size) {
    expect_parse_or_error(data, size, ".ckpt", [](const std::string& p) { load_checkpoint(p); });
}

inline void face_database(const uint8_t* data, size_t size) {
    expect_parse_or_error(data, size, ".db", [](const std::string& p) {
        const FaceDatabase db = load_database(p);
        if (db.size() > 0) db.encodings();
    });
}

inline void ucr(const uint8_t* data, size_t size) {
    try {
        parse_ucr(std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
    } catch (const Error&) {
    }
}

// Command lines: the bytes split at newlines into arguments, parsed by an option set with every kind.
inline void options(const uint8_t* data, size_t size) {
    std::vector<std::string> args;
    std::string arg;
    for (size_t i = 0; i < size; ++i) {
        if (data[i] == '\n') {
            args.push_back(arg);
            arg.clear();
        } else {
            arg.push_back(static_cast<char>(data[i]));
        }
    }
    if (!arg.empty()) args.push_back(arg);
    app::Options opt("fuzz", "every kind of option");
    bool flag = false;
    int64_t n = 3;
    double x = 0.5;
    std::string s, c = "a";
    std::vector<std::string> l;
    opt.flag("flag", &flag, "a flag");
    opt.integer("n", &n, "an integer", 1, 100);
    opt.number("x", &x, "a number", 0.0, 1.0);
    opt.text("s", &s, "a text");
    opt.choice("c", &c, {"a", "b"}, "a choice");
    opt.list("l", &l, "a list");
    try {
        opt.parse(args);
    } catch (const Error&) {
    }
}

}  // namespace convlab::fuzz
