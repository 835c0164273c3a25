// src/data/synthetic_paintings.hpp
//
// Content and style images drawn by the program itself, for a machine without ../shared/data/nst: a small
// town by a river (content) and a night sky of swirling brush strokes (style). Same seed, same pictures.
#pragma once

#include <cstdint>

#include "core/tensor.hpp"

namespace convlab {

// A town: sky, hills, houses with roofs and windows, a church tower, a river with reflections. (3, H, W).
Tensor draw_town(int64_t H, int64_t W, uint64_t seed);

// A painting: thousands of short curved strokes following swirls, in night blues with yellow and white
// stars and moons. (3, H, W).
Tensor draw_swirl_painting(int64_t H, int64_t W, uint64_t seed);

}  // namespace convlab
