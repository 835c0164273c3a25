// src/face/metrics.hpp
//
// How well a distance d(x1, x2) separates people: the numbers of the face evaluation protocol.
// Every function here works on distances (smaller = more alike); a pair is accepted as "same person"
// when d <= tau.
//
//   TAR(tau) = genuine pairs accepted / genuine pairs      (true accept rate; 1 - TAR is the FRR)
//   FAR(tau) = impostor pairs accepted / impostor pairs    (false accept rate)
//
// The ROC curve is TAR against FAR as tau sweeps; its area (AUC) is the probability that a random genuine
// pair is closer than a random impostor pair. The EER is where FAR = 1 - TAR.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// Distances of all pairs i < j of a (N, N) distance matrix, split by whether labels[i] == labels[j].
struct PairDistances {
    std::vector<float> genuine;   // same person
    std::vector<float> impostor;  // different people
};
PairDistances pair_distances(const Tensor& D, const std::vector<int>& labels);

struct RocPoint {
    float tau;
    double far, tar;
};
// One point per distinct distance (plus the all-reject start), FAR and TAR rising.
std::vector<RocPoint> roc_curve(const PairDistances& pairs);

// AUC = P(d_genuine < d_impostor) + 1/2 P(d_genuine = d_impostor)   (the Mann-Whitney statistic)
double roc_auc(const PairDistances& pairs);

// The point where FAR and FRR = 1 - TAR cross: rate = (FAR + FRR) / 2 at the tau where |FAR - FRR| is
// smallest.
struct Eer {
    double rate;
    float tau;
};
Eer equal_error_rate(const PairDistances& pairs);

// The threshold: chosen on people other than the test people, then used unchanged on the test people.
//   target_far = 0: the tau with the best balanced accuracy (TAR + 1 - FAR) / 2;
//   target_far > 0: the largest tau with FAR <= target_far, the best TAR a door that must keep strangers
//                   out can have (with K people enrolled a stranger gets K tries: about K x FAR).
// Either way tau lies halfway between the last accepted distance and the next one (just below the smallest
// distance when even the closest pair would break the target).
float choose_threshold(const PairDistances& pairs, double target_far = 0);

// At a fixed tau: TAR, FAR, and the accuracy over all pairs and balanced over the two kinds.
struct Rates {
    double tar, far, accuracy, balanced_accuracy;
};
Rates rates_at(const PairDistances& pairs, float tau);

// People with a single photo cannot be both enrolled and probed: rank1_one_shot and open_set leave them out.
//
// One-shot identification. For each enrolment index e (0 .. fewest photos of a person - 1) the gallery is
// photo e of every person (in index order) and the probes are all the other photos; rank-1 is the fraction
// of probes whose closest gallery photo is their own person. Returns the mean over e.
double rank1_one_shot(const Tensor& D, const std::vector<int>& labels);

// Open-set identification: gallery = photo e of each person in `enrolled`, probes = every other photo of
// everyone. An enrolled person's probe is a true accept if its closest gallery photo is theirs and within
// tau; an unenrolled person's probe is a false accept if any gallery photo is within tau. Means over e.
struct OpenSet {
    double tar, far;
};
OpenSet open_set(const Tensor& D, const std::vector<int>& labels, const std::vector<int>& enrolled, float tau);

}  // namespace convlab
