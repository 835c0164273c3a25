// src/face/mining.cpp
//
// Triplet selection.                                     [lecture: "Triplet Loss", "Choosing the triplets"]
//
// "If A, P, N are chosen randomly, d(A,P) + alpha <= d(A,N) is easily satisfied": most random triplets
// have zero loss and teach nothing. Choose triplets that are hard to train on, d(A,P) ~ d(A,N).
// Semi-hard negatives (Schroff et al., 2015) avoid the very hardest ones, which early in training are
// often mislabelled-looking outliers and can collapse every encoding to one point.
#include "face/mining.hpp"

#include "core/error.hpp"

namespace convlab {

Mining parse_mining(const std::string& name) {
    if (name == "random") return Mining::Random;
    if (name == "hard") return Mining::Hard;
    if (name == "semi-hard") return Mining::SemiHard;
    fail("mining: expected random, hard or semi-hard, got \"", name, "\"");
}

const char* mining_name(Mining m) {
    switch (m) {
        case Mining::Random: return "random";
        case Mining::Hard: return "hard";
        case Mining::SemiHard: return "semi-hard";
    }
    return "?";
}

// D: (B, B), labels: B persons  ->  one (a, p, n) per anchor-positive pair.
std::vector<Triplet> select_triplets(const Tensor& D, const std::vector<int>& labels, Mining mining, Rng& rng) {
    const int64_t B = static_cast<int64_t>(labels.size());
    check(D.ndim() == 2 && D.dim(0) == B && D.dim(1) == B, "select_triplets: expected D of shape (", B, ", ", B,
          ") for ", B, " labels, got ", D.shape_str());
    const std::vector<float> d = D.values();
    std::vector<Triplet> triplets;
    // BEGIN SOLUTION ch03.hard_mining
    for (int64_t a = 0; a < B; ++a) {
        std::vector<int64_t> negatives;
        for (int64_t n = 0; n < B; ++n)
            if (labels[n] != labels[a]) negatives.push_back(n);
        if (negatives.empty()) continue;
        for (int64_t p = 0; p < B; ++p) {
            if (p == a || labels[p] != labels[a]) continue;
            const float d_AP = d[a * B + p];
            int64_t best = -1;
            if (mining == Mining::Random) {
                best = negatives[rng.randint(static_cast<int64_t>(negatives.size()))];
            } else if (mining == Mining::Hard) {
                for (int64_t n : negatives)
                    if (best < 0 || d[a * B + n] < d[a * B + best]) best = n;  // argmin d(A, N)
            } else {
                for (int64_t n : negatives)  // argmin d(A, N) over d(A, N) > d(A, P)
                    if (d[a * B + n] > d_AP && (best < 0 || d[a * B + n] < d[a * B + best])) best = n;
                if (best < 0)  // every negative is closer than the positive: take the farthest
                    for (int64_t n : negatives)
                        if (best < 0 || d[a * B + n] > d[a * B + best]) best = n;
            }
            triplets.push_back({a, p, best});
        }
    }
    // END SOLUTION
    return triplets;
}

}  // namespace convlab
