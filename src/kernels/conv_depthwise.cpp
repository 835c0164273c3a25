// src/kernels/conv_depthwise.cpp
//
// The depthwise convolution (see conv_depthwise.hpp). A task takes one sample's input channel c. Unless the
// plane can be read as it is (no padding, stride 1 along W), it is copied into a buffer, zero-padded, a row
// just before the first output row that reads it (so that the copy streams along with the sums, in cache),
// with each row split by phase along W: column x of the padded row goes to phase x mod s, at x div s
// (s = 1: the row itself). Tap w of output k then reads column k s + w d, which is entry k + (w d) div s of
// phase (w d) mod s: consecutive outputs read consecutive floats, at any stride. Each output row of each of
// c's m outputs is then computed in one pass:
//
//   y[k] = b + sum_t W[t] * row[off_t + k]       k along the row, t over the f_D f_H f_W taps (u, v, w)
//
// off_t is where tap t starts, relative to the row's first input, the same for every row. For the common
// filters (3, 3x3, 5x5) the number of taps is a compile-time constant: GCC unrolls the sum over t and
// vectorises along k, the outputs in vector registers, each tap one load and one multiply-add. Other
// filters take the same sums with a run-time count, a pass over the row per tap. Short rows at stride 1
// are taken a whole layer at a time, as one long row (see `flat` below).
#include "kernels/conv_depthwise.hpp"

#include <algorithm>
#include <vector>

#include "core/parallel.hpp"
#include "core/tensor.hpp"
#include "kernels/cache.hpp"

// The same vectors whatever -mtune says: full width (tunings for some Intel cores would pick 256-bit
// vectors, as gemm_micro_kernel.cpp says), and no cost model to weigh them against narrower ones (the
// tunings' costs of permutes differ, and with them the choice for the strided copy).
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("prefer-vector-width=512")
#pragma GCC optimize("vect-cost-model=unlimited")
#endif

namespace convlab {
namespace {

// y[k] = bias + sum_t w[t] * row[off[t] + k] for k < n; T taps.
template <int T>
void row_fixed(const float* row, const int64_t* off, const float* __restrict w, float bias, int64_t n,
               float* __restrict y) {
    for (int64_t k = 0; k < n; ++k) {
        float acc = bias;
#pragma GCC unroll 32
        for (int t = 0; t < T; ++t) acc += w[t] * row[off[t] + k];
        y[k] = acc;
    }
}

// The same for any number of taps T, the sums in the same order: a pass over y per tap. (Not inlined into
// the loops over rows, where GCC would vectorise across them with gathers.)
__attribute__((noinline)) void row_any(const float* row, const int64_t* off, int64_t T, const float* w, float bias,
                                       int64_t n, float* __restrict y) {
    std::fill(y, y + n, bias);
    for (int64_t t = 0; t < T; ++t) {
        const float* __restrict x = row + off[t];
        const float wt = w[t];
        for (int64_t k = 0; k < n; ++k) y[k] += wt * x[k];
    }
}

using FixedRow = void (*)(const float*, const int64_t*, const float* __restrict, float, int64_t, float* __restrict);

// The compile-time row for T taps, or null.
FixedRow fixed_row(int64_t T) {
    return T == 3 ? row_fixed<3> : T == 9 ? row_fixed<9> : T == 25 ? row_fixed<25> : nullptr;
}

// How a task's plane lies in memory: layers of `rows` rows of `width` floats, each row `phases` runs of
// `run` floats (x is read in place when phases = 1 and there is no padding). Entry j of phase s holds padded
// column j s + s', input column j s + s' - p, inside the input for j in [inside[s'].lo, inside[s'].hi).
struct PlaneLayout {
    int64_t layers, rows, width, phases, run;
    bool copied;
    struct Range {
        int64_t lo, hi;
    };
    std::vector<Range> inside;

