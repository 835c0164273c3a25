// src/face/metrics.cpp
#include "face/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>

#include "core/error.hpp"

namespace convlab {

static void check_square(const Tensor& D, const std::vector<int>& labels, const char* op) {
    const auto n = static_cast<int64_t>(labels.size());
    check(D.ndim() == 2 && D.dim(0) == n && D.dim(1) == n, op, ": expected a distance matrix (", n, ", ", n,
          ") for ", n, " labels, got ", D.shape_str());
}

PairDistances pair_distances(const Tensor& D, const std::vector<int>& labels) {
    check_square(D, labels, "pair_distances");
    const int64_t n = D.dim(0);
    const std::vector<float> d = D.values();
    PairDistances out;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = i + 1; j < n; ++j) (labels[i] == labels[j] ? out.genuine : out.impostor).push_back(d[i * n + j]);
    check(!out.genuine.empty() && !out.impostor.empty(), "pair_distances: need both genuine and impostor pairs, got ",
          out.genuine.size(), " and ", out.impostor.size());
    return out;
}

std::vector<RocPoint> roc_curve(const PairDistances& pairs) {
    std::vector<std::pair<float, bool>> all;  // (distance, genuine?)
    for (float g : pairs.genuine) all.push_back({g, true});
    for (float i : pairs.impostor) all.push_back({i, false});
    std::sort(all.begin(), all.end());
    const double n_gen = pairs.genuine.size(), n_imp = pairs.impostor.size();
    std::vector<RocPoint> curve{{-std::numeric_limits<float>::infinity(), 0.0, 0.0}};
    size_t accepted_gen = 0, accepted_imp = 0;
    for (size_t k = 0; k < all.size(); ++k) {
        (all[k].second ? accepted_gen : accepted_imp) += 1;
        if (k + 1 < all.size() && all[k + 1].first == all[k].first) continue;  // ties move together
        curve.push_back({all[k].first, accepted_imp / n_imp, accepted_gen / n_gen});
    }
    return curve;
}

double roc_auc(const PairDistances& pairs) {
    std::vector<float> imp = pairs.impostor;
    std::sort(imp.begin(), imp.end());
    double wins = 0.0;
    for (float g : pairs.genuine) {
        const auto lo = std::lower_bound(imp.begin(), imp.end(), g), hi = std::upper_bound(imp.begin(), imp.end(), g);
        wins += double(imp.end() - hi) + 0.5 * double(hi - lo);  // impostors farther, and half the ties
    }
    return wins / (double(pairs.genuine.size()) * double(imp.size()));
}

Eer equal_error_rate(const PairDistances& pairs) {
    Eer best{1.0, 0.0f};
    double best_gap = std::numeric_limits<double>::infinity();
    for (const RocPoint& r : roc_curve(pairs)) {
        const double frr = 1.0 - r.tar, gap = std::fabs(r.far - frr);
        if (gap < best_gap) {
            best_gap = gap;
            best = {0.5 * (r.far + frr), r.tau};
        }
    }
    return best;
}

// tau between curve[i] and the next distance: the pairs accepted at point i stay accepted, the next rejected
static float between(const std::vector<RocPoint>& curve, size_t i) {
    if (i == 0) return std::nextafter(curve[1].tau, -std::numeric_limits<float>::infinity());  // accept none
    return i + 1 < curve.size() ? 0.5f * (curve[i].tau + curve[i + 1].tau) : curve[i].tau;
}

float choose_threshold(const PairDistances& pairs, double target_far) {
    check(target_far >= 0 && target_far < 1, "choose_threshold: target FAR must be in [0, 1), got ", target_far);
    const std::vector<RocPoint> curve = roc_curve(pairs);
    size_t best = target_far > 0 ? 0 : 1;
    for (size_t i = 1; i < curve.size(); ++i) {
        if (target_far > 0) {
            if (curve[i].far <= target_far) best = i;  // FAR only rises along the curve: the last such point
        } else if (curve[i].tar - curve[i].far > curve[best].tar - curve[best].far) {
            best = i;
        }
    }
    return between(curve, best);
}

Rates rates_at(const PairDistances& pairs, float tau) {
    size_t gen = 0, imp = 0;
    for (float g : pairs.genuine) gen += g <= tau;
    for (float i : pairs.impostor) imp += i <= tau;
    const double n_gen = pairs.genuine.size(), n_imp = pairs.impostor.size();
    Rates r;
    r.tar = gen / n_gen;
    r.far = imp / n_imp;
    r.accuracy = (gen + (n_imp - imp)) / (n_gen + n_imp);
    r.balanced_accuracy = 0.5 * (r.tar + 1.0 - r.far);
    return r;
}

