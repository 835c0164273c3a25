// tests/fuzz/fuzz_main.cpp: the libFuzzer entry point, built once per parser with -DFUZZ_TARGET=<name>
// (image, checkpoint, face_database, ucr, options, vgg_weights, json, tfjs_manifest: the functions in
// targets.hpp).
#include <string>
#include <vector>

#include "tests/fuzz/targets.hpp"

#define CONVLAB_STRINGIFY_(x) #x
#define CONVLAB_STRINGIFY(x) CONVLAB_STRINGIFY_(x)

// libFuzzer calls this before it reads its flags, and a flag given later wins: a target whose valid inputs are
// longer than the Makefile's -max_len gets its own (fuzz::max_len) appended to the command line.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    const size_t max_len = convlab::fuzz::max_len(CONVLAB_STRINGIFY(FUZZ_TARGET));
    if (max_len == 0) return 0;
    static std::string flag = "-max_len=" + std::to_string(max_len);
    static std::vector<char*> args;
    args.assign(*argv, *argv + *argc);
    args.push_back(flag.data());
    args.push_back(nullptr);
    *argv = args.data();
    *argc += 1;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    convlab::fuzz::FUZZ_TARGET(data, size);
    return 0;
}
