// src/optim/training_checkpoint.hpp
//
// What every training loop needs so that an interrupted run loses nothing and a broken one says why:
//
//   TrainingCheckpoint ckpt{out + "/train.ckpt", /*every=*/50};
//   int64_t step = resume ? ckpt.load(model.state(), opt, rng) : 0;     // continue where it stopped
//   install_interrupt_handler();
//   for (; step < steps; ++step) {
//       ... J = loss; J.backward();
//       check_finite(step, J, model.named_parameters());               // NaN/Inf: stop, name step and layer
//       opt.step();
//       ckpt.maybe_save(step + 1, model.state(), opt, rng);            // every N steps, and on Ctrl-C
//       if (interrupt_requested()) break;
//   }
//
// A checkpoint holds the model's parameters and buffers ("model.*"), the optimiser's state ("optim.*",
// including its learning rate) and the training position: the step and the RNG state ("train.*"). With
// all randomness drawn from that one Rng, a resumed run ends bitwise identical to an uninterrupted one.
#pragma once

#include <cstdint>
#include <string>

#include "core/random.hpp"
#include "core/tensor.hpp"
#include "optim/optimizer.hpp"

namespace convlab::optim {

// The first Ctrl-C (SIGINT) only sets a flag, so the loop can save and stop at the end of its step;
// a second one ends the program at once.
void install_interrupt_handler();
bool interrupt_requested();
void clear_interrupt_request();  // for tests

struct TrainingCheckpoint {
    std::string path;   // where to save; "" turns checkpoints off
    int64_t every = 0;  // save after every `every` steps (0: only on interrupt)

    // Saves atomically (the previous checkpoint stays valid until the new one is complete). `extra`: any other
    // state the loop carries from step to step (e.g. the current example order), saved as "train.<name>".
    void save(int64_t step, const NamedTensors& model_state, const Optimizer& opt, const Rng& rng,
              const NamedTensors& extra = {}) const;
    // Saves when step is a multiple of `every` or an interrupt was requested.
    void maybe_save(int64_t step, const NamedTensors& model_state, const Optimizer& opt, const Rng& rng,
                    const NamedTensors& extra = {}) const;
    // Loads model, optimiser, RNG and extra state from `path` and returns the step to continue from.
    // A missing file is an error (the user asked to resume), naming the path.
    int64_t load(const NamedTensors& model_state, Optimizer& opt, Rng& rng, const NamedTensors& extra = {}) const;
};

// Throws convlab::Error if the loss or any parameter's gradient holds NaN or Inf, naming the step and the
// first offending parameter ("step 120: gradient of conv2.weight is not finite (3 NaN, 0 Inf of 4608
// values); stopped, the last checkpoint is kept"). Call it after backward() and before the update.
void check_finite(int64_t step, const Tensor& loss, const NamedTensors& parameters);

}  // namespace convlab::optim
