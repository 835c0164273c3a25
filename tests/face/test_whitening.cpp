// tests/face/test_whitening.cpp
//
// Within-class covariance normalisation (face/whitening.hpp): hand-computed P and d_W on a 2-D example,
// the defining property P S_w P^T = s I on random encodings, lambda = 1 giving plain d, the errors, and
// P saved and loaded with a face model.
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "face/encoder.hpp"
#include "face/whitening.hpp"
#include "io/checkpoint.hpp"
#include "ops/distance.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using namespace convlab::testing;

namespace {

// Two people, two photos each: person 0 varies along x by +-1, person 1 along y by +-0.5.
//   S_w = 1/4 [[1 + 1, 0], [0, 0.25 + 0.25]] = diag(0.5, 0.125),  s = tr(S_w) / 2 = 0.3125
const Tensor kE = Tensor::from({4, 2}, {1, 0, 3, 0, 5, 1.5f, 5, 2.5f});
const std::vector<int> kLabels{0, 0, 1, 1};

}  // namespace

TEST_CASE("fit_whitening: hand-computed P and d_W, lambda 0 and 0.5" * doctest::test_suite("face.whitening")) {
    // lambda = 0: S = S_w / s = diag(1.6, 0.4), P = diag(1/sqrt(1.6), 1/sqrt(0.4))
    const std::vector<float> P0 = fit_whitening(kE, kLabels, 0.0f).values();
    CHECK(P0[0] == doctest::Approx(1 / std::sqrt(1.6)).epsilon(1e-6));
    CHECK(P0[1] == 0.0f);
    CHECK(P0[2] == 0.0f);
    CHECK(P0[3] == doctest::Approx(1 / std::sqrt(0.4)).epsilon(1e-6));
    // d_W((0,0), (1,1)) = 1/1.6 + 1/0.4 = 3.125: the direction person 1 hardly varies in counts 4x more
    const Tensor x = Tensor::from({2, 2}, {0, 0, 1, 1});
    const Tensor W0 = whiten(x, fit_whitening(kE, kLabels, 0.0f));
    CHECK(pairwise_sq_distances(W0, W0).values()[1] == doctest::Approx(3.125).epsilon(1e-5));
    // lambda = 0.5: S = 0.5 diag(1.6, 0.4) + 0.5 I = diag(1.3, 0.7), d_W = 1/1.3 + 1/0.7 = 2.1978022
    const Tensor W5 = whiten(x, fit_whitening(kE, kLabels, 0.5f));
    CHECK(pairwise_sq_distances(W5, W5).values()[1] == doctest::Approx(2.1978022).epsilon(1e-5));
}

TEST_CASE("fit_whitening: lambda 1 is plain d (P = I)" * doctest::test_suite("face.whitening")) {
    CHECK(fit_whitening(kE, kLabels, 1.0f).values() == std::vector<float>{1, 0, 0, 1});
}

