// src/face/train_triplet.cpp
#include "face/train_triplet.hpp"

#include "core/error.hpp"
#include "face/batches.hpp"
#include "face/triplet_loss.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"

namespace convlab {

Tensor mined_triplet_loss(const Tensor& E, const std::vector<int>& labels, Mining mining, float alpha, Rng& rng) {
    const Tensor e = E.detach();
    const std::vector<Triplet> triplets = select_triplets(pairwise_sq_distances(e, e), labels, mining, rng);
    // a batch of people with one photo each has no anchor-positive pair: nothing to learn from, J = 0
    // (still a function of E, so that backward() and the optimiser step run as for any batch)
    if (triplets.empty()) return 0.0f * sum(E);
    std::vector<int64_t> a, p, n;
    for (const Triplet& t : triplets) a.push_back(t.a), p.push_back(t.p), n.push_back(t.n);
    const float m = static_cast<float>(triplets.size());
    return triplet_loss(take_rows(E, a), take_rows(E, p), take_rows(E, n), alpha) / m;
}

TrainHistory train_triplet(FaceEncoder& f, const FaceDataset& train, const TrainConfig& config, Mining mining,
                           float alpha) {
    return train_encoder(f, {}, train, config, [&](const Tensor& E, const std::vector<int>& labels, Rng& rng) {
        return mined_triplet_loss(E, labels, mining, alpha, rng);
    });
}

}  // namespace convlab
