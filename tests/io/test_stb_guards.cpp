// tests/io/test_stb_guards.cpp: the checks load_image runs before stb_image decodes a file.
#include <string>

#include "io/stb_guards.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

static void guard_all(const std::string& bytes) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    check_jpeg_huffman_tables("x.img", data, bytes.size());
    check_pnm_header_numbers("x.img", data, bytes.size());
    check_pnm_complete("x.img", data, bytes.size());
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
    CHECK_NOTHROW(guard_all("P5 2147483647 x"));  // the largest int passes this guard (stb's own checks follow)
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
