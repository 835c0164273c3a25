// tests/io/test_stb_guards.cpp: the checks load_image runs before stb_image decodes a file.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "io/atomic_file.hpp"
#include "io/image.hpp"
#include "io/stb_guards.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

static void guard_all(const std::string& bytes) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    check_jpeg_huffman_tables("x.img", data, bytes.size());
    check_pnm_header_numbers("x.img", data, bytes.size());
    check_pnm_complete("x.img", data, bytes.size());
    check_bmp_complete("x.img", data, bytes.size());
}

TEST_CASE("stb guards: a binary PGM/PPM cut short is refused, a whole one passes" * doctest::test_suite("io.image")) {
    const std::string header = "P5\n# a comment\n4 3\n255\n";
    CHECK_NOTHROW(guard_all(header + std::string(12, '\x7f')));
    CHECK_THROWS_WITH_AS(guard_all(header + std::string(5, '\x7f')),
                         "load_image: x.img: truncated PGM file: its header promises 4 x 3 pixels (12 bytes), "
                         "the file holds 5",
                         Error);
    // 16-bit PPM: 2 x 1 pixels x 3 channels x 2 bytes = 12 bytes
    CHECK_THROWS_WITH_AS(guard_all("P6 2 1 65535\n" + std::string(11, '\0')), doctest::Contains("truncated PPM"),
                         Error);
    CHECK_NOTHROW(guard_all("P2\n2 2\n255\n1 2 3\n"));  // text PGM: stb's own checks apply
}

TEST_CASE("stb guards: a PGM/PPM header number above INT_MAX is refused before stb reads it" *
          doctest::test_suite("io.image")) {
    CHECK_THROWS_WITH_AS(guard_all("P5\n5 7777777777\n255\n"),
                         "load_image: x.img: corrupt PGM header: its height is above 2147483647 (the largest int)",
                         Error);
    // a comment ends at \r as in stb, so the number after it is read, and refused
    CHECK_THROWS_WITH_AS(guard_all("P6 #c\r2147483648 1 255\n"), doctest::Contains("PPM header: its width"), Error);
    CHECK_NOTHROW(guard_all("P5 1 1 255\n" + std::string(1, '\0')));
    const std::string largest = "P5 2147483647 x";  // the largest int passes this guard
    CHECK_NOTHROW(check_pnm_header_numbers("x.img", reinterpret_cast<const unsigned char*>(largest.data()),
                                           largest.size()));
}

TEST_CASE("stb guards: a PGM/PPM header without its maxval, or with a 0, is refused" * doctest::test_suite("io.image")) {
    // found by make fuzz (tests/fuzz/regressions/image-timeout-2982...): stb takes the missing maxval as 0, an
    // 8-bit file, and decoded 232 x 232555 pixels (54 M) out of a 56-byte file: a timeout under the sanitizers
    const std::string fuzzed = "P6\n\n 232\n 232555\n\x05\xca\xadW";
    CHECK_THROWS_WITH_AS(guard_all(fuzzed),
                         "load_image: x.img: corrupt PPM header: its maxval is missing (expected width, height and "
                         "maxval, each a number)",
                         Error);
    CHECK_THROWS_WITH_AS(guard_all("P5 x"), doctest::Contains("PGM header: its width is missing"), Error);
    CHECK_THROWS_WITH_AS(guard_all("P5 3"), doctest::Contains("PGM header: its height is missing"), Error);
    CHECK_THROWS_WITH_AS(guard_all("P5 0 0 255\n"), "load_image: x.img: corrupt PGM header: its width is 0 (expected at least 1)",
                         Error);
    CHECK_THROWS_WITH_AS(guard_all("P5 3 2 0\n" + std::string(6, '\x01')), doctest::Contains("its maxval is 0"), Error);
}

// A BMP with a 40-byte header: width x height pixels of 24 bits, `pixels` bytes after the 54 of the headers.
static std::string bmp(int32_t width, int32_t height, size_t pixels) {
    std::string b(54, '\0');
    auto put = [&](size_t at, uint32_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) b[at + i] = static_cast<char>(v >> (8 * i));
    };
    b[0] = 'B', b[1] = 'M';
    put(10, 54, 4), put(14, 40, 4), put(18, uint32_t(width), 4), put(22, uint32_t(height), 4), put(26, 1, 2);
    put(28, 24, 2);
    return b + std::string(pixels, '\x40');
}

TEST_CASE("stb guards: a BMP cut short is refused, a whole one passes" * doctest::test_suite("io.image")) {
    // 2 x 2 pixels of 3 bytes: rows of 6 bytes padded to 8; the last row needs only its 6 -> 54 + 8 + 6 = 68
    CHECK_NOTHROW(guard_all(bmp(2, 2, 14)));
    CHECK_NOTHROW(guard_all(bmp(2, -2, 16)));  // top-down rows, with the last row's padding
    CHECK_THROWS_WITH_AS(guard_all(bmp(2, 2, 13)),
                         "load_image: x.img: truncated BMP file: its header promises 2 x 2 pixels of 24 bits from "
                         "byte 54 (68 bytes), the file holds 67",
                         Error);
    CHECK_THROWS_WITH_AS(guard_all(bmp(3, -3276803, 2)), doctest::Contains("3 x 3276803 pixels"), Error);
}

TEST_CASE("load_image: a top-down BMP (negative height) claiming 10^10 pixels is refused" *
          doctest::test_suite("io.image")) {
    const std::string path = "/tmp/convlab_topdown_" + std::to_string(::getpid()) + ".bmp";
    write_file_atomic(path, bmp(100000, -100000, 16));
    CHECK_THROWS_WITH_AS(load_image(path), doctest::Contains("100000 x -100000 pixels is more than"), Error);
    std::remove(path.c_str());
}

TEST_CASE("stb guards: a JPEG Huffman table with more than 256 codes is refused" * doctest::test_suite("io.image")) {
    // SOI, then a DHT segment: length 2 + 17 + 272, table class/id, sixteen counts of 17 = 272 codes
    std::string jpeg = "\xFF\xD8\xFF\xC4";
    const size_t length = 2 + 17 + 272;
    jpeg += static_cast<char>(length >> 8);
    jpeg += static_cast<char>(length & 0xFF);
    jpeg += '\x00';
    jpeg += std::string(16, '\x11') + std::string(272, '\x01');
    CHECK_THROWS_WITH_AS(guard_all(jpeg), doctest::Contains("a Huffman table declares 272 codes, at most 256"), Error);
    jpeg[6 + 1] = '\x00';  // first count 0: 255 codes in all, but the segment is now longer than the table
    CHECK_NOTHROW(guard_all(jpeg));
    CHECK_NOTHROW(guard_all("not an image at all"));
}

TEST_CASE("stb guards: a Huffman table in a segment longer than the file is still checked" *
          doctest::test_suite("io.image")) {
    // found by make fuzz: DHT length 181 in a 40-byte file, counts summing to 643
    std::string jpeg("\xFF\xD8\xFF\xC4\x00\xB5\x10", 7);
    for (int c : {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 100, 101, 102, 103, 104, 105}) jpeg += static_cast<char>(c);
    jpeg += std::string(16, '\x01');
    CHECK_THROWS_WITH_AS(guard_all(jpeg), doctest::Contains("a Huffman table declares 643 codes"), Error);
}
