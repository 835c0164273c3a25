// src/face/train_triplet.hpp
//
// Training the encoder with the triplet loss on mined triplets.   [lecture: "Triplet Loss", "Training set
//                                                                   using triplet loss"]
#pragma once

#include "face/mining.hpp"
#include "face/train.hpp"

namespace convlab {

// The margin alpha for encodings on the unit sphere (d in [0, 4]). FaceNet used 0.2; on ORL (fold 1,
// 40 epochs, semi-hard) 0.5 gave rank-1 0.959 against 0.934 with 0.2: a wider margin spreads the few
// training people further apart (chapters/03_triplet_loss/README.md).
constexpr float kTripletAlpha = 0.5f;

// The loss of one batch: D = d between every two encodings (no gradient: mining only chooses), the
// triplets chosen on D, then J = (1/m) sum_i L(A_i, P_i, N_i) over the m triplets (the mean, so the step
// size does not depend on how many triplets a batch has). A batch with no anchor-positive pair (its
// people have one photo each) gives J = 0.
Tensor mined_triplet_loss(const Tensor& E, const std::vector<int>& labels, Mining mining, float alpha, Rng& rng);

// Trains f on `train` with triplets chosen by `mining`: J = mined_triplet_loss of each batch.
TrainHistory train_triplet(FaceEncoder& f, const FaceDataset& train, const TrainConfig& config, Mining mining,
                           float alpha = kTripletAlpha);

}  // namespace convlab
