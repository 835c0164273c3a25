// chapters/04_face_verification/protocol.hpp
//
// The evaluation protocol of the face chapters (and of `face eval`): identity-disjoint k-fold.
//
//   fold k = people k*P/F .. (k+1)*P/F - 1 in natural order (ORL: s1..s10, s11..s20, ...); the encoder is
//   trained from scratch on the other people and tested on the fold's unseen people. No test photo is used
//   for training, for the threshold, or for anything else: tau is chosen on the training people.
//
// How the encoder's pairs are scored (the lecture's plain d is scored beside, for comparison):
//   d_W      d on the whitened encodings P f(x), P fitted on the training people   (face/whitening.hpp)
//   s-norm   d_W measured against each photo's nearest training photos            (face/score_norm.hpp)
//   tau      chosen on people the encoder has not seen: a second, calibration encoder is trained on all
//            training people but the last 10 (at most a third), which it then scores. The encoder's own
//            training pairs are too easy: a tau chosen there rejects a quarter of the genuine pairs of new
//            people. With too few people to hold some out, tau is chosen on the training pairs.
//
// On the test people:
//   verification    every pair of test photos (ORL: 450 genuine, 4500 impostor): ROC AUC, EER, and TAR,
//                   FAR and accuracy at tau
//   one-shot        gallery = photo e of each test person, probes = the rest, rank-1 averaged over e
//   open set        gallery = photo e of the first half of the test people, probes from all of them:
//                   TAR (enrolled, recognised, within tau) and FAR (stranger within tau) at tau
#pragma once

#include <string>
#include <vector>

#include "app/training.hpp"
#include "chapters/04_face_verification/binary_verifier.hpp"
#include "face/folds.hpp"
#include "face/metrics.hpp"
#include "face/score_norm.hpp"
#include "face/train_triplet.hpp"
#include "face/whitening.hpp"

namespace convlab {

struct ProtocolConfig {
    EncoderConfig encoder;
    TrainConfig train;
    Mining mining = Mining::SemiHard;
    float alpha = 1.0f;                      // chapter 03's demo uses 0.5; on the training people alone
                                             // (docs/face-experiments.md) 1.0 scored better
    double target_far = 0;                   // > 0: tau for FAR <= this on the pairs it is chosen on (a door);
                                             // 0: the best balanced accuracy (choose_threshold)
    bool verifier = true;                    // also train and score the binary verifier
    int verifier_epochs = 20;                // the logistic unit on the frozen triplet encoder: a few epochs
    float verifier_lr = 5e-3f;               // only w and b move, on the |f(x_i) - f(x_j)| feature
    int folds = 4;
    std::vector<int> run_folds;              // which folds to run (empty: all)
    int validation = 0;                      // > 0: score on this many held-out training people instead of
                                             // the fold's test people (split_validation), to choose settings
    std::string checkpoint_dir;              // "": no checkpoints; else one per fold and model there,
    app::ResumeOptions resume;               // e.g. train_fold1_triplet.ckpt (app/training.hpp)
};

// Everything measured for one way of comparing faces on one fold.
struct Scores {
    double rank1 = 0, auc = 0, eer = 0;
    float tau = 0;               // chosen on other people (the calibration run; ProtocolConfig::target_far)
    Rates at_tau{};              // test pairs at that tau
    OpenSet open{};              // open set at that tau
    std::vector<RocPoint> roc;   // test pairs
};

// Scores of a test distance matrix, with tau chosen on another distance matrix (of the training people,
// or of the held-out people of a calibration run) by choose_threshold(.., target_far): balanced when 0.
Scores score_distances(const Tensor& D_test, const std::vector<int>& test_labels, const Tensor& D_tau,
                       const std::vector<int>& tau_labels, double target_far = 0);

struct FoldResult {
    int fold = 0;
    std::vector<std::string> test_people;
    Scores raw, triplet, verifier;       // raw pixels, triplet encoder (s-normed d_W) + tau, binary verifier
    Scores triplet_plain;                // the same encoder with the lecture's plain d: no whitening, no
                                         // s-norm (tau chosen the same way)
    TrainHistory triplet_history, verifier_history;
    int calibration_people = 0;          // the held-out people tau was chosen on (0: the training pairs)
    double train_seconds = 0;
};

// Trains (from scratch, or resumed from its checkpoints) and scores fold k. Saves only the checkpoints.
FoldResult run_fold(const FaceDataset& ds, int k, const ProtocolConfig& config);

// Mean and (population) standard deviation.
struct MeanStd {
    double mean, std;
};
MeanStd mean_std(const std::vector<double>& values);

}  // namespace convlab
