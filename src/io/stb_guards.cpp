// src/io/stb_guards.cpp
#include "io/stb_guards.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>

#include "core/error.hpp"

namespace convlab {

// JPEG layout: FF D8, then segments "FF <marker> <16-bit big-endian length incl. itself> <payload>".
// A DHT segment (marker C4) holds one or more tables: 1 byte class/id, 16 counts (codes of length
// 1..16), then sum(counts) symbol bytes. The entropy-coded data after a scan (marker DA) contains FF only
// as FF 00 or restart markers, so the walk skips it by looking for the next other marker.
void check_jpeg_huffman_tables(const std::string& path, const unsigned char* data, size_t size) {
    // stb takes any number of FF fill bytes before the D8 of the start-of-image marker
    if (size < 2 || data[0] != 0xFF) return;
    size_t at = 0;
    while (at < size && data[at] == 0xFF) ++at;
    if (at >= size || data[at] != 0xD8) return;
    ++at;
    while (at + 4 <= size) {
        if (data[at] != 0xFF) {  // entropy-coded bytes: skip to the next real marker
            ++at;
            continue;
        }
        const unsigned char marker = data[at + 1];
        if (marker == 0xFF || marker == 0x00 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            ++at;  // fill byte, stuffed zero, restart marker or TEM: no length follows
            continue;
        }
        if (marker == 0xD9) return;  // end of image
        const int64_t length = (int64_t(data[at + 2]) << 8) | data[at + 3];
        if (length < 2) return;  // malformed: stb reports it
        // Like stb, read DHT and DQT tables while the segment's remaining length L is positive, even when the
        // last table runs past the segment's end (and past the file's, where stb reads zeros).
        int64_t L = length - 2;
        size_t t = at + 4;
        auto byte = [&](size_t i) -> size_t { return i < size ? data[i] : 0; };
        if (marker == 0xC4) {  // DHT: class/id, 16 counts, sum(counts) symbols
            while (L > 0 && t < size) {
                size_t codes = 0;
                for (int i = 1; i <= 16; ++i) codes += byte(t + i);
                check(codes <= 256, "load_image: ", path, ": corrupt JPEG: a Huffman table declares ", codes,
                      " codes, at most 256 are possible");
                L -= static_cast<int64_t>(17 + codes);
                t += 17 + codes;
            }
            at = t;
        } else if (marker == 0xDB) {  // DQT: precision/id, then 64 values of 1 or 2 bytes
            while (L > 0 && t < size) {
                const size_t table = (byte(t) >> 4) ? 129 : 65;
                L -= static_cast<int64_t>(table);
                t += table;
            }
            at = t;
        } else {
            at += 2 + static_cast<size_t>(length);
        }
    }
}

// Binary PNM: "P5" or "P6", then width, height and maxval as decimal numbers separated by whitespace (with
// "#" comments to the end of the line), then exactly one whitespace byte, then the pixels row by row: 1 or
// 3 samples each, of 1 byte (maxval < 256) or 2 bytes.
namespace {

bool is_binary_pnm(const unsigned char* data, size_t size) {
    return size >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '6');
}

const char* pnm_kind(const unsigned char* data) { return data[1] == '5' ? "PGM" : "PPM"; }

constexpr const char* kPnmFields[3] = {"width", "height", "maxval"};

// The header read as stb reads it (stbi__pnm_info): a comment ends at \n or \r; a field that does not start
// with a digit ends the reading (stb takes 0 for it and for the fields after it). Numbers stop growing at 2^32.
struct PnmHeader {
    int read = 0;                     // how many of the fields were read
    uint64_t fields[3] = {0, 0, 0};   // width, height, maxval
    size_t end = 0;                   // just past the last digit read
};

PnmHeader read_pnm_header(const unsigned char* data, size_t size) {
    PnmHeader h;
    size_t at = 2;
    for (uint64_t& field : h.fields) {
        for (;;) {  // skip whitespace and comments
            while (at < size && std::isspace(data[at])) ++at;
            if (at < size && data[at] == '#')
                while (at < size && data[at] != '\n' && data[at] != '\r') ++at;
            else
                break;
        }
        if (at >= size || !std::isdigit(data[at])) break;
        while (at < size && std::isdigit(data[at]) && field < (uint64_t(1) << 32)) field = field * 10 + (data[at++] - '0');
        ++h.read;
    }
    h.end = at;
    return h;
}

}  // namespace

