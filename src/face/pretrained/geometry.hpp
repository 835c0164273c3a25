// src/face/pretrained/geometry.hpp
//
// Points and boxes in image pixels, as the pretrained face networks report them: x to the right, y down,
// (0, 0) the top-left corner of the top-left pixel. A box is its top-left corner and its size.
#pragma once

namespace convlab {

struct Point {
    float x = 0, y = 0;
};

struct Box {
    float x = 0, y = 0, width = 0, height = 0;
    float right() const { return x + width; }
    float bottom() const { return y + height; }
    float area() const { return width * height; }
};

// A face the detector found: its box in image pixels and the detector's confidence in [0, 1].
struct Detection {
    float score = 0;
    Box box;
};

}  // namespace convlab
