// chapters/04_face_verification/face_eval.hpp
//
// `face eval`: the identity-disjoint k-fold protocol (protocol.hpp) printed fold by fold and as a mean
// table, with metrics.json and roc.png written into --out.
//
//   face eval [--data DIR]                      encoders trained from scratch on each fold's training people
//   face eval --model pretrained --data DIR     face-api's networks, nothing trained (pretrained_eval.hpp)
//
// metrics.json starts with the run (Metrics::set_run: program, version, seed, threads, options), then per
// method and measure "<method>.<measure>_mean" / "_std" and per fold "fold<k>.<method>.<measure>", named as in
// docs/metrics.md: "triplet.rank1_mean", "fold1.pretrained.auc".
#pragma once

#include <string>

#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/04_face_verification/protocol.hpp"

namespace convlab {

// The options of `face eval`: the lecture's choices (epochs, triplet selection, margin) and the door's FAR.
struct EvalOptions {
    int64_t epochs = 160, validate = 0;
    std::string mining = "semi-hard";
    double alpha = ProtocolConfig{}.alpha, far = ProtocolConfig{}.target_far;
    std::vector<std::string> folds;
    app::ResumeOptions resume;  // one checkpoint per fold and model in --out

    void declare(app::Options& options);
    // The protocol these options ask for. --quick caps epochs and runs fold 1 unless --folds says otherwise;
    // the caps are applied to the options themselves, so that metrics.json records what ran.
    ProtocolConfig config(const app::CommonOptions& common);
};

// Runs the protocol with encoders trained here; prints and writes as above.
int eval_trained(const app::CommonOptions& common, ProtocolConfig config);

// The same protocol for the pretrained networks in models_dir on the folder common.data (required: the
// synthetic faces mean nothing to a net trained on real ones). Uses config's folds, run_folds and target_far.
// Also prints how many photos had their face found as they are, in a frame, or not at all, and the wall time
// per photo.
int eval_pretrained(const app::CommonOptions& common, const std::string& models_dir, ProtocolConfig config);

}  // namespace convlab
