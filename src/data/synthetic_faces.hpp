// src/data/synthetic_faces.hpp
//
// A procedural face generator: the embedded default data set, so every face chapter runs on a fresh
// machine with no download. The faces are SYNTHETIC (drawn from ellipses and curves), not photographs;
// programs say so when they use them.
//
// A person is a FaceIdentity: the parameters that stay the same in every photo of them (face shape, skin
// tone, eyes, brows, nose, mouth, hair). A photo adds a FaceNuisance: what changes from photo to photo of
// the same person (pose shift, small rotation and scale, lighting direction, expression, glasses, sensor
// noise, background). Recognising people means learning to look at the first and ignore the second, which
// is exactly what the encoder f(x) must do on real faces.
//
// Everything is deterministic from the seed: person p's identity and photo i's nuisances come from their
// own Rng streams, so the same (seed, p, i) renders the same pixels for any number of people or threads.
#pragma once

#include <cstdint>

#include "core/random.hpp"
#include "core/tensor.hpp"
#include "data/faces.hpp"

namespace convlab {

// What makes one person look like themselves. Lengths are in face coordinates: the face spans about
// u in [-1, 1] (left to right) and v in [-1, 1] (top to bottom) of the image.
struct FaceIdentity {
    float face_w, face_h;           // half-width and half-height of the face ellipse
    float jaw;                      // > 0 narrows the chin (pointed), < 0 squares it
    float skin;                     // skin grey level
    float eye_dx, eye_y, eye_r;     // half the distance between the eyes, their height, their radius
    float iris_dark;                // how dark the iris is
    float brow_y, brow_tilt;        // brow height above the eye and slope (> 0: outer end higher)
    float brow_thick, brow_dark;
    float nose_len, nose_w, nose_dark;
    float mouth_y, mouth_w, lip_thick, lip_dark;
    float hair_dark, hairline;      // hair grey level; how far down the forehead it comes
    float hair_side;                // how far the hair falls beside the face (0: short)
    float fringe_wave;              // amplitude of the fringe's wave
    float ear_size;
};

// What changes between photos of the same person.
struct FaceNuisance {
    float dx, dy;                 // pose shift, in face coordinates
    float angle;                  // in-plane rotation, radians
    float scale;                  // zoom
    float light_x, light_y;       // lighting direction (unit-ish vector) ...
    float light_strength;         // ... and how strongly it shades one side
    float smile;                  // expression: mouth curvature (> 0 smiles)
    float eye_open;               // expression: 1 open, 0.4 squinting
    bool glasses;
    float background;             // background grey level
    float noise;                  // stddev of the pixel noise
};

FaceIdentity random_identity(Rng& rng);
FaceNuisance random_nuisance(Rng& rng);

// Renders one photo: (1, height, width), values in [0, 1]. noise_rng supplies the pixel noise.
Tensor render_face(const FaceIdentity& id, const FaceNuisance& nu, int height, int width, Rng& noise_rng);

// The default data set: `people` persons x `per_person` photos of (1, height, width), named
// "synth001", "synth002", ... Person p's identity comes only from (seed, p), photo i's from (seed, p, i).
struct SyntheticFacesSpec {
    int people = 60;
    int per_person = 10;
    int height = 56;
    int width = 46;
    uint64_t seed = 2024;
};
FaceDataset synthetic_faces(const SyntheticFacesSpec& spec);

}  // namespace convlab
