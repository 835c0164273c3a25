// src/app/training.hpp
//
// The command-line side of resumable training: every training program takes --checkpoint-every N, --resume
// and --keep-checkpoints, and keeps its checkpoints in its --out while it runs. A checkpoint is there to resume
// a program that did not finish (Ctrl-C, a crash, a NaN): a program that finishes removes them, so that --out
// holds only its figures, metrics.json and the models it saves. The checkpoints themselves, the Ctrl-C handling
// and the NaN/Inf guard: optim/training_checkpoint.hpp.
#pragma once

#include <cstdint>
#include <string>

#include "optim/training_checkpoint.hpp"

namespace convlab::app {

class Options;

// The options every training program takes:
//   --checkpoint-every N   save a checkpoint every N epochs (0: only on Ctrl-C)
//   --resume               continue each training run from its checkpoint in --out, where one exists
//   --keep-checkpoints     keep the checkpoints when the program finishes
struct ResumeOptions {
    int64_t every = 10;
    bool resume = false;
    bool keep = false;
    void declare(Options& options);
    // The checkpoint of the training run `tag` (e.g. "seed3") in `out_dir`: "<out_dir>/train_<tag>.ckpt".
    optim::TrainingCheckpoint checkpoint(const std::string& out_dir, const std::string& tag) const;
    // True when --resume was given and that run's checkpoint exists (a run never reached starts afresh).
    bool resumes(const optim::TrainingCheckpoint& checkpoint) const;
    // Called when the program has finished and written its outputs: removes the training checkpoints
    // "<out_dir>/train_*.ckpt", unless --keep-checkpoints was given. (A program stopped by Ctrl-C or an error
    // never gets here, so its checkpoints stay for --resume.)
    void finish(const std::string& out_dir) const;
};

}  // namespace convlab::app
