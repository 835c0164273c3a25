// src/face/pretrained/alignment.cpp
#include "face/pretrained/alignment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "io/image.hpp"

namespace convlab {
namespace {

// The centre of points [begin, end).
Point centre(const std::vector<Point>& p, size_t begin, size_t end) {
    Point c;
    for (size_t i = begin; i < end; ++i) c.x += p[i].x, c.y += p[i].y;
    const float n = float(end - begin);
    return {c.x / n, c.y / n};
}

float distance(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

void check_landmarks(const std::vector<Point>& landmarks, const char* fn) {
    check(landmarks.size() == size_t(kLandmarkCount), fn, ": expected ", kLandmarkCount, " landmarks, got ",
          landmarks.size());
}

}  // namespace

Box dlib_alignment_box(const std::vector<Point>& landmarks) {
    check_landmarks(landmarks, "dlib_alignment_box");
    const Point e_L = centre(landmarks, 36, 42), e_R = centre(landmarks, 42, 48), m = centre(landmarks, 48, 68);
    const float size = std::floor((distance(m, e_L) + distance(m, e_R)) / 2 / 0.45f);
    const Point c{(e_L.x + e_R.x + m.x) / 3, (e_L.y + e_R.y + m.y) / 3};
    return {std::floor(std::max(0.0f, c.x - 0.5f * size)), std::floor(std::max(0.0f, c.y - 0.43f * size)), size, size};
}

Box landmarks_box(const std::vector<Point>& landmarks, float padding) {
    check_landmarks(landmarks, "landmarks_box");
    float x0 = std::numeric_limits<float>::infinity(), y0 = x0, x1 = 0, y1 = 0;
    for (const Point& p : landmarks)
        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
    const float w = x1 - x0, h = y1 - y0;
    return {x0 - padding * w / 2, y0 - padding * h / 2, w * (1 + padding), h * (1 + padding)};
}

Box clip_to_image(const Box& box, int64_t width, int64_t height) {
    const float x = std::max(box.x, 0.0f), y = std::max(box.y, 0.0f);
    const float w = std::min(box.right() - x, float(width) - x), h = std::min(box.bottom() - y, float(height) - y);
    return {std::floor(x), std::floor(y), std::floor(w), std::floor(h)};
}

Tensor cut_out(const Tensor& image, const Box& box) {
    check(image.ndim() == 3, "cut_out: expected an image (C, H, W), got ", image.shape_str());
    const Box b = clip_to_image(box, image.dim(2), image.dim(1));
    check(b.width >= 1 && b.height >= 1, "cut_out: the box (", box.x, ", ", box.y, ", ", box.width, " x ", box.height,
          ") lies outside the ", image.dim(2), " x ", image.dim(1), " image");
    return crop(image, int64_t(b.y), int64_t(b.x), int64_t(b.height), int64_t(b.width));
}

}  // namespace convlab
