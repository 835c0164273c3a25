// src/io/jpeg_guard.hpp
//
// A check run on JPEG bytes before stb_image decodes them. Fuzzing (make fuzz) found that the stb_image
// of Debian 12 (git 2022-09-08) trusts a Huffman table's code counts: a table (DHT segment) declaring more
// than 256 codes makes stbi__build_huffman write past its 257-entry size list. Later stb releases reject
// such tables ("bad DHT header"); until Debian's does, convlab rejects them itself.
#pragma once

#include <cstddef>
#include <string>

namespace convlab {

// No-op for anything that is not a JPEG (no FF D8 start). For a JPEG, walks its segments up to the first
// scan and throws convlab::Error naming `path` if a Huffman table declares more than 256 codes.
void check_jpeg_huffman_tables(const std::string& path, const unsigned char* data, size_t size);

}  // namespace convlab
