// src/data/synthetic_paintings.cpp: the two built-in pictures (see the header).
#include "data/synthetic_paintings.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"

namespace convlab {
namespace {

struct Colour {
    float r, g, b;
};

// Pixel access on a (3, H, W) contiguous tensor.
class Canvas {
public:
    Canvas(int64_t H, int64_t W) : image(Tensor::zeros({3, H, W})), H_(H), W_(W) {}
    void blend(int64_t y, int64_t x, Colour c, float opacity = 1.0f) {
        if (y < 0 || y >= H_ || x < 0 || x >= W_) return;
        float* p = image.data() + y * W_ + x;
        const float v[3] = {c.r, c.g, c.b};
        for (int ch = 0; ch < 3; ++ch) p[ch * H_ * W_] += opacity * (v[ch] - p[ch * H_ * W_]);
    }
    void rect(double y0, double x0, double y1, double x1, Colour c) {
        for (int64_t y = std::max<int64_t>(0, int64_t(y0)); y < std::min<int64_t>(H_, int64_t(y1)); ++y)
            for (int64_t x = std::max<int64_t>(0, int64_t(x0)); x < std::min<int64_t>(W_, int64_t(x1)); ++x) blend(y, x, c);
    }
    // A soft round dab of the brush.
    void dab(double cy, double cx, double radius, Colour c, float opacity) {
        for (int64_t y = int64_t(cy - radius); y <= int64_t(cy + radius) + 1; ++y)
            for (int64_t x = int64_t(cx - radius); x <= int64_t(cx + radius) + 1; ++x) {
                const double d = std::hypot(y - cy, x - cx) / std::max(radius, 0.5);
                if (d < 1.0) blend(y, x, c, opacity * float(1.0 - d * d));
            }
    }
    int64_t H() const { return H_; }
    int64_t W() const { return W_; }
    Tensor image;

private:
    int64_t H_, W_;
};

Colour mix(Colour a, Colour b, float t) { return {a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b)}; }

}  // namespace

Tensor draw_town(int64_t H, int64_t W, uint64_t seed) {
    check(H >= 16 && W >= 16, "draw_town: needs at least 16 x 16 pixels, got ", H, " x ", W);
    Rng rng(seed);
    Canvas c(H, W);
    const double horizon = 0.62 * H, river = 0.78 * H;
    for (int64_t y = 0; y < H; ++y)  // sky: deep blue at the top to pale near the horizon
        c.rect(y, 0, y + 1, W, mix({0.25f, 0.45f, 0.85f}, {0.85f, 0.9f, 0.95f}, float(y / horizon)));
    c.dab(0.18 * H, 0.8 * W, 0.06 * W, {1.0f, 0.95f, 0.7f}, 1.0f);  // sun
    for (int64_t x = 0; x < W; ++x) {  // hills
        const double top = horizon - 0.12 * H * (0.6 + 0.4 * std::sin(x * 6.0 / W + 1.0)) * (0.7 + 0.3 * std::sin(x * 17.0 / W));
        c.rect(top, x, river, x + 1, mix({0.2f, 0.45f, 0.2f}, {0.35f, 0.6f, 0.25f}, float(x) / W));
    }
    const Colour walls[5] = {{0.95f, 0.85f, 0.55f}, {0.9f, 0.9f, 0.88f}, {0.85f, 0.55f, 0.4f}, {0.95f, 0.75f, 0.3f},
                             {0.75f, 0.8f, 0.9f}};
    double x = 0.02 * W;
    while (x < 0.95 * W) {  // a row of houses on the river bank
        const double w = (0.08 + 0.06 * rng.uniform()) * W, h = (0.12 + 0.12 * rng.uniform()) * H;
        const double base = river, top = base - h;
        c.rect(top, x, base, x + w, walls[rng.randint(5)]);
        for (double r = 0; r < 0.12 * H; r += 1.0) {  // roof: a triangle of dark red
            const double half = w / 2 * (r / (0.12 * H));
            c.rect(top - 0.12 * H + r, x + w / 2 - half, top - 0.12 * H + r + 1, x + w / 2 + half, {0.45f, 0.15f, 0.1f});
        }
        for (double wy = top + 0.2 * h; wy < base - 0.25 * h; wy += 0.25 * h)  // windows
            for (double wx = x + 0.15 * w; wx < x + 0.8 * w; wx += 0.3 * w)
                c.rect(wy, wx, wy + 0.1 * h, wx + 0.12 * w, {0.15f, 0.2f, 0.3f});
        x += w + 0.01 * W;
    }
    c.rect(0.25 * H, 0.46 * W, river, 0.52 * W, {0.8f, 0.78f, 0.7f});  // church tower and its spire
    for (double r = 0; r < 0.12 * H; r += 1.0) {
        const double half = 0.03 * W * r / (0.12 * H);
        c.rect(0.13 * H + r, 0.49 * W - half, 0.13 * H + r + 1, 0.49 * W + half, {0.2f, 0.3f, 0.3f});
    }
    for (int64_t y = int64_t(river); y < H; ++y)  // river: the bank mirrored, darkened and rippled
        for (int64_t xx = 0; xx < W; ++xx) {
            const int64_t mirror = std::clamp<int64_t>(int64_t(2 * river - y + 2 * std::sin(xx * 0.3 + y)), 0, H - 1);
            const float* src = c.image.data();
            const Colour m = {src[mirror * W + xx], src[H * W + mirror * W + xx], src[2 * H * W + mirror * W + xx]};
            c.blend(y, xx, mix(m, {0.1f, 0.2f, 0.35f}, 0.45f));
        }
    return c.image;
}

