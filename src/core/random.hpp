// src/core/random.hpp
//
// A seeded random number generator whose streams are the same on every platform (std::normal_distribution
// is not), so a seed names one result everywhere: xoshiro256** seeded through splitmix64.
#pragma once

#include <cmath>
#include <cstdint>

namespace convlab {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) { reseed(seed); }

    void reseed(uint64_t seed) {
        for (auto& word : s_) word = splitmix64(seed);
        has_spare_normal_ = false;
    }

    uint64_t next_u64() {
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 24 random bits, exactly representable as float.
    float uniform() { return static_cast<float>(next_u64() >> 40) * (1.0f / 16777216.0f); }
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, n).
    int64_t randint(int64_t n) { return static_cast<int64_t>(next_u64() % static_cast<uint64_t>(n)); }

    // Standard normal by the Box-Muller transform (one pair per two calls).
    float normal() {
        if (has_spare_normal_) {
            has_spare_normal_ = false;
            return spare_normal_;
        }
        const double u1 = (static_cast<double>(next_u64() >> 11) + 1.0) * (1.0 / 9007199254740992.0);  // (0, 1]
        const double u2 = static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0);
        const double r = std::sqrt(-2.0 * std::log(u1)), theta = 6.283185307179586 * u2;
        spare_normal_ = static_cast<float>(r * std::sin(theta));
        has_spare_normal_ = true;
        return static_cast<float>(r * std::cos(theta));
    }
    float normal(float mean, float stddev) { return mean + stddev * normal(); }

    // The whole state, for checkpoints that resume bitwise.
    struct State {
        uint64_t s[4];
        bool has_spare;
        float spare;
    };
    State state() const { return {{s_[0], s_[1], s_[2], s_[3]}, has_spare_normal_, spare_normal_}; }
    void set_state(const State& st) {
        for (int i = 0; i < 4; ++i) s_[i] = st.s[i];
        has_spare_normal_ = st.has_spare;
        spare_normal_ = st.spare;
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static uint64_t splitmix64(uint64_t& x) {
        uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    uint64_t s_[4];
    bool has_spare_normal_ = false;
    float spare_normal_ = 0.0f;
};

}  // namespace convlab
