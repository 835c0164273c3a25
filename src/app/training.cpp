// src/app/training.cpp
#include "app/training.hpp"

#include <filesystem>

#include "app/options.hpp"

namespace convlab::app {

namespace {
const std::string kPrefix = "train_", kSuffix = ".ckpt";  // a training run's checkpoint: train_<tag>.ckpt
}  // namespace

void ResumeOptions::declare(Options& options) {
    options.integer("checkpoint-every", &every, "save model, optimiser and RNG every N epochs (0: only on Ctrl-C)", 0,
                    1000000);
    options.flag("resume", &resume, "continue each training run from its checkpoint in --out");
    options.flag("keep-checkpoints", &keep,
                 "keep the checkpoints in --out when the program finishes (else removed: only an unfinished run needs "
                 "them)");
}

optim::TrainingCheckpoint ResumeOptions::checkpoint(const std::string& out_dir, const std::string& tag) const {
    return optim::TrainingCheckpoint{out_dir + "/" + kPrefix + tag + kSuffix, every};
}

bool ResumeOptions::resumes(const optim::TrainingCheckpoint& checkpoint) const {
    return resume && std::filesystem::exists(checkpoint.path);
}

void ResumeOptions::finish(const std::string& out_dir) const {
    if (keep) return;
    namespace fs = std::filesystem;
    std::error_code ec;  // a folder that cannot be listed holds no checkpoint of ours
    for (const fs::directory_entry& entry : fs::directory_iterator(out_dir, ec)) {
        const std::string name = entry.path().filename().string();
        const bool is_checkpoint = name.size() > kPrefix.size() + kSuffix.size() &&
                                   name.compare(0, kPrefix.size(), kPrefix) == 0 &&
                                   name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
        if (is_checkpoint && entry.is_regular_file()) fs::remove(entry.path(), ec);
    }
}

}  // namespace convlab::app