void check_pnm_header_numbers(const std::string& path, const unsigned char* data, size_t size) {
    if (!is_binary_pnm(data, size)) return;
    const PnmHeader h = read_pnm_header(data, size);
    for (int i = 0; i < h.read; ++i)
        check(h.fields[i] <= static_cast<uint64_t>(INT_MAX), "load_image: ", path, ": corrupt ", pnm_kind(data),
              " header: its ", kPnmFields[i], " is above ", INT_MAX, " (the largest int)");
}

void check_pnm_complete(const std::string& path, const unsigned char* data, size_t size) {
    if (!is_binary_pnm(data, size)) return;
    const PnmHeader h = read_pnm_header(data, size);
    // stb would take a missing field as 0: an empty image, or 8-bit pixels of maxval 0
    check(h.read == 3, "load_image: ", path, ": corrupt ", pnm_kind(data), " header: its ", kPnmFields[h.read],
          " is missing (expected width, height and maxval, each a number)");
    for (int i = 0; i < 3; ++i)
        check(h.fields[i] >= 1, "load_image: ", path, ": corrupt ", pnm_kind(data), " header: its ", kPnmFields[i],
              " is 0 (expected at least 1)");
    const size_t at = h.end + 1;  // the single whitespace byte before the pixels
    const uint64_t channels = data[1] == '5' ? 1 : 3, bytes_per_sample = h.fields[2] < 256 ? 1 : 2;
    const uint64_t needed = h.fields[0] * h.fields[1] * channels * bytes_per_sample;
    const uint64_t present = at <= size ? size - at : 0;
    check(present >= needed, "load_image: ", path, ": truncated ", pnm_kind(data), " file: its header promises ",
          h.fields[0], " x ", h.fields[1], " pixels (", needed, " bytes), the file holds ", present);
}

// BMP: "BM", the file size, two reserved 16-bit words, the offset of the pixels (32-bit, at byte 10), the header
// size hsz (at 14), then width and height (16-bit each when hsz = 12, else 32-bit, a negative height meaning
// rows top-down), the planes and the bits per pixel; all little-endian. The rows start at the offset, each
// padded to a multiple of 4 bytes (the last one is taken without its padding).
void check_bmp_complete(const std::string& path, const unsigned char* data, size_t size) {
    if (size < 26 || data[0] != 'B' || data[1] != 'M') return;
    auto u16 = [&](size_t i) { return uint32_t(data[i]) | uint32_t(data[i + 1]) << 8; };
    auto u32 = [&](size_t i) { return u16(i) | u16(i + 2) << 16; };
    const uint64_t offset = u32(10), hsz = u32(14);
    uint64_t width, height, bpp;
    if (hsz == 12) {
        width = u16(18), height = u16(20), bpp = u16(24);
    } else {
        if (size < 30) return;  // header cut short: stb reports it
        const int64_t h = static_cast<int32_t>(u32(22));
        width = u32(18), height = static_cast<uint64_t>(h < 0 ? -h : h), bpp = u16(28);
    }
    if (width == 0 || height == 0 || width > (uint64_t(1) << 24) || height > (uint64_t(1) << 24)) return;  // stb's
    uint64_t row;  // bytes of one row's pixels
    switch (bpp) {
        case 1: row = (width + 7) / 8; break;
        case 4: row = (width + 1) / 2; break;
        case 8: case 16: case 24: case 32: row = width * (bpp / 8); break;
        default: return;  // stb refuses other depths
    }
    const uint64_t needed = offset + (row + 3) / 4 * 4 * (height - 1) + row;
    check(size >= needed, "load_image: ", path, ": truncated BMP file: its header promises ", width, " x ", height,
          " pixels of ", bpp, " bits from byte ", offset, " (", needed, " bytes), the file holds ", size);
}

}  // namespace convlab
