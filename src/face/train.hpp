// src/face/train.hpp
//
// The training loop shared by the face chapters: the encoder (and any extra parameters, such as the
// logistic unit of the binary verifier) learns from PK batches of augmented photos with Adam and a cosine
// learning-rate schedule. Only the loss differs between chapters: the triplet loss (chapter 03) or the
// pairwise binary cross-entropy (chapter 04); it is passed in as a function of the batch's encodings.
//
// A run can be checkpointed and resumed (optim/training_checkpoint.hpp): the checkpoint holds the trained parameters
// with the batch-norm statistics, Adam's moments and lr, the RNG that draws batches and augmentations, the
// epoch (hence the cosine schedule's position) and the loss history, so an interrupted run resumed ends
// bitwise identical to one left alone.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "optim/training_checkpoint.hpp"
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
    // The progress line (io/progress.hpp: epoch k/N, mean loss, rate, elapsed, ETA): redrawn in place on a
    // terminal, printed every this many epochs into a file or pipe (0: silent).
    int log_every = 10;
    std::string label = "train";
    // Save every checkpoint.every epochs, after the last epoch and on Ctrl-C (then stop with an Error saying
    // how to resume); checkpoint.path "" (the default) saves nothing. With resume, continue from
    // checkpoint.path; a checkpoint of the last epoch restores the trained model without training.
    optim::TrainingCheckpoint checkpoint;
    bool resume = false;
};

// E: (B, dim) encodings of the batch (with gradient), labels: person of each row -> scalar loss.
using BatchLoss = std::function<Tensor(const Tensor& E, const std::vector<int>& labels, Rng& rng)>;

// Mean loss of every epoch.
struct TrainHistory {
    std::vector<float> loss;
};

// extra_params: trained with f, named (in checkpoints and NaN/Inf messages) as given. With freeze_encoder,
// f's parameters are left out of the optimiser and the loss sees encode_all(f, x): f in evaluation mode,
// the view-averaged encodings that the test photos will get.
// A non-finite loss or gradient stops training before the update with an Error naming the label, the
// epoch, the batch and the parameter; the last checkpoint on disk stays the last good one.
TrainHistory train_encoder(FaceEncoder& f, const NamedTensors& extra_params, const FaceDataset& train,
                           const TrainConfig& config, const BatchLoss& loss);

}  // namespace convlab
