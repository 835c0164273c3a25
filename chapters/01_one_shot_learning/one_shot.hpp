// chapters/01_one_shot_learning/one_shot.hpp
//
// Verification (1:1) and recognition (1:K) from a similarity function d.
//                                               [lecture: "Face Recognition", "One Shot Learning"]
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// d(x1, x2) = ||x1 - x2||^2 over all elements: the "degree of difference" between two encodings (or,
// in the raw-pixel baseline, between two images). Any equal shapes.
float face_distance(const Tensor& x1, const Tensor& x2);

// Verification, 1:1: "is this the person they claim to be?"  same = d <= tau.
struct Verdict {
    float distance;
    float tau;
    bool same;
};
Verdict verify(const Tensor& f_camera, const Tensor& f_claimed, float tau);

// Recognition, 1:K: "who is this, if anyone in the database?"
// database: (M, D) encodings, names[m] the person of row m (a person may have several rows).
// Returns every person with their smallest distance, closest first; the first one is the answer if
// its distance is <= tau, else the person is "unknown" (the door stays closed).
struct Candidate {
    std::string name;
    float distance;
};
struct Identification {
    std::vector<Candidate> ranking;  // closest first, one entry per person
    bool known;                      // ranking[0].distance <= tau
    std::string name() const { return known ? ranking[0].name : "unknown"; }
};
Identification who_is_it(const Tensor& f_camera, const Tensor& database, const std::vector<std::string>& names,
                         float tau);

// Why recognition is harder than verification: with K people in the database and a verifier that is
// right with probability p on each comparison, an unknown visitor is wrongly let in with probability
// 1 - p^K (some comparison errs), and about K (1 - p) of the K comparisons err.
double probability_all_correct(double p, int K);   // p^K
double expected_errors(double p, int K);           // K (1 - p)

}  // namespace convlab
