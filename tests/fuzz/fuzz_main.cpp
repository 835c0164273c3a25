// tests/fuzz/fuzz_main.cpp: the libFuzzer entry point, built once per parser with -DFUZZ_TARGET=<name>
// (image, checkpoint, face_database, ucr, options: the functions in targets.hpp).
#include "tests/fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    convlab::fuzz::FUZZ_TARGET(data, size);
    return 0;
}
