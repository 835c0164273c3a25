// src/data/synthetic_ecg.hpp
//
// Heartbeats drawn from a model, so the 1D chapter runs without downloads and a test can make data of any
// size. Each series is one beat in a window of `length` samples at 100 Hz, R peak near 30% of the window
// (up to `jitter` samples away: a loosely cut beat), in the same form as UCR ECG200 (label +1 normal,
// -1 abnormal; each series z-normalised).
//
// The beat is a sum of Gaussian bumps, one per wave (the ECGSYN idea of McSharry et al., 2003):
//
//   v(t) = sum_{w in P,Q,R,S,T} a_w * exp(-(t - t_w)^2 / (2 b_w^2))
//
// Heart-rate variability: each RR interval (time between R peaks) is drawn around the beat's heart rate,
// the P and T waves move with sqrt(RR) (Bazett), and the neighbouring beats, at -RR_prev and +RR_next,
// are drawn too, so their waves enter the window. Then baseline wander and sensor noise.
//
// Abnormal beats (half of them, unless set otherwise), of two kinds:
//   premature ventricular contraction (PVC): the beat comes early (short RR_prev), has no P wave, a wide
//     and tall QRS, a T wave of the opposite sign, and a compensatory pause after it;
//   ST change (ischaemia / infarction): the ST segment between S and T is raised or lowered by 0.1..0.3 mV,
//     and the T wave is inverted in half of them.
#pragma once

#include <cstdint>

#include "core/random.hpp"
#include "data/ucr.hpp"

namespace convlab {

struct EcgOptions {
    int64_t length = 96;             // samples per beat window (ECG200: 96)
    float abnormal_fraction = 0.5f;  // share of beats with label -1
    float noise = 0.03f;             // stddev of the sensor noise, in mV (the R wave is about 1 mV)
    int64_t jitter = 6;              // the R peak lands up to this many samples before or after 30%
};

// n beats: X (n, 1, length), label +1 normal / -1 abnormal, name "synthetic ECG".
UcrSet synthetic_ecg(int64_t n, Rng& rng, const EcgOptions& options = {});

}  // namespace convlab
