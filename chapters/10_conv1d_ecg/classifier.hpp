// chapters/10_conv1d_ecg/classifier.hpp
//
// Training and using a classifier, for the 1D (ECG) and 3D (volumes, clips) ConvNets of chapters 10 and 11:
// the same loop whatever the number of spatial dims, because the convolutions are the same.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "optim/training_checkpoint.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"
#include "nn/module.hpp"

namespace convlab {

struct FitOptions {
    int64_t epochs = 100;
    int64_t batch_size = 16;
    float lr = 1e-3f;            // alpha at the start; a cosine takes it to 0 at the last epoch
    float weight_decay = 0.0f;   // AdamW's decoupled lambda
    // Optional: changes a training batch (N, C, ...) before the forward pass (data augmentation).
    std::function<Tensor(const Tensor& batch, Rng& rng)> augment;
    // Optional: save model, optimiser and RNG every `checkpoint.every` epochs and on Ctrl-C (checkpoint.path
    // empty: never); with resume, continue from checkpoint.path instead of starting at epoch 1.
    optim::TrainingCheckpoint checkpoint;
    bool resume = false;
};

// Called after each epoch with its number (1, 2, ...), mean training loss J and training accuracy.
using EpochFn = std::function<void(int64_t epoch, double J, double train_accuracy)>;

// Minibatch AdamW on the softmax cross-entropy                       [course 2, "Training a Softmax Classifier"]
//   J = (1/m) sum_i -log softmax(model(x_i))[y_i]
// X: (N, C, ...), y: N class indices. Each epoch visits the examples in a new random order (from rng).
// Leaves the model in evaluation mode. A non-finite loss or gradient stops training with an Error naming the
// step and the layer; Ctrl-C saves a checkpoint (when one is set) and stops with an Error saying how to resume.
void fit_classifier(nn::Module& model, const Tensor& X, const std::vector<int>& y, const FitOptions& options, Rng& rng,
                    const EpochFn& on_epoch = {});

// argmax_k model(x_i)[k] for every example, in evaluation mode, batch_size examples at a time.
std::vector<int> predict_classes(nn::Module& model, const Tensor& X, int64_t batch_size = 64);

// The examples X[index[0]], X[index[1]], ... as one dense tensor (index.size(), ...).
Tensor take_examples(const Tensor& X, const std::vector<int64_t>& index);

}  // namespace convlab
