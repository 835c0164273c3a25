// src/face/train.hpp
//
// The training loop shared by the face chapters: the encoder (and any extra parameters, such as the
// logistic unit of the binary verifier) learns from PK batches of augmented photos with Adam and a cosine
// learning-rate schedule. Only the loss differs between chapters: the triplet loss (chapter 03) or the
// pairwise binary cross-entropy (chapter 04); it is passed in as a function of the batch's encodings.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "data/faces.hpp"
#include "face/augment.hpp"
#include "face/encoder.hpp"

namespace convlab {

struct TrainConfig {
    int epochs = 40;
    int P = 10, K = 5;       // people per batch, photos per person
    float lr = 2e-3f;        // Adam's alpha at the start; cosine decay to lr / 20
    float weight_decay = 0;  // AdamW's decoupled weight decay lambda
    bool augment = true;
    bool freeze_encoder = false;  // train only the extra parameters, on encode_all(f, x) (f stays as it is)
    AugmentConfig augmentation;
    uint64_t seed = 1;       // batches, augmentation and any random choice inside the loss
    int log_every = 10;      // print the mean loss every this many epochs (0: silent)
    std::string label = "train";
};

// E: (B, dim) encodings of the batch (with gradient), labels: person of each row -> scalar loss.
using BatchLoss = std::function<Tensor(const Tensor& E, const std::vector<int>& labels, Rng& rng)>;

// Mean loss of every epoch.
struct TrainHistory {
    std::vector<float> loss;
};

// With freeze_encoder, f's parameters are left out of the optimiser and the loss sees encode_all(f, x):
// f in evaluation mode, the flip-averaged encodings that the test photos will get.
TrainHistory train_encoder(FaceEncoder& f, const std::vector<Tensor>& extra_params, const FaceDataset& train,
                           const TrainConfig& config, const BatchLoss& loss);

}  // namespace convlab