// Photos of each person with at least two (one to enrol, one to probe), in index order.
static std::map<int, std::vector<int64_t>> photos_by_person(const std::vector<int>& labels) {
    std::map<int, std::vector<int64_t>> by;
    for (size_t i = 0; i < labels.size(); ++i) by[labels[i]].push_back(static_cast<int64_t>(i));
    for (auto it = by.begin(); it != by.end();) it = it->second.size() < 2 ? by.erase(it) : std::next(it);
    return by;
}

static size_t fewest_photos(const std::map<int, std::vector<int64_t>>& by, const char* op) {
    size_t fewest = std::numeric_limits<size_t>::max();
    for (const auto& [person, photos] : by) fewest = std::min(fewest, photos.size());
    check(by.size() >= 2, op, ": need at least 2 people with 2 or more photos each (one to enrol, one to probe), got ",
          by.size());
    return fewest;
}

// Among the gallery (person, index) entries: the closest to probe i, and its distance.
static std::pair<int, float> closest(const std::vector<float>& d, int64_t n, int64_t i,
                                     const std::vector<std::pair<int, int64_t>>& gallery) {
    std::pair<int, float> best{-1, std::numeric_limits<float>::infinity()};
    for (const auto& [person, g] : gallery)
        if (d[i * n + g] < best.second) best = {person, d[i * n + g]};
    return best;
}

double rank1_one_shot(const Tensor& D, const std::vector<int>& labels) {
    check_square(D, labels, "rank1_one_shot");
    const auto by = photos_by_person(labels);
    const size_t fewest = fewest_photos(by, "rank1_one_shot");
    const int64_t n = D.dim(0);
    const std::vector<float> d = D.values();
    double sum = 0.0;
    for (size_t e = 0; e < fewest; ++e) {
        std::vector<std::pair<int, int64_t>> gallery;
        std::vector<bool> in_gallery(n, false);
        for (const auto& [person, photos] : by) {
            gallery.push_back({person, photos[e]});
            in_gallery[photos[e]] = true;
        }
        int64_t probes = 0, right = 0;
        for (const auto& [person, photos] : by)
            for (int64_t i : photos) {
                if (in_gallery[i]) continue;
                ++probes;
                right += closest(d, n, i, gallery).first == person;
            }
        sum += double(right) / probes;
    }
    return sum / fewest;
}

OpenSet open_set(const Tensor& D, const std::vector<int>& labels, const std::vector<int>& enrolled, float tau) {
    check_square(D, labels, "open_set");
    const auto by = photos_by_person(labels);
    const size_t fewest = fewest_photos(by, "open_set");
    const int64_t n = D.dim(0);
    const std::vector<float> d = D.values();
    OpenSet out{0.0, 0.0};
    for (size_t e = 0; e < fewest; ++e) {
        std::vector<std::pair<int, int64_t>> gallery;
        std::vector<bool> in_gallery(n, false), is_enrolled(n, false);
        for (int person : enrolled) {
            const auto it = by.find(person);
            check(it != by.end(), "open_set: enrolled person ", person, " has fewer than 2 photos");
            gallery.push_back({person, it->second[e]});
        }
        for (const auto& [person, photos] : by) {
            in_gallery[photos[e]] = true;
            for (int64_t i : photos) is_enrolled[i] = std::find(enrolled.begin(), enrolled.end(), person) != enrolled.end();
        }
        int64_t genuine = 0, accepted = 0, strangers = 0, let_in = 0;
        std::vector<int64_t> all;
        for (const auto& [person, photos] : by) all.insert(all.end(), photos.begin(), photos.end());
        for (int64_t i : all) {
            if (in_gallery[i]) continue;
            const auto [person, dist] = closest(d, n, i, gallery);
            if (is_enrolled[i]) {
                ++genuine;
                accepted += person == labels[i] && dist <= tau;
            } else {
                ++strangers;
                let_in += dist <= tau;
            }
        }
        check(genuine > 0 && strangers > 0, "open_set: need both enrolled and unenrolled people");
        out.tar += double(accepted) / genuine / fewest;
        out.far += double(let_in) / strangers / fewest;
    }
    return out;
}

}  // namespace convlab
