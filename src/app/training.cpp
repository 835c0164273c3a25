// src/app/training.cpp
#include "app/training.hpp"

#include <filesystem>

#include "app/options.hpp"

namespace convlab::app {

void ResumeOptions::declare(Options& options) {
    options.integer("checkpoint-every", &every, "save model, optimiser and RNG every N epochs (0: only on Ctrl-C)", 0,
                    1000000);
    options.flag("resume", &resume, "continue each training run from its checkpoint in --out");
}

optim::TrainingCheckpoint ResumeOptions::checkpoint(const std::string& out_dir, const std::string& tag) const {
    return optim::TrainingCheckpoint{out_dir + "/train_" + tag + ".ckpt", every};
}

bool ResumeOptions::resumes(const optim::TrainingCheckpoint& checkpoint) const {
    return resume && std::filesystem::exists(checkpoint.path);
}

}  // namespace convlab::app
