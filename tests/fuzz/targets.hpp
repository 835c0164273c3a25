// tests/fuzz/targets.hpp
//
// One function per parser of outside input. Each takes arbitrary bytes and must either parse them or throw
// convlab::Error: anything else (a crash, a sanitizer report, another exception, a hang) is a bug.
// The libFuzzer programs (tests/fuzz/fuzz_*.cpp, `make fuzz`) call them with generated inputs; the doctest
// suite "fuzz.regressions" (tests/io/test_fuzz_regressions.cpp) replays the committed seed corpus and every
// crash reproducer found so far.
#pragma once

#include <unistd.h>

#include <algorithm>
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
#include "io/json.hpp"
#include "io/tfjs_weights.hpp"
#include "nets/vgg19.hpp"

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

// Checkpoints (model files, training checkpoints; VGG-19 weights files too, read further by vgg_weights).
inline void checkpoint(const uint8_t* data, size_t size) {
    expect_parse_or_error(data, size, ".ckpt", [](const std::string& p) { load_checkpoint(p); });
}

// VGG-19 weights files (data/export_vgg19.py writes them, the style-transfer chapters read them): the real
// loader, Vgg19::from_file, checks the file's 32 tensors against the layer table, and the loaded network must
// then run. At full width a valid file is 80 MB; the same layout at width / 64 (1 .. 8 channels) makes valid
// files of 21 KB, which the fuzzer can mutate. The seeds (tests/fuzz/corpus/vgg_weights) were written by
// save_checkpoint: a valid file, one with conv3_1.weight of the wrong shape, one holding only conv1_1.
constexpr int kVggFuzzWidthDivisor = 64;
constexpr size_t kVggWeightsMaxLen = 32768;  // the valid seed (21 KB) and room to grow; the Makefile's is 4096

inline void vgg_weights(const uint8_t* data, size_t size) {
    expect_parse_or_error(data, size, ".weights", [](const std::string& p) {
        const Vgg19 net = Vgg19::from_file(p, kVggFuzzWidthDivisor);
        if (net.weights().size() != 32) throw std::logic_error("Vgg19::from_file: expected 32 tensors");
        const Tensor a = net.features(Tensor::zeros({1, 3, 32, 32}), {"conv5_4"})[0];
        if (a.shape() != Shape{1, 512 / kVggFuzzWidthDivisor, 2, 2})
            throw std::logic_error("Vgg19::features: conv5_4 of a 32 x 32 image is not (1, 8, 2, 2)");
    });
}

// The longest input worth generating for a target, when it needs more than the Makefile's -max_len
// (0: the Makefile's is right).
inline size_t max_len(const std::string& target) { return target == "vgg_weights" ? kVggWeightsMaxLen : 0; }

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

// JSON text (tfjs manifests, the face-api reference outputs): parsed, then every value visited through the
// accessors.
inline void visit_json(const JsonValue& v) {
    if (v.is_array())
        for (size_t i = 0; i < v.size(); ++i) visit_json(v.at(i));
    if (v.is_object())
        for (const auto& [key, member] : v.members()) {
            if (&v.at(key) != &member) throw std::logic_error("JsonValue::at: key found at the wrong member");
            visit_json(member);
        }
    if (v.is_number()) v.as_number();
    if (v.is_string()) v.as_string();
}

inline void json(const uint8_t* data, size_t size) {
    try {
        visit_json(parse_json(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json"));
    } catch (const Error&) {
    }
}

// tfjs weights: the bytes up to the first zero byte are the manifest, the rest the contents of every file
// it names; each decoded tensor is then moved to convlab's layout.
inline void tfjs_manifest(const uint8_t* data, size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const size_t split = std::min(bytes.find('\0'), bytes.size());
    const std::string bin = split < bytes.size() ? bytes.substr(split + 1) : "";
    try {
        const NamedTensors tensors =
            decode_tfjs_weights(bytes.substr(0, split), "fuzz.json", [&](const std::string&) { return bin; });
        for (const auto& [name, t] : tensors)
            if (tfjs_to_convlab_layout(name, t).numel() != t.numel())
                throw std::logic_error("tfjs_to_convlab_layout: the number of values changed");
    } catch (const Error&) {
    }
}

// Command lines: the bytes split at newlines into arguments, parsed by an option set with every kind, then
// written back as metrics.json's "options".
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
    std::vector<std::string> l, m;
    opt.flag("flag", &flag, "a flag");
    opt.integer("n", &n, "an integer", 1, 100);
    opt.number("x", &x, "a number", 0.0, 1.0);
    opt.text("s", &s, "a text");
    opt.choice("c", &c, {"a", "b"}, "a choice");
    opt.list("l", &l, "a list");
    opt.list("m", &m, "a list of choices", {"a", "b"});
    try {
        opt.parse(args);
    } catch (const Error&) {
        return;
    }
    // what metrics.json records of a parsed command line: one JSON object, a value per option
    const std::string json = opt.values_json();
    if (json.empty() || json.front() != '{' || json.back() != '}') throw std::logic_error("values_json: not an object");
}

}  // namespace convlab::fuzz
