// src/io/fnv1a.hpp
//
// FNV-1a, 64 bits: the checksum of the face database and the fingerprints of face models and photos.
//
//   h_0 = 14695981039346656037,   h_{i+1} = (h_i xor byte_i) * 1099511628211   (mod 2^64)
//
// Simple and fast; it catches accidents (a flipped digit, another file, other weights), not attacks.
#pragma once

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace convlab {

constexpr uint64_t kFnv1aStart = 14695981039346656037ULL;

// The hash of n bytes, continuing from h (to hash several pieces as one).
inline uint64_t fnv1a_bytes(const void* data, size_t n, uint64_t h = kFnv1aStart) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) h = (h ^ bytes[i]) * 1099511628211ULL;
    return h;
}
inline uint64_t fnv1a(const std::string& bytes, uint64_t h = kFnv1aStart) {
    return fnv1a_bytes(bytes.data(), bytes.size(), h);
}

// 16 lower-case hex digits.
inline std::string hex16(uint64_t h) {
    char text[17];
    std::snprintf(text, sizeof text, "%016" PRIx64, h);
    return text;
}

}  // namespace convlab
