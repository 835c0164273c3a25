// chapters/04_face_verification/binary_verifier.cpp
//
// Learning the similarity function as a binary classifier.              [lecture: "Face Verification"]
//
//   y_hat = sigmoid( sum_{k=1}^{128} w_k |f(x^(i))_k - f(x^(j))_k| + b )
//   or, the chi-square similarity:  sum_k w_k (f(x^(i))_k - f(x^(j))_k)^2 / (f(x^(i))_k + f(x^(j))_k)
//
// From DeepFace (Taigman et al., 2014). The training set is pairs of photos with a label, 1 for the same
// person and 0 for different people; the two photos go through the same encoder (the Siamese network),
// and the logistic unit sees not the 256 encoding values but 128 differences. DeepFace's features are
// non-negative (after a ReLU); ours are on the unit sphere and can be negative, so the chi-square
// denominator uses |f_k| (plus a small eps so that 0/0 never happens).
#include "chapters/04_face_verification/binary_verifier.hpp"

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/batches.hpp"
#include "face/whitening.hpp"
#include "nn/loss.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

constexpr float kChiSquareEps = 1e-4f;  // far below |f_k| ~ 1/sqrt(128) = 0.09, only guards 0/0

const char* pair_feature_name(PairFeature feature) { return feature == PairFeature::Abs ? "abs" : "chi-square"; }

BinaryVerifier::BinaryVerifier(int64_t dim, PairFeature feature) : feature_(feature) {
    // A start that already says "different when far apart", at the right scale. For unit-length
    // encodings sum_k |f_i - f_j|_k is about 6 for the same person and 11 for different people once
    // training is under way, so w_k = -1 and b = 8 put the boundary between them. (Adam moves each
    // parameter by about lr per step, so from w = -0.1 the unit could not reach confident logits in a
    // few hundred steps; w = 0 would send no gradient into the encoder at all.)
    w = register_parameter("w", Tensor::full({dim}, -1.0f));
    b = register_parameter("b", Tensor::full({1}, 8.0f));
}

Tensor BinaryVerifier::forward(const Tensor&) { fail("BinaryVerifier: call logits(f_i, f_j), not forward(x)"); }

// f_i, f_j: (M, dim) -> (M, dim)
Tensor pair_features(const Tensor& f_i, const Tensor& f_j, PairFeature feature) {
    check(f_i.ndim() == 2 && f_i.shape() == f_j.shape(), "pair_features: expected two (M, dim) encodings, got ",
          f_i.shape_str(), " and ", f_j.shape_str());
    // BEGIN SOLUTION ch04.binary_verifier
    if (feature == PairFeature::Abs) return abs(f_i - f_j);
    return square(f_i - f_j) / (abs(f_i) + abs(f_j) + kChiSquareEps);
    // END SOLUTION
}

// f_i, f_j: (M, dim) -> z: (M,),  z = sum_k w_k feature_k + b
Tensor BinaryVerifier::logits(const Tensor& f_i, const Tensor& f_j) const {
    check(f_i.ndim() == 2 && f_i.dim(1) == w.dim(0), "BinaryVerifier: expected encodings (M, ", w.dim(0), "), got ",
          f_i.shape_str());
    // BEGIN SOLUTION ch04.binary_verifier
    return sum(pair_features(f_i, f_j, feature_) * w, {1}) + b;
    // END SOLUTION
}

Tensor pairwise_bce_loss(const BinaryVerifier& v, const Tensor& E, const std::vector<int>& labels) {
    std::vector<int64_t> same_i, same_j, diff_i, diff_j;
    for (size_t i = 0; i < labels.size(); ++i)
        for (size_t j = i + 1; j < labels.size(); ++j) {
            (labels[i] == labels[j] ? same_i : diff_i).push_back(static_cast<int64_t>(i));
            (labels[i] == labels[j] ? same_j : diff_j).push_back(static_cast<int64_t>(j));
        }
    check(!diff_i.empty(), "pairwise_bce_loss: the batch needs photos of 2 or more people, got ", labels.size(),
          " photos of one");
    const Tensor z_diff = v.logits(take_rows(E, diff_i), take_rows(E, diff_j));
    const Tensor J_diff = bce_with_logits(z_diff, Tensor::zeros(z_diff.shape()));
    if (same_i.empty()) return 0.5f * J_diff;  // people with one photo each: no same-person pair to average
    const Tensor z_same = v.logits(take_rows(E, same_i), take_rows(E, same_j));
    return 0.5f * (bce_with_logits(z_same, Tensor::ones(z_same.shape())) + J_diff);
}

TrainHistory train_binary_verifier(FaceEncoder& f, BinaryVerifier& v, const FaceDataset& train,
                                   const TrainConfig& config, const Tensor& P) {
    return train_encoder(f, v.named_parameters(), train, config,
                         [&](const Tensor& E, const std::vector<int>& labels, Rng&) {
                             return pairwise_bce_loss(v, P.defined() ? whiten(E, P) : E, labels);
                         });
}

Tensor verifier_distance_matrix(const BinaryVerifier& v, const Tensor& A, const Tensor& B) {
    NoGradGuard no_grad;
    const int64_t N = A.dim(0), M = B.dim(0);
    std::vector<int64_t> rows, cols;
    for (int64_t i = 0; i < N; ++i)
        for (int64_t j = 0; j < M; ++j) rows.push_back(i), cols.push_back(j);
    return neg(v.logits(take_copy(A, rows), take_copy(B, cols))).reshape({N, M});
}

}  // namespace convlab
