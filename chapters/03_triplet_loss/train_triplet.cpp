// chapters/03_triplet_loss/train_triplet.cpp
#include "chapters/03_triplet_loss/train_triplet.hpp"

#include "chapters/03_triplet_loss/triplet_loss.hpp"
#include "core/error.hpp"
#include "face/batches.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/reduce.hpp"

namespace convlab {

// The identity head's initial W comes from Rng(seed + this): a stream of its own, so that adding the term
// does not change which batches and augmentations the run draws.
constexpr uint64_t kIdentityHeadSeed = 1000;

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
                           float alpha, const IdentityTerm& identity) {
    check(identity.lambda >= 0, "train_triplet: the identity term's lambda must be >= 0, got ", identity.lambda);
    NamedTensors head;  // with the term: W (K, D), random directions, trained with f
    Tensor W;
    if (identity.lambda > 0) {
        Rng head_rng(config.seed + kIdentityHeadSeed);
        W = Tensor::randn({static_cast<int64_t>(train.people.size()), f.config().dim}, head_rng, 1.0f).requires_grad_();
        head.push_back({"identity.W", W});
    }
    return train_encoder(f, head, train, config, [&](const Tensor& E, const std::vector<int>& labels, Rng& rng) {
        const Tensor J = mined_triplet_loss(E, labels, mining, alpha, rng);
        return W.defined() ? J + identity.lambda * identity_loss(E, W, labels, identity.scale) : J;
    });
}

}  // namespace convlab
