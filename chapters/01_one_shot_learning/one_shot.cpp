// chapters/01_one_shot_learning/one_shot.cpp
//
// One-shot learning: one photo per person is enrolled, and instead of a softmax over employees (which
// would need many photos each and retraining for every new hire) we learn a similarity function
//
//   d(img1, img2) = degree of difference between images;   same person if d(img1, img2) <= tau
//
// Adding a person is then just adding their encoding to the database.
//                                               [lecture: "Face Recognition", "One Shot Learning"]
#include "chapters/01_one_shot_learning/one_shot.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"

namespace convlab {

// x1, x2: any equal shapes  ->  d = sum_k (x1_k - x2_k)^2
float face_distance(const Tensor& x1, const Tensor& x2) {
    check(x1.numel() == x2.numel(), "face_distance: expected two encodings of the same size, got ", x1.shape_str(),
          " and ", x2.shape_str());
    const std::vector<float> a = x1.values(), b = x2.values();
    double d = 0.0;
    for (size_t k = 0; k < a.size(); ++k) d += double(a[k] - b[k]) * (a[k] - b[k]);
    return static_cast<float>(d);
}

// f_camera, f_claimed: (D,) encodings  ->  d(camera, claimed) and the decision d <= tau.
Verdict verify(const Tensor& f_camera, const Tensor& f_claimed, float tau) {
    // BEGIN SOLUTION ch01.verify
    const float dist = face_distance(f_camera, f_claimed);
    return {dist, tau, dist <= tau};
    // END SOLUTION
}

// f_camera: (D,) or (1, D); database: (M, D); names: M  ->  persons by smallest distance.
Identification who_is_it(const Tensor& f_camera, const Tensor& database, const std::vector<std::string>& names,
                         float tau) {
    check(database.ndim() == 2 && database.dim(0) == static_cast<int64_t>(names.size()) && database.dim(0) > 0,
          "who_is_it: expected a non-empty database (M, D) with M names, got ", database.shape_str(), " and ",
          names.size(), " names");
    check(f_camera.numel() == database.dim(1), "who_is_it: expected an encoding of size ", database.dim(1),
          ", got ", f_camera.shape_str());
    Identification out;
    // BEGIN SOLUTION ch01.who_is_it
    std::map<std::string, float> best;  // each person's smallest distance over their enrolled photos
    for (int64_t m = 0; m < database.dim(0); ++m) {
        const float dist = face_distance(f_camera, database[m]);
        auto it = best.find(names[m]);
        if (it == best.end() || dist < it->second) best[names[m]] = dist;
    }
    for (const auto& [name, dist] : best) out.ranking.push_back({name, dist});
    std::stable_sort(out.ranking.begin(), out.ranking.end(),
                     [](const Candidate& x, const Candidate& y) { return x.distance < y.distance; });
    out.known = out.ranking[0].distance <= tau;
    // END SOLUTION
    return out;
}

double probability_all_correct(double p, int K) { return std::pow(p, K); }

double expected_errors(double p, int K) { return K * (1.0 - p); }

}  // namespace convlab
