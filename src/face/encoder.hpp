// src/face/encoder.hpp
//
// The encoder f(x): a small ConvNet that maps a face photo to a 128-d encoding on the unit sphere.
//                                                             [lecture: "Siamese Network", "Triplet Loss"]
// The same network (the same parameters) encodes every image: the two branches of a Siamese network are
// one FaceEncoder called twice. d(x1, x2) = ||f(x1) - f(x2)||^2 then lies in [0, 4].
//
//   x (N, 1, 56, 46) grey in [0, 1]
//   -> standardise each photo: (x - mean) / std      (undoes global brightness and contrast)
//   -> [conv 3x3 (pad 1) -> batch norm -> ReLU -> max pool 2] x 3   24, 48, 96 channels: 28x23, 14x11, 7x5
//   -> conv 3x3 (pad 1) -> batch norm -> ReLU                       96 channels, 7x5
//   -> flatten (3360) -> linear 128 -> f(x) / ||f(x)||
//
// Width: on ORL (fold 2, 40 epochs) 16-32-64-64 channels reached one-shot rank-1 0.87, 24-48-96-96 0.94 and
// 32-64-128-128 0.94 at 1.8x the cost of the middle one, which is the default.
//
// The last conv keeps the 7x5 layout (no global pooling): where a feature is on the face matters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "nn/module.hpp"

namespace convlab {

struct EncoderConfig {
    int height = 56, width = 46;              // input size
    std::vector<int64_t> channels{24, 48, 96, 96};
    int64_t dim = 128;                        // size of the encoding f(x)
};

class FaceEncoder : public nn::Module {
public:
    FaceEncoder(const EncoderConfig& config, Rng& rng);
    // x: (N, 1, height, width) -> f(x): (N, dim), each row of unit length.
    Tensor forward(const Tensor& x) override;
    const EncoderConfig& config() const { return config_; }

private:
    EncoderConfig config_;
    std::shared_ptr<nn::Sequential> net_;  // everything after the standardisation
};

// Encodes a whole set in evaluation mode without recording gradients, `batch` images at a time:
// images (N, 1, H, W) -> (N, dim). With average_views, each photo is encoded as 6 views, itself and its
// mirror image at the scales kViewScales, and its encoding is their normalised mean,
// sum_v f(view_v(x)) / ||sum_v f(view_v(x))||: a face, its mirror image and the same face a little
// nearer or farther are the same person, and averaging cancels part of the pose, lighting and distance.
// (On held-out training people, ORL s36..s40, the zoomed views raised one-shot rank-1 from 0.944 to 0.967
// and AUC from 0.981 to 0.991 over the flips alone; see docs/face-experiments.md.)
constexpr float kViewScales[] = {0.95f, 1.0f, 1.05f};
Tensor encode_all(FaceEncoder& f, const Tensor& images, bool average_views = true, int64_t batch = 64);

// A trained encoder on disk (a checkpoint, io/checkpoint.hpp): its parameters, its configuration
// ("config" = height, width, dim, channels...), the threshold tau chosen on its training people and,
// optionally, the whitening P fitted on them (face/whitening.hpp; "whitening", (dim, dim)): then photos are
// compared by d_W = ||P f(x1) - P f(x2)||^2 and tau is on that scale.
struct FaceModel {
    std::unique_ptr<FaceEncoder> f;
    float tau;
    Tensor P;  // undefined: plain d
};
void save_face_model(const std::string& path, const FaceEncoder& f, float tau, const Tensor& P = Tensor());
// Throws convlab::Error naming the file if it is missing, corrupted or not a face model.
FaceModel load_face_model(const std::string& path);

}  // namespace convlab