    explicit PlaneLayout(const ConvGeometry& g)
        : layers(g.n[0] + 2 * g.p[0]), rows(g.n[1] + 2 * g.p[1]), phases(g.s[2]),
          run((g.n[2] + 2 * g.p[2] + g.s[2] - 1) / g.s[2]),
          copied(g.p[0] != 0 || g.p[1] != 0 || g.p[2] != 0 || g.s[2] != 1) {
        width = phases * run;
        const int64_t S = phases, p = g.p[2];
        for (int64_t s = 0; s < S; ++s) {
            const int64_t lo = std::min(run, std::max<int64_t>(0, (p - s + S - 1) / S));
            inside.push_back({lo, std::max(lo, std::min(run, (g.n[2] + p - s + S - 1) / S))});
        }
    }
    int64_t floats() const { return layers * rows * width; }
    // Where tap (u, v, w) of the output row starting at input (z, y, 0) starts, relative to that row.
    int64_t offset(const ConvGeometry& g, int64_t u, int64_t v, int64_t w) const {
        const int64_t column = w * g.d[2];
        return (u * g.d[0] * rows + v * g.d[1]) * width + column % phases * run + column / phases;
    }
};

// dst[j] = from[j S] for j < count; a compile-time stride for 1 and 2 (MobileNet's), so that the loops
// vectorise.
void copy_strided(const float* __restrict from, int64_t S, int64_t count, float* __restrict dst) {
    if (S == 1)
        for (int64_t j = 0; j < count; ++j) dst[j] = from[j];
    else if (S == 2)
        for (int64_t j = 0; j < count; ++j) dst[j] = from[2 * j];
    else
        for (int64_t j = 0; j < count; ++j) dst[j] = from[j * S];
}

// copy_rows asks for the input row kPrefetchRows ahead of the one it copies, a cache line at a time.
constexpr int64_t kPrefetchRows = 4;
constexpr int64_t kLineFloats = kCacheLineBytes / int64_t(sizeof(float));
// Rows shorter than this (output values) are taken a layer at a time when the layer's flat row (below)
// fits in kFlatFloats, a quarter of L1: a call per row would cost as much as its few vectors of sums.
constexpr int64_t kFlatRowsUpTo = 64;
constexpr int64_t kFlatFloats = kL1Bytes / 4 / int64_t(sizeof(float));

// The input entries of the padded rows [r0, r1) (r = z rows + y) of a plane laid out by a (PlaneLayout), from
// channel x_c (n_D, n_H, n_W); the padding entries are left as they are (zero from the start).
void copy_rows(const float* x_c, const ConvGeometry& g, const PlaneLayout& a, int64_t r0, int64_t r1, float* plane) {
    for (int64_t r = r0; r < r1; ++r) {
        const int64_t iz = r / a.rows - g.p[0], iy = r % a.rows - g.p[1];
        if (iz < 0 || iz >= g.n[0] || iy < 0 || iy >= g.n[1]) continue;
        const float* src = x_c + (iz * g.n[1] + iy) * g.n[2];
        if (iy + kPrefetchRows < g.n[1])  // ask for a later row now: it arrives while this one is used
            for (int64_t c = 0; c < g.n[2]; c += kLineFloats) __builtin_prefetch(src + kPrefetchRows * g.n[2] + c);
        for (int64_t s = 0; s < a.phases; ++s) {  // entry j of phase s: input column j S + s - p
            const PlaneLayout::Range in = a.inside[size_t(s)];
            if (in.hi > in.lo)
                    copy_strided(src + in.lo * a.phases + s - g.p[2], a.phases, in.hi - in.lo,
                             plane + r * a.width + s * a.run + in.lo);
        }
    }
}

}  // namespace

bool depthwise_applies(const ConvGeometry& g) { return g.groups == g.n_C && g.n_C > 1; }

void depthwise_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                       const float* b, float* Y) {
    const int64_t C = g.n_C, m = C_out / C, T = g.kernel_numel(), L = g.out_numel(), n = g.out[2];
    const PlaneLayout layout(g);
    std::vector<int64_t> off;
    for (int64_t u = 0; u < g.f[0]; ++u)
        for (int64_t v = 0; v < g.f[1]; ++v)
            for (int64_t w = 0; w < g.f[2]; ++w) off.push_back(layout.offset(g, u, v, w));
    const FixedRow fixed = fixed_row(T);
    const auto sums = [&](const float* row, const float* w, float bias, int64_t count, float* y) {
        if (fixed != nullptr) return fixed(row, off.data(), w, bias, count, y);
        row_any(row, off.data(), T, w, bias, count, y);
    };
    // From an output row's first input row to its last one (rows of layout.width floats).
    const int64_t last_row = (g.f[0] - 1) * g.d[0] * layout.rows + (g.f[1] - 1) * g.d[1];
    // Short rows at stride 1 are taken a layer at a time (flat): output (j, k) reads the input rows from j on,
    // at the flat position P = j width + k, so the layer's outputs are those of one long row of
    // (out_H - 1) width + out_W positions (the width - out_W between two rows computed and dropped).
    const int64_t flat_length = (g.out[1] - 1) * layout.width + n;
    const bool flat = g.s[1] == 1 && g.s[2] == 1 && n < kFlatRowsUpTo && flat_length <= kFlatFloats;
    parallel_for(N * C, [&](int64_t t0, int64_t t1) {
        Tensor buffer = Tensor::zeros({layout.copied ? layout.floats() : 0});
        Tensor scratch = Tensor::empty({flat ? flat_length : 0});
        for (int64_t task = t0; task < t1; ++task) {  // task = n C + c
            const float* x_c = x + task * g.in_numel();
            const float* plane = layout.copied ? buffer.data() : x_c;
            int64_t ready = 0;  // rows of the buffer copied: each just before the first output row that reads it
            const auto rows_up_to = [&](int64_t first) {  // the rows an output row from input row `first` reads
                if (!layout.copied || ready >= first + last_row + 1) return;
                copy_rows(x_c, g, layout, ready, first + last_row + 1, buffer.data());
                ready = first + last_row + 1;
            };
            for (int64_t o = task % C * m; o < (task % C + 1) * m; ++o) {
                const float* w = W + o * T;
                const float bias = b != nullptr ? b[o] : 0.0f;
                float* y = Y + (task / C * C_out + o) * L;
                for (int64_t i = 0; i < g.out[0]; ++i) {
                    const int64_t layer = i * g.s[0] * layout.rows;  // the output layer's first input row
                    if (flat) {
                        rows_up_to(layer + g.out[1] - 1);
                        sums(plane + layer * layout.width, w, bias, flat_length, scratch.data());
                        for (int64_t j = 0; j < g.out[1]; ++j, y += n)
                            std::copy(scratch.data() + j * layout.width, scratch.data() + j * layout.width + n, y);
                        continue;
                    }
                    for (int64_t j = 0; j < g.out[1]; ++j, y += n) {
                        rows_up_to(layer + j * g.s[1]);
                        sums(plane + (layer + j * g.s[1]) * layout.width, w, bias, n, y);
                    }
                }
            }
        }
    }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(1, m * L * T)));
}

}  // namespace convlab
