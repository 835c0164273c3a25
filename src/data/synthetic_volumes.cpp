// src/data/synthetic_volumes.cpp
#include "data/synthetic_volumes.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace convlab {

namespace {

constexpr double kFlat = 1e9;  // the depth semi-axis of a disc drawn in one frame

// A ball with a soft edge, one voxel wide: value inside, 0 outside, a linear ramp across the surface so
// that small radii (1.5, 2.3 voxels) still render as different sizes. Semi-axes ra, rb, rc (an ellipsoid);
// a disc in a frame is a ball with ra = kFlat, as long as a cylinder along depth.
struct Ball {
    double z, y, x, ra, rb, rc, value;

    double at(double k, double i, double j) const {
        const double dz = (k - z) / ra, dy = (i - y) / rb, dx = (j - x) / rc;
        const double r = std::min({ra, rb, rc});
        const double depth = (1.0 - std::sqrt(dz * dz + dy * dy + dx * dx)) * r;  // ~ voxels inside the surface
        return value * std::clamp(depth + 0.5, 0.0, 1.0);
    }
};

// Adds every ball and the noise into one (D, H, W) block of `out`.
void render(float* out, int64_t D, int64_t H, int64_t W, const std::vector<Ball>& balls, float noise, Rng& rng) {
    for (int64_t k = 0; k < D; ++k)
        for (int64_t i = 0; i < H; ++i)
            for (int64_t j = 0; j < W; ++j) {
                double v = 0.0;
                for (const Ball& b : balls) v += b.at(double(k), double(i), double(j));
                *out++ = static_cast<float>(v + noise * rng.normal());
            }
}

}  // namespace

VolumeSet synthetic_volumes(int64_t n, int64_t size, Rng& rng, float noise) {
    check(n > 0 && size >= 8, "synthetic_volumes: expected n > 0 volumes of size >= 8, got n = ", n,
          ", size = ", size);
    const double c = 0.5 * (size - 1), s = static_cast<double>(size);
    Tensor X = Tensor::empty({n, 1, size, size, size});
    std::vector<int> label(static_cast<size_t>(n));
    for (int64_t v = 0; v < n; ++v) {
        // The body: tissue at 0.4, semi-axes 35..45% of the volume.
        const Ball body{c, c, c, s * rng.uniform(0.35f, 0.45f), s * rng.uniform(0.35f, 0.45f),
                        s * rng.uniform(0.35f, 0.45f), 0.4};
        std::vector<Ball> balls{body};
        // Organs: large and faint (+-0.1), anywhere within the body.
        const int64_t organs = 2 + rng.randint(3);
        for (int64_t o = 0; o < organs; ++o) {
            const double r = s * rng.uniform(0.12f, 0.2f);
            balls.push_back({c + rng.uniform(-0.5f, 0.5f) * body.ra, c + rng.uniform(-0.5f, 0.5f) * body.rb,
                             c + rng.uniform(-0.5f, 0.5f) * body.rc, r, r * rng.uniform(0.7f, 1.3f), r,
                             rng.uniform(-0.1f, 0.1f)});
        }
        label[v] = rng.uniform() < 0.5f ? 1 : 0;
        if (label[v] == 1) {  // the lesion: small, bright, well inside the body
            const double r = rng.uniform(1.5f, 3.0f);
            balls.push_back({c + rng.uniform(-0.55f, 0.55f) * body.ra, c + rng.uniform(-0.55f, 0.55f) * body.rb,
                             c + rng.uniform(-0.55f, 0.55f) * body.rc, r, r, r, rng.uniform(0.4f, 0.6f)});
        }
        render(X.data() + v * size * size * size, size, size, size, balls, noise, rng);
    }
    return {X, std::move(label), {"no lesion", "lesion"}};
}

VolumeSet synthetic_clips(int64_t n, int64_t frames, int64_t size, Rng& rng, float noise) {
    check(n > 0 && frames >= 2 && size >= frames + 4,
          "synthetic_clips: expected n > 0 clips, frames >= 2 and size >= frames + 4, got n = ", n, ", frames = ", frames,
          ", size = ", size);
    // Direction k moves the blob by (dy, dx) per frame: right, left, down, up.
    constexpr int kDy[4] = {0, 0, 1, -1}, kDx[4] = {1, -1, 0, 0};
    const int64_t plane = size * size;
    Tensor X = Tensor::empty({n, 1, frames, size, size});
    std::vector<int> label(static_cast<size_t>(n));
    for (int64_t v = 0; v < n; ++v) {
        const int k = static_cast<int>(rng.randint(4));
        label[v] = k;
        // Static clutter: blobs that stay put, as bright as the mover.
        std::vector<Ball> clutter;
        for (int64_t b = 0, count = 1 + rng.randint(3); b < count; ++b) {
            const double r = rng.uniform(1.0f, 2.0f);
            clutter.push_back({0, rng.uniform(0.0f, float(size - 1)), rng.uniform(0.0f, float(size - 1)), kFlat, r, r,
                               rng.uniform(0.5f, 1.0f)});
        }
        // The mover starts on a whole pixel, and its whole path stays in the frame (a 2-pixel margin).
        const double r = rng.uniform(1.5f, 2.0f);
        const auto start = [&](int d) {
            const int64_t lo = d < 0 ? 1 + frames : 2, hi = d > 0 ? size - 2 - frames : size - 3;
            return static_cast<double>(lo + rng.randint(hi - lo + 1));
        };
        const double y0 = start(kDy[k]), x0 = start(kDx[k]);
        for (int64_t t = 0; t < frames; ++t) {
            std::vector<Ball> balls = clutter;
            balls.push_back({0, y0 + kDy[k] * t, x0 + kDx[k] * t, kFlat, r, r, 1.0});
            render(X.data() + (v * frames + t) * plane, 1, size, size, balls, noise, rng);
        }
    }
    return {X, std::move(label), {"right", "left", "down", "up"}};
}

}  // namespace convlab
