// src/face/augment.cpp
#include "face/augment.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab {
namespace {

struct Warp {
    float cos_a, sin_a, scale, shift_x, shift_y;  // similarity transform, in pixels about the centre
    bool flip;
    float brightness, contrast;
    float g_x = 0, g_y = 0;  // light gradient across the image (AugmentConfig::max_light_gradient)
};

// Bilinear sample of one H x W plane (H, W >= 2) at (x, y), coordinates clamped to the image (edges
// repeated).
float sample(const float* plane, int64_t H, int64_t W, float x, float y) {
    x = std::min(std::max(x, 0.0f), float(W - 1));
    y = std::min(std::max(y, 0.0f), float(H - 1));
    const int64_t x0 = std::min(int64_t(x), W - 2), y0 = std::min(int64_t(y), H - 2), x1 = x0 + 1, y1 = y0 + 1;
    const float fx = x - x0, fy = y - y0;
    const float top = plane[y0 * W + x0] * (1 - fx) + plane[y0 * W + x1] * fx;
    const float bottom = plane[y1 * W + x0] * (1 - fx) + plane[y1 * W + x1] * fx;
    return top * (1 - fy) + bottom * fy;
}

}  // namespace

// Each image n of src warped by warps[n]: output pixel -> source pixel by undoing the shift, then the
// rotation and scale about the centre; bilinear sampling; then the light gradient, brightness and contrast,
// clamped to [0, 1].
static Tensor apply_warps(const Tensor& src, const std::vector<Warp>& warps) {
    const int64_t C = src.dim(1), H = src.dim(2), W = src.dim(3);
    Tensor out = Tensor::empty(src.shape());
    const float cx = 0.5f * (W - 1), cy = 0.5f * (H - 1);
    parallel_for(src.dim(0) * C, [&](int64_t lo, int64_t hi) {
        for (int64_t plane = lo; plane < hi; ++plane) {
            const Warp& w = warps[plane / C];
            const float* in = src.data() + plane * H * W;
            float* o = out.data() + plane * H * W;
            for (int64_t y = 0; y < H; ++y) {
                for (int64_t x = 0; x < W; ++x) {
                    const float px = (w.flip ? W - 1 - x : x) - cx - w.shift_x, py = y - cy - w.shift_y;
                    const float sx = (w.cos_a * px + w.sin_a * py) / w.scale + cx;
                    const float sy = (-w.sin_a * px + w.cos_a * py) / w.scale + cy;
                    const float lit = sample(in, H, W, sx, sy) * (1 + w.g_x * (x - cx) / cx + w.g_y * (y - cy) / cy);
                    const float v = (lit - 0.5f) * w.contrast + 0.5f + w.brightness;
                    o[y * W + x] = std::min(1.0f, std::max(0.0f, v));
                }
            }
        }
    });
    return out;
}

static void check_images(const char* op, const Tensor& images) {
    check(images.ndim() == 4 && images.dim(2) >= 2 && images.dim(3) >= 2, op,
          ": expected images (N, C, H, W) with H, W >= 2, got ", images.shape_str());
}

Tensor augment(const Tensor& images, const AugmentConfig& config, Rng& rng) {
    check_images("augment", images);
    std::vector<Warp> warps(images.dim(0));
    for (Warp& w : warps) {
        const float angle = rng.uniform(-config.max_angle, config.max_angle);
        w.cos_a = std::cos(angle);
        w.sin_a = std::sin(angle);
        w.scale = rng.uniform(config.min_scale, config.max_scale);
        w.shift_x = rng.uniform(-config.max_shift, config.max_shift) * images.dim(3);
        w.shift_y = rng.uniform(-config.max_shift, config.max_shift) * images.dim(2);
        w.flip = config.flip && rng.uniform() < 0.5f;
        w.brightness = rng.uniform(-config.max_brightness, config.max_brightness);
        w.contrast = 1.0f + rng.uniform(-config.max_contrast, config.max_contrast);
        if (config.max_light_gradient > 0) {
            w.g_x = rng.uniform(-config.max_light_gradient, config.max_light_gradient);
            w.g_y = 0.5f * rng.uniform(-config.max_light_gradient, config.max_light_gradient);
        }
    }
    return apply_warps(images.contiguous(), warps);
}

Tensor zoom(const Tensor& images, float scale) {
    check_images("zoom", images);
    check(scale > 0, "zoom: scale must be > 0, got ", scale);
    const Warp w{1.0f, 0.0f, scale, 0.0f, 0.0f, false, 0.0f, 1.0f};
    return apply_warps(images.contiguous(), std::vector<Warp>(images.dim(0), w));
}

Tensor mirror(const Tensor& images) {
    check(images.ndim() == 4, "mirror: expected images (N, C, H, W), got ", images.shape_str());
    const Tensor src = images.contiguous();
    const int64_t W = src.dim(3), rows = src.numel() / W;
    Tensor out = Tensor::empty(src.shape());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t x = 0; x < W; ++x) out.data()[r * W + x] = src.data()[r * W + W - 1 - x];
    return out;
}

}  // namespace convlab
