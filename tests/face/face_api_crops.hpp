// tests/face/face_api_crops.hpp
//
// What the parity tests of the pretrained face networks share: the reference PNGs of one kind, the numbers of
// a JSON array, and face-api's crop of a box (the faces its pipeline hands to the landmark and recognition nets).
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "io/image.hpp"
#include "io/json.hpp"
#include "tests/support/face_reference.hpp"

namespace convlab::testing {

// The names of the PNGs in face_reference_dir() that start with `prefix` ("rec_", "lmk_", "det_"), sorted.
inline std::vector<std::string> face_reference_pngs(const std::string& prefix) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(face_reference_dir())) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".png") names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

// A JSON array of numbers, or of [x, y] pairs (flattened: x0, y0, x1, y1, ...).
inline std::vector<double> json_numbers(const JsonValue& array) {
    std::vector<double> out;
    for (const JsonValue& v : array.elements()) {
        if (!v.is_array()) {
            out.push_back(v.as_number());
            continue;
        }
        for (const JsonValue& w : v.elements()) out.push_back(w.as_number());
    }
    return out;
}

struct FaceApiBox {
    double x, y, width, height;
};

inline FaceApiBox face_api_box(const JsonValue& box) {
    return {box.at("x").as_number(), box.at("y").as_number(), box.at("width").as_number(),
            box.at("height").as_number()};
}

// face-api's extractFaceTensors: the box (image pixels) clipped at the borders of the image (3, H, W), each of
// its four numbers floored, and that part of the image cut out.
inline Tensor face_api_crop(const Tensor& image, const FaceApiBox& b) {
    const double cx = std::max(b.x, 0.0), cy = std::max(b.y, 0.0);
    const double w = std::min(b.x + b.width - cx, double(image.dim(2)) - cx);
    const double h = std::min(b.y + b.height - cy, double(image.dim(1)) - cy);
    return crop(image, int64_t(std::floor(cy)), int64_t(std::floor(cx)), int64_t(std::floor(h)),
                int64_t(std::floor(w)));
}

// The box face-api cuts out for the recognition net (FaceLandmarks.align with useDlibAlignment): from the 68
// landmarks p (x0, y0, x1, y1, ..., image pixels) of a face whose crop was face_w x face_h,
//   eyes e_l, e_r = the means of points 36..41 and 42..47, mouth m = the mean of 48..67
//   size = floor((|m - e_l| + |m - e_r|) / 2 / 0.45),   c = (e_l + e_r + m) / 3
//   x = floor(max(0, c_x - 0.5 size)),  y = floor(max(0, c_y - 0.43 size)),
//   width = min(size, face_w + x),  height = min(size, face_h + y)
inline FaceApiBox face_api_dlib_box(const std::vector<double>& p, double face_w, double face_h) {
    const auto mean = [&](int first, int last, int coordinate) {
        double s = 0;
        for (int k = first; k <= last; ++k) s += p[2 * k + coordinate];
        return s / (last - first + 1);
    };
    const double lx = mean(36, 41, 0), ly = mean(36, 41, 1), rx = mean(42, 47, 0), ry = mean(42, 47, 1);
    const double mx = mean(48, 67, 0), my = mean(48, 67, 1);
    const double eye_to_mouth = (std::hypot(mx - lx, my - ly) + std::hypot(mx - rx, my - ry)) / 2;
    const double size = std::floor(eye_to_mouth / 0.45);
    const double cx = (lx + rx + mx) / 3, cy = (ly + ry + my) / 3;
    const double x = std::floor(std::max(0.0, cx - 0.5 * size)), y = std::floor(std::max(0.0, cy - 0.43 * size));
    return {x, y, std::min(size, face_w + x), std::min(size, face_h + y)};
}

}  // namespace convlab::testing