Tensor draw_swirl_painting(int64_t H, int64_t W, uint64_t seed) {
    check(H >= 16 && W >= 16, "draw_swirl_painting: needs at least 16 x 16 pixels, got ", H, " x ", W);
    Rng rng(seed);
    Canvas c(H, W);
    c.rect(0, 0, H, W, {0.1f, 0.18f, 0.4f});
    struct Vortex {
        double y, x, strength, radius;
    };
    std::vector<Vortex> vortices;
    for (int v = 0; v < 7; ++v)
        vortices.push_back({rng.uniform() * H, rng.uniform() * W, (rng.uniform() < 0.5 ? -1.0 : 1.0), (0.1 + 0.15 * rng.uniform()) * W});
    // the flow the strokes follow: a gentle drift to the right plus a swirl around every vortex
    auto flow = [&](double y, double x, double& dy, double& dx) {
        dy = 0.1;
        dx = 1.0;
        for (const Vortex& v : vortices) {
            const double ry = y - v.y, rx = x - v.x, d2 = ry * ry + rx * rx;
            const double w = 3.0 * v.strength * std::exp(-d2 / (2 * v.radius * v.radius));
            dy += w * rx / v.radius;
            dx -= w * ry / v.radius;
        }
        const double n = std::hypot(dy, dx) + 1e-9;
        dy /= n;
        dx /= n;
    };
    const Colour palette[6] = {{0.05f, 0.1f, 0.3f}, {0.15f, 0.3f, 0.6f}, {0.3f, 0.5f, 0.8f},
                               {0.6f, 0.75f, 0.9f}, {0.95f, 0.85f, 0.35f}, {0.98f, 0.97f, 0.85f}};
    const int strokes = int(H * W / 12);
    const double brush = std::max(1.0, W / 128.0);
    for (int s = 0; s < strokes; ++s) {
        double y = rng.uniform() * H, x = rng.uniform() * W;
        // colour by height, brightened near vortex centres (the stars)
        double glow = 0;
        for (const Vortex& v : vortices) glow += std::exp(-(std::pow(y - v.y, 2) + std::pow(x - v.x, 2)) / (2 * std::pow(0.35 * v.radius, 2)));
        const int base = std::clamp(int(4.0 * (1.0 - y / H) * rng.uniform() + 3.0 * glow * rng.uniform()), 0, 5);
        const Colour colour = palette[std::min(5, base + (rng.uniform() < 0.1 ? 1 : 0))];
        const int length = 4 + int(rng.randint(int64_t(std::max(4.0, W / 20.0))));
        for (int t = 0; t < length; ++t) {
            c.dab(y, x, brush, colour, 0.6f);
            double dy, dx;
            flow(y, x, dy, dx);
            y += dy;
            x += dx;
        }
    }
    for (int v = 0; v < 3; ++v)  // a moon and two stars, bright round blobs with halos
        c.dab(vortices[v].y, vortices[v].x, (0.02 + 0.02 * v) * W, {1.0f, 0.95f, 0.55f}, 0.9f);
    return c.image;
}

}  // namespace convlab
