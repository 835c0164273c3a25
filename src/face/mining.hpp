// src/face/mining.hpp
//
// Choosing the triplets (A, P, N).                       [lecture: "Triplet Loss", "Choosing the triplets"]
// Chapter 03's lecture function (exercise ch03.hard_mining), in the face library for the same reason as
// triplet_loss.hpp: every face chapter trains with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace convlab {

enum class Mining { Random, Hard, SemiHard };

// "random", "hard", "semi-hard" <-> Mining; parse_mining throws convlab::Error on any other name.
Mining parse_mining(const std::string& name);
const char* mining_name(Mining m);

struct Triplet {
    int64_t a, p, n;  // indices of the anchor, the positive and the negative in the batch
};

// D: (B, B) squared distances between the batch's encodings, labels: the person of each image.
// One triplet for every anchor-positive pair (a, p), a != p, same person; the negative n is
//   Random:    any other person's image, uniformly (most are already far: d(A,P) + alpha <= d(A,N))
//   Hard:      the closest other person's image, argmin_n d(A, N)
//   SemiHard:  the closest negative that is still farther than the positive, argmin_{n: d(A,N) > d(A,P)}
//              d(A, N) (FaceNet); if every negative is closer than the positive, the farthest one.
// rng is used by Random only.
std::vector<Triplet> select_triplets(const Tensor& D, const std::vector<int>& labels, Mining mining, Rng& rng);

}  // namespace convlab
