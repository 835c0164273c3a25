// src/data/synthetic_ecg.cpp
#include "data/synthetic_ecg.hpp"

#include <cmath>
#include <vector>

#include "core/error.hpp"

namespace convlab {

namespace {

constexpr double kFs = 100.0;          // samples per second
constexpr double kRAt = 0.3;           // the R peak's place in the window, as a fraction of its length
constexpr double kPi = 3.14159265358979323846;

// One wave: amplitude a (mV), centre t (s, relative to its beat's R peak), width b (s).
struct Wave {
    double a, t, b;
};

double bump(const Wave& w, double t) {
    const double z = (t - w.t) / w.b;
    return w.a * std::exp(-0.5 * z * z);
}

double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The waves of a normal beat whose preceding RR interval is rr (s), scaled by `gain`.
std::vector<Wave> normal_beat(double rr, double gain, Rng& rng) {
    const double s = std::sqrt(rr / 0.8);  // Bazett: QT and PR stretch with sqrt(RR)
    return {{gain * rng.uniform(0.10f, 0.20f), -0.17 * s, 0.025},   // P
            {-gain * rng.uniform(0.05f, 0.15f), -0.030, 0.010},     // Q
            {gain * 1.0, 0.0, 0.012},                                // R
            {-gain * rng.uniform(0.15f, 0.35f), 0.035, 0.012},      // S
            {gain * rng.uniform(0.20f, 0.35f), 0.28 * s, 0.050}};   // T
}

// A PVC: no P wave, a wide tall QRS of either sign, a T wave opposite to it.
std::vector<Wave> pvc_beat(double gain, Rng& rng) {
    const double sign = rng.uniform() < 0.5f ? 1.0 : -1.0;
    return {{sign * gain * rng.uniform(1.0f, 1.5f), 0.0, rng.uniform(0.030f, 0.045f)},
            {-sign * gain * rng.uniform(0.3f, 0.5f), rng.uniform(0.25f, 0.32f), 0.07}};
}

}  // namespace

UcrSet synthetic_ecg(int64_t n, Rng& rng, const EcgOptions& options) {
    const int64_t L = options.length;
    check(n > 0 && L >= 16 && options.jitter >= 0,
          "synthetic_ecg: expected n > 0 beats of length >= 16 and jitter >= 0, got n = ", n, ", length = ", L,
          ", jitter = ", options.jitter);
    std::vector<float> samples(static_cast<size_t>(n * L));
    std::vector<int> label(static_cast<size_t>(n));
    std::vector<double> v(static_cast<size_t>(L));
    for (int64_t i = 0; i < n; ++i) {
        const bool abnormal = rng.uniform() < options.abnormal_fraction;
        const bool pvc = abnormal && rng.uniform() < 0.5f;
        label[i] = abnormal ? -1 : 1;
        // Heart-rate variability: the beat's mean RR, then each interval around it.
        const double rr = 60.0 / rng.uniform(55.0f, 95.0f);
        const double rr_prev = rr * (1.0 + 0.05 * rng.normal()) * (pvc ? rng.uniform(0.55f, 0.7f) : 1.0);
        const double rr_next = pvc ? 2.0 * rr - rr_prev : rr * (1.0 + 0.05 * rng.normal());
        const double gain = rng.uniform(0.8f, 1.2f);
        std::vector<Wave> current = pvc ? pvc_beat(gain, rng) : normal_beat(rr_prev, gain, rng);
        double st_shift = 0.0;
        if (abnormal && !pvc) {
            st_shift = (rng.uniform() < 0.5f ? 1.0 : -1.0) * rng.uniform(0.1f, 0.3f);
            if (rng.uniform() < 0.5f) current.back().a = -current.back().a;  // inverted T wave
        }
        std::vector<Wave> before = normal_beat(rr, gain, rng), after = normal_beat(rr_next, gain, rng);
        const double t_T = current.back().t;
        const double r_at = kRAt * L + static_cast<double>(rng.randint(2 * options.jitter + 1) - options.jitter);
        const double wander_a = rng.uniform(0.0f, 0.1f), wander_f = rng.uniform(0.1f, 0.5f);
        const double wander_phase = rng.uniform(0.0f, 2 * kPi);
        for (int64_t k = 0; k < L; ++k) {
            const double t = (k - r_at) / kFs;
            double x = 0.0;
            for (const Wave& w : before) x += bump(w, t + rr_prev);
            for (const Wave& w : current) x += bump(w, t);
            for (const Wave& w : after) x += bump(w, t - rr_next);
            // ST segment: a plateau from the end of S (40 ms) into the T wave.
            x += st_shift * logistic((t - 0.05) / 0.01) * logistic((t_T - t) / 0.03);
            x += wander_a * std::sin(2 * kPi * wander_f * t + wander_phase) + options.noise * rng.normal();
            v[k] = x;
        }
        // z-normalise, as the UCR archive does: mean 0, standard deviation 1.
        double mean = 0.0, sq = 0.0;
        for (const double x : v) mean += x;
        mean /= static_cast<double>(L);
        for (const double x : v) sq += (x - mean) * (x - mean);
        const double sd = std::sqrt(sq / static_cast<double>(L)) + 1e-8;
        for (int64_t k = 0; k < L; ++k) samples[i * L + k] = static_cast<float>((v[k] - mean) / sd);
    }
    return UcrSet{"synthetic ECG", Tensor::from({n, 1, L}, samples), std::move(label)};
}

}  // namespace convlab
