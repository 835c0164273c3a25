// src/io/stb_guards.hpp
//
// Checks run on an image file's bytes before stb_image decodes them, for two holes in the stb_image of
// Debian 12 (git 2022-09-08) that later stb releases close:
// - JPEG (found by make fuzz): a Huffman table (DHT segment) declaring more than 256 codes makes
//   stbi__build_huffman write past its 257-entry size list.
// - binary PGM/PPM (found by the bad-input tests): a file cut short is decoded without complaint, the
//   missing pixels left as whatever was in memory.
// - binary PGM/PPM (found by make fuzz): a header number above INT_MAX overflows the int stb reads it into
//   (undefined behaviour).
// - BMP (found by make fuzz): like PGM/PPM, a file cut short is decoded, the missing pixels as zeros, so a
//   56-byte file could make a 10-megapixel image.
#pragma once

#include <cstddef>
#include <string>

namespace convlab {

// No-op for anything that is not a JPEG (no FF D8 start). For a JPEG, walks its segments up to the first
// scan and throws convlab::Error naming `path` if a Huffman table declares more than 256 codes.
void check_jpeg_huffman_tables(const std::string& path, const unsigned char* data, size_t size);

// No-op for anything that is not a binary PGM or PPM (P5 / P6). For one, throws convlab::Error naming
// `path` when its width, height or maxval is above INT_MAX. Run it before stb reads the header.
void check_pnm_header_numbers(const std::string& path, const unsigned char* data, size_t size);

// No-op for anything that is not a binary PGM or PPM (P5 / P6). For one, throws convlab::Error naming
// `path` when its header lacks the width, height or maxval or one of them is 0 (stb would take a missing one
// as 0 and decode an empty image or pixels of maxval 0), or when the file holds fewer pixel bytes than its
// header's width x height x channels promise.
void check_pnm_complete(const std::string& path, const unsigned char* data, size_t size);

// No-op for anything that is not a BMP (no "BM" start). For one, throws convlab::Error naming `path` when the
// file ends before the last row of pixels that its header promises.
void check_bmp_complete(const std::string& path, const unsigned char* data, size_t size);

}  // namespace convlab
