// src/face/pretrained/alignment.hpp
//
// From 68 landmarks to the square the recognition net sees.             [lecture: "Face Verification"]
//
// The detector's box is loose (forehead, chin, some background); the recognition net was trained on faces
// cut the way dlib cuts them: a square placed by the eyes and the mouth. With the 68 points numbered as in
// the iBUG 300-W convention (0-16 jaw, 17-26 brows, 27-35 nose, 36-41 left eye, 42-47 right eye, 48-67 mouth):
//
//   e_L, e_R, m = the centres of points 36-41, 42-47 and 48-67
//   size = floor( (|m - e_L| + |m - e_R|) / 2 / 0.45 )          eye-to-mouth distance is 45% of the side
//   c    = (e_L + e_R + m) / 3
//   box  = (floor(max(0, c.x - 0.5 size)), floor(max(0, c.y - 0.43 size)), size, size)
//
// (face-api's port of dlib's alignment; it does not rotate the face: the square is cut upright.)
#pragma once

#include <vector>

#include "core/tensor.hpp"
#include "face/pretrained/geometry.hpp"

namespace convlab {

constexpr int kLandmarkCount = 68;

// The dlib square above, in the landmarks' pixels. landmarks: 68 points.
Box dlib_alignment_box(const std::vector<Point>& landmarks);

// The landmarks' bounding box grown by `padding` of its width and height (half on each side): what face-api
// reports as a face's aligned rectangle (padding 0.2).
Box landmarks_box(const std::vector<Point>& landmarks, float padding = 0.2f);

// The box clipped to a width x height image and floored to whole pixels (x, y, width, height each rounded
// down), as face-api cuts faces out. Its width or height is <= 0 when it lies outside the image.
Box clip_to_image(const Box& box, int64_t width, int64_t height);

// The pixels of image (C, H, W) inside clip_to_image(box): (C, h, w). Throws if nothing of the box is inside.
Tensor cut_out(const Tensor& image, const Box& box);

}  // namespace convlab
