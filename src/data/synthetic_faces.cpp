// src/data/synthetic_faces.cpp
//
// Each pixel is mapped back into face coordinates (undoing the photo's shift, rotation and scale), and the
// face is painted there layer by layer, back to front: background, hair behind the head, ears, face,
// hair on top, eyes, brows, nose, mouth, glasses. Every shape has a soft edge about one pixel wide, so
// the drawing is anti-aliased and small pose changes move the pixels smoothly.
#include "data/synthetic_faces.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"

namespace convlab {
namespace {

constexpr float kEdge = 0.045f;  // soft-edge width in face coordinates: about one pixel at 46 px wide

float clamp01(float x) { return std::min(1.0f, std::max(0.0f, x)); }

// Coverage of a shape whose signed distance (inside > 0, in face units) is `inside`.
float coverage(float inside) { return clamp01(inside / kEdge + 0.5f); }

// Coverage of the ellipse centred at (cu, cv) with half-axes a, b.
float ellipse(float u, float v, float cu, float cv, float a, float b) {
    const float du = (u - cu) / a, dv = (v - cv) / b;
    return coverage((1.0f - std::sqrt(du * du + dv * dv)) * std::min(a, b));
}

// Coverage of a stroke of the given thickness along the segment (u0, v0) - (u1, v1).
float stroke(float u, float v, float u0, float v0, float u1, float v1, float thickness) {
    const float eu = u1 - u0, ev = v1 - v0;
    const float t = clamp01(((u - u0) * eu + (v - v0) * ev) / (eu * eu + ev * ev));
    const float du = u - (u0 + t * eu), dv = v - (v0 + t * ev);
    return coverage(0.5f * thickness - std::sqrt(du * du + dv * dv));
}

void paint(float& value, float colour, float mask) { value += (colour - value) * mask; }

// One Rng stream per (seed, person, photo): a person's look never depends on how many others exist.
Rng stream(uint64_t seed, uint64_t person, uint64_t photo) {
    uint64_t h = seed;
    h = h * 0x9E3779B97F4A7C15ULL ^ (person + 1);
    h = h * 0x9E3779B97F4A7C15ULL ^ (photo + 1);
    return Rng(h);
}

// The value of the face at face coordinates (u, v).
float face_at(const FaceIdentity& id, const FaceNuisance& nu, float u, float v) {
    float value = nu.background;
    // hair behind the head: it shows beside the face down to a length set by hair_side
    const float hair_bottom = -0.25f + 2.5f * id.hair_side;
    if (v < hair_bottom)
        paint(value, id.hair_dark, ellipse(u, v, 0, -0.05f, id.face_w + 0.08f + id.hair_side, id.face_h + 0.1f));
    for (float side : {-1.0f, 1.0f})
        paint(value, id.skin * 0.88f, ellipse(u, v, side * id.face_w, 0.02f, id.ear_size * 0.7f, id.ear_size * 1.3f));
    // face: an ellipse whose lower half narrows by `jaw`
    const float t = v / id.face_h;
    const float half_width = id.face_w * (1.0f - id.jaw * std::max(t, 0.0f) * std::max(t, 0.0f));
    const float ut = u / half_width;
    paint(value, id.skin, coverage((1.0f - std::sqrt(ut * ut + t * t)) * std::min(half_width, id.face_h)));
    // hair on top: inside a slightly larger ellipse and above a wavy hairline
    const float hairline = -id.face_h + id.hairline * id.face_h + id.fringe_wave * std::sin(9.0f * u);
    paint(value, id.hair_dark,
          std::min(ellipse(u, v, 0, -0.02f, id.face_w + 0.06f, id.face_h + 0.08f), coverage(hairline - v)));
    for (float side : {-1.0f, 1.0f}) {
        const float cu = side * id.eye_dx;
        // eye: white, then the iris clipped to it; expression narrows it
        const float white = ellipse(u, v, cu, id.eye_y, id.eye_r * 1.6f, id.eye_r * nu.eye_open);
        paint(value, 0.88f, white);
        paint(value, id.iris_dark, std::min(white, ellipse(u, v, cu, id.eye_y, id.eye_r * 0.75f, id.eye_r * 0.75f)));
        // brow: a stroke above the eye, its outer end raised by brow_tilt
        const float bv = id.eye_y - id.brow_y;
        paint(value, id.brow_dark,
              stroke(u, v, side * (id.eye_dx - 1.4f * id.eye_r), bv, side * (id.eye_dx + 1.6f * id.eye_r),
                     bv - id.brow_tilt, id.brow_thick));
        // nostril
        paint(value, id.nose_dark, ellipse(u, v, side * id.nose_w, id.eye_y + id.nose_len, 0.035f, 0.025f));
        if (nu.glasses) {
            const float ring = ellipse(u, v, cu, id.eye_y, id.eye_r * 2.3f, id.eye_r * 1.9f) -
                               ellipse(u, v, cu, id.eye_y, id.eye_r * 2.3f - 0.04f, id.eye_r * 1.9f - 0.04f);
            paint(value, 0.08f, clamp01(ring));
        }
    }
    // nose ridge: a shadow on the side away from the light
    const float ridge_u = (nu.light_x > 0 ? -1.0f : 1.0f) * 0.5f * id.nose_w;
    paint(value, id.skin * 0.75f,
          0.6f * stroke(u, v, ridge_u, id.eye_y + 0.06f, ridge_u, id.eye_y + id.nose_len, 0.045f));
    // mouth: a curve whose corners rise by `smile`
    if (std::fabs(u) < id.mouth_w + kEdge) {
        const float r = u / id.mouth_w;
        const float curve = id.mouth_y + nu.smile * (0.5f - r * r);
        const float lip = std::max(0.3f, 1.0f - r * r) * id.lip_thick;
        paint(value, id.lip_dark,
              std::min(coverage(0.5f * lip - std::fabs(v - curve)), coverage(id.mouth_w - std::fabs(u))));
    }
    if (nu.glasses) paint(value, 0.08f, stroke(u, v, -id.eye_dx + 2.2f * id.eye_r, id.eye_y, id.eye_dx - 2.2f * id.eye_r,
                                               id.eye_y, 0.04f));
    // lighting: one side brighter than the other
    return value * (1.0f + nu.light_strength * (nu.light_x * u + nu.light_y * v));
}

}  // namespace

FaceIdentity random_identity(Rng& rng) {
    FaceIdentity id;
    id.face_w = rng.uniform(0.55f, 0.75f);
    id.face_h = rng.uniform(0.70f, 0.85f);
    id.jaw = rng.uniform(-0.2f, 0.4f);
    id.skin = rng.uniform(0.45f, 0.80f);
    id.eye_dx = rng.uniform(0.22f, 0.34f);
    id.eye_y = rng.uniform(-0.20f, -0.02f);
    id.eye_r = rng.uniform(0.06f, 0.10f);
    id.iris_dark = rng.uniform(0.05f, 0.40f);
    id.brow_y = rng.uniform(0.12f, 0.22f);
    id.brow_tilt = rng.uniform(-0.06f, 0.06f);
    id.brow_thick = rng.uniform(0.03f, 0.08f);
    id.brow_dark = rng.uniform(0.05f, 0.35f);
    id.nose_len = rng.uniform(0.20f, 0.35f);
    id.nose_w = rng.uniform(0.04f, 0.10f);
    id.nose_dark = rng.uniform(0.15f, 0.40f);
    id.mouth_y = id.eye_y + id.nose_len + rng.uniform(0.12f, 0.22f);
    id.mouth_w = rng.uniform(0.15f, 0.30f);
    id.lip_thick = rng.uniform(0.03f, 0.07f);
    id.lip_dark = rng.uniform(0.15f, 0.45f);
    id.hair_dark = rng.uniform(0.03f, 0.95f);
    id.hairline = rng.uniform(0.15f, 0.50f);
    id.hair_side = rng.uniform(0.0f, 0.35f);
    id.fringe_wave = rng.uniform(0.0f, 0.08f);
    id.ear_size = rng.uniform(0.08f, 0.14f);
    return id;
}

FaceNuisance random_nuisance(Rng& rng) {
    FaceNuisance nu;
    nu.dx = rng.uniform(-0.08f, 0.08f);
    nu.dy = rng.uniform(-0.08f, 0.08f);
    nu.angle = rng.uniform(-0.12f, 0.12f);  // about +-7 degrees
    nu.scale = rng.uniform(0.92f, 1.08f);
    const float light_angle = rng.uniform(0.0f, 6.2831853f);
    nu.light_x = std::cos(light_angle);
    nu.light_y = std::sin(light_angle);
    nu.light_strength = rng.uniform(0.0f, 0.35f);
    nu.smile = rng.uniform(-0.03f, 0.08f);
    nu.eye_open = rng.uniform(0.5f, 1.0f);
    nu.glasses = rng.uniform() < 0.2f;
    nu.background = rng.uniform(0.1f, 0.9f);
    nu.noise = rng.uniform(0.01f, 0.04f);
    return nu;
}

Tensor render_face(const FaceIdentity& id, const FaceNuisance& nu, int height, int width, Rng& noise_rng) {
    check(height >= 8 && width >= 8, "render_face: image size must be at least 8 x 8, got ", height, " x ", width);
    Tensor img = Tensor::empty({1, height, width});
    float* out = img.data();
    const float c = std::cos(nu.angle), s = std::sin(nu.angle);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            // pixel -> image coordinates in [-1, 1] -> face coordinates (undo shift, rotation, scale)
            const float px = (x + 0.5f) / (0.5f * width) - 1.0f - nu.dx;
            const float py = (y + 0.5f) / (0.5f * height) - 1.0f - nu.dy;
            const float u = (c * px + s * py) / nu.scale, v = (-s * px + c * py) / nu.scale;
            out[y * width + x] = clamp01(face_at(id, nu, u, v) + nu.noise * noise_rng.normal());
        }
    }
    return img;
}