TEST_CASE("fit_whitening: whitened training encodings have within-class covariance s I" *
          doctest::test_suite("face.whitening")) {
    // 5 people x 6 photos in 3-D with correlated within-person spread
    const int people = 5, photos = 6, D = 3;
    const Tensor noise = random_tensor({people * photos, D}, /*seed=*/3);
    const Tensor centres = random_tensor({people, D}, /*seed=*/4, -3.0f, 3.0f);
    std::vector<float> e;
    std::vector<int> labels;
    for (int i = 0; i < people * photos; ++i) {
        const float* n = noise.data() + i * D;
        const float mixed[D] = {n[0], 0.8f * n[0] + 0.3f * n[1], 0.1f * n[2] - 0.5f * n[1]};
        for (int k = 0; k < D; ++k) e.push_back(centres.data()[(i / photos) * D + k] + mixed[k]);
        labels.push_back(i / photos);
    }
    const Tensor E = Tensor::from({people * photos, D}, e);
    const Tensor P = fit_whitening(E, labels, 0.0f);
    const std::vector<float> p = P.values();
    CHECK(p[0 * D + 1] == 0.0f);  // lower triangular
    CHECK(p[0 * D + 2] == 0.0f);
    CHECK(p[1 * D + 2] == 0.0f);
    // S_w of the whitened encodings, computed here from scratch
    const Tensor W = whiten(E, P);
    auto within = [&](const Tensor& X, int a, int b) {
        double S = 0;
        for (int c = 0; c < people; ++c) {
            double mu_a = 0, mu_b = 0;
            for (int i = c * photos; i < (c + 1) * photos; ++i) mu_a += X.data()[i * D + a], mu_b += X.data()[i * D + b];
            mu_a /= photos, mu_b /= photos;
            for (int i = c * photos; i < (c + 1) * photos; ++i)
                S += (X.data()[i * D + a] - mu_a) * (X.data()[i * D + b] - mu_b);
        }
        return S / (people * photos);
    };
    const double s = (within(E, 0, 0) + within(E, 1, 1) + within(E, 2, 2)) / D;
    for (int a = 0; a < D; ++a)
        for (int b = 0; b < D; ++b) CHECK(within(W, a, b) == doctest::Approx(a == b ? s : 0.0).epsilon(1e-4).scale(s));
}

TEST_CASE("fit_whitening / whiten: bad input is refused with a clear error" * doctest::test_suite("face.whitening")) {
    CHECK(error_of([] { fit_whitening(kE, {0, 0, 1}, 0.5f); }).find("got (4, 2) and 3 labels") != std::string::npos);
    CHECK(error_of([] { fit_whitening(kE, kLabels, 1.5f); }).find("lambda must be in [0, 1], got 1.5") !=
          std::string::npos);
    const Tensor same = Tensor::from({2, 2}, {1, 2, 1, 2});
    CHECK(error_of([&] { fit_whitening(same, {0, 0}, 0.5f); }).find("do not vary within any person") !=
          std::string::npos);
    // 2 photos of one person in 2-D: S_w has rank 1, so lambda = 0 cannot be inverted
    const Tensor line = Tensor::from({2, 2}, {0, 0, 1, 1});
    CHECK(error_of([&] { fit_whitening(line, {0, 0}, 0.0f); }).find("not positive definite (2 photos for 2") !=
          std::string::npos);
    CHECK(error_of([] { whiten(kE, Tensor::zeros({3, 3})); }).find("got (4, 2) and (3, 3)") != std::string::npos);
}

TEST_CASE("save_face_model / load_face_model: the whitening travels with the model" *
          doctest::test_suite("face.whitening")) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("convlab_whitening_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    EncoderConfig ec;
    ec.height = 12, ec.width = 10, ec.channels = {4, 6}, ec.dim = 2;
    Rng rng(5);
    FaceEncoder f(ec, rng);
    const Tensor P = fit_whitening(kE, kLabels, 0.5f);
    const std::string with = (dir / "with.ckpt").string(), without = (dir / "without.ckpt").string();
    save_face_model(with, f, 0.25f, P);
    save_face_model(without, f, 0.5f);
    const FaceModel m = load_face_model(with);
    CHECK(m.tau == 0.25f);
    CHECK(m.P.values() == P.values());
    CHECK_FALSE(load_face_model(without).P.defined());  // plain d, as models saved before the whitening
    // a whitening of the wrong size: an error naming the file and both shapes
    save_checkpoint(with, {{"config", Tensor::from({5}, {12, 10, 2, 4, 6})}, {"tau", Tensor::from({1}, {0.25f})},
                           {"whitening", Tensor::zeros({3, 3})}});
    const std::string e = error_of([&] { load_face_model(with); });
    CHECK(e.find(with) != std::string::npos);
    CHECK(e.find("whitening must be (2, 2), got (3, 3)") != std::string::npos);
    fs::remove_all(dir);
}
