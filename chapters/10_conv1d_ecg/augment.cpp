// chapters/10_conv1d_ecg/augment.cpp
#include "chapters/10_conv1d_ecg/augment.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace convlab {

Tensor augment_beats(const Tensor& batch, Rng& rng, const BeatAugment& a) {
    check(batch.ndim() == 3 && batch.dim(2) >= 2, "augment_beats: expected a batch (N, C, L) with L >= 2, got ",
          batch.shape_str());
    const int64_t N = batch.dim(0), C = batch.dim(1), L = batch.dim(2);
    const Tensor x = batch.contiguous();
    Tensor out = Tensor::empty(batch.shape());
    for (int64_t n = 0; n < N; ++n) {
        const float s = 1.0f + a.warp * rng.uniform(-1.0f, 1.0f), d = a.shift * rng.uniform(-1.0f, 1.0f);
        const float g = 1.0f + a.gain * rng.uniform(-1.0f, 1.0f), c = rng.uniform(0.0f, float(L - 1));
        for (int64_t t = 0; t < L; ++t) {
            const float u = std::clamp(c + s * (float(t) - c) + d, 0.0f, float(L - 1));  // where to read
            const int64_t u0 = std::min<int64_t>(static_cast<int64_t>(u), L - 2);
            const float w = u - float(u0);
            for (int64_t ch = 0; ch < C; ++ch) {
                const float* src = x.data() + (n * C + ch) * L;
                out.data()[(n * C + ch) * L + t] = g * ((1 - w) * src[u0] + w * src[u0 + 1]) + a.noise * rng.normal();
            }
        }
    }
    return out;
}

}  // namespace convlab