FaceDataset synthetic_faces(const SyntheticFacesSpec& spec) {
    check(spec.people >= 2 && spec.per_person >= 2, "synthetic_faces: need at least 2 people x 2 photos, got ",
          spec.people, " x ", spec.per_person);
    FaceDataset ds;
    ds.images = Tensor::empty({int64_t(spec.people) * spec.per_person, 1, spec.height, spec.width});
    const int64_t pixels = int64_t(spec.height) * spec.width;
    for (int p = 0; p < spec.people; ++p) {
        char name[32];
        std::snprintf(name, sizeof name, "synth%03d", p + 1);
        ds.people.push_back(name);
        Rng id_rng = stream(spec.seed, p, ~uint64_t(0));
        const FaceIdentity id = random_identity(id_rng);
        for (int i = 0; i < spec.per_person; ++i) {
            Rng photo_rng = stream(spec.seed, p, i);
            const FaceNuisance nu = random_nuisance(photo_rng);
            const Tensor img = render_face(id, nu, spec.height, spec.width, photo_rng);
            std::copy(img.data(), img.data() + pixels, ds.images.data() + ds.size() * pixels);
            ds.labels.push_back(p);
            ds.files.push_back("synthetic:" + ds.people.back() + "/" + std::to_string(i + 1));
        }
    }
    ds.source = "synthetic faces (procedural, seed " + std::to_string(spec.seed) + ", " +
                std::to_string(spec.people) + " people x " + std::to_string(spec.per_person) + " photos)";
    return ds;
}

}  // namespace convlab
