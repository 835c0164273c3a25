// chapters/04_face_verification/binary_verifier.hpp
//
// Face verification as binary classification (DeepFace).  [lecture: "Face Verification" ("Face verification
//                                                            and binary classification")]
#pragma once

#include <string>
#include <vector>

#include "face/train.hpp"
#include "nn/module.hpp"

namespace convlab {

enum class PairFeature {
    Abs,        // |f(x_i)_k - f(x_j)_k|
    ChiSquare,  // (f(x_i)_k - f(x_j)_k)^2 / (|f(x_i)_k| + |f(x_j)_k|)
};
const char* pair_feature_name(PairFeature feature);  // "abs" or "chi-square"

// The logistic unit on top of the Siamese encodings:
//   y_hat = sigmoid( sum_k w_k * feature_k(f(x_i), f(x_j)) + b )      (1: same person, 0: different)
class BinaryVerifier : public nn::Module {
public:
    BinaryVerifier(int64_t dim, PairFeature feature);
    // f_i, f_j: (M, dim) -> the logits z: (M,), y_hat = sigmoid(z). Not a one-input forward(), so
    // forward(x) throws.
    Tensor logits(const Tensor& f_i, const Tensor& f_j) const;
    Tensor forward(const Tensor& x) override;
    PairFeature feature() const { return feature_; }
    Tensor w, b;  // (dim,), (1,)

private:
    PairFeature feature_;
};

// The (M, dim) features of M pairs, as selected by `feature`.
Tensor pair_features(const Tensor& f_i, const Tensor& f_j, PairFeature feature);

// Every pair i < j of a batch: balanced binary cross-entropy, the mean over same-person pairs (y = 1) plus
// the mean over different-person pairs (y = 0), halved (a batch has ~10x more of the latter). A batch
// without same-person pairs (its people have one photo each) has only the second mean, still halved.
Tensor pairwise_bce_loss(const BinaryVerifier& v, const Tensor& E, const std::vector<int>& labels);

// Trains the logistic unit on pairs of f's encodings, and f with it unless config.freeze_encoder (then
// f stays as it is: the verifier sits on top of an already-trained encoder, as in DeepFace). With P
// (face/whitening.hpp), the unit sees the whitened encodings P f(x) instead.
TrainHistory train_binary_verifier(FaceEncoder& f, BinaryVerifier& v, const FaceDataset& train,
                                   const TrainConfig& config, const Tensor& P = Tensor());

// A: (N, dim), B: (M, dim) -> (N, M) matrix of -z(a_i, b_j): a "distance" (small = same person) so that the
// verifier's scores go through the same ROC / rank-1 code as d(x1, x2). Both features are symmetric in
// the pair, so (v, E, E) gives a symmetric matrix.
Tensor verifier_distance_matrix(const BinaryVerifier& v, const Tensor& A, const Tensor& B);

}  // namespace convlab
