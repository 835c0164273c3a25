// src/kernels/winograd.cpp
//
// F(2x2, 3x3) and F(2x2x2, 3x3x3) (see winograd.hpp): the products of the transformed tiles and filters,
// and the transposes between channels-first tensors and channels-last vectors. (The transforms themselves
// are in winograd_transforms.cpp.)
#include "kernels/winograd.hpp"

#include "kernels/lanes.hpp"

#include <algorithm>
#include <array>
#include <utility>

// As in gemm_micro_kernel.cpp: full-width vectors pay here, ask GCC for them.
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("prefer-vector-width=512")
#endif

namespace convlab {
namespace {

constexpr int L = kWinogradLanes;
static_assert(L == kLanes, "a chunk of channels is one Lanes vector");

}  // namespace

int64_t winograd_padded(int64_t n) { return (n + L - 1) / L * L; }

namespace {

// out = in^T for 16 x 16 floats, both contiguous: compile-time loops, which GCC turns into two-vector
// permutes (with one side ldi or ldo apart it assembles the vectors from single floats instead).
void transpose_16x16(const float* __restrict in, float* __restrict out) {
    for (int j = 0; j < L; ++j)
        for (int i = 0; i < L; ++i) out[j * L + i] = in[i * L + j];
}

}  // namespace

// The rows are gathered into a contiguous tile (zeros past `channels` and `points`), then transposed.
void winograd_to_lanes(const float* in, int64_t ldi, int channels, int points, float* out) {
    alignas(64) float tile[L * L];
    if (channels == L && points == L) {
        for (int i = 0; i < L; ++i)
            for (int j = 0; j < L; ++j) tile[i * L + j] = in[i * ldi + j];
        return transpose_16x16(tile, out);
    }
    for (int i = 0; i < L; ++i)
        for (int j = 0; j < L; ++j) tile[i * L + j] = i < channels && j < points ? in[i * ldi + j] : 0.0f;
    alignas(64) float t[L * L];
    transpose_16x16(tile, t);
    for (int j = 0; j < points * L; ++j) out[j] = t[j];
}

void winograd_from_lanes(const float* in, int points, int channels, float* out, int64_t ldo) {
    alignas(64) float tile[L * L], t[L * L];
    if (points < L) {  // the rows past `points` may lie past the end of `in`
        std::copy(in, in + points * L, tile);
        std::fill(tile + points * L, tile + L * L, 0.0f);
        in = tile;
    }
    transpose_16x16(in, t);
    if (points == L)
        for (int j = 0; j < channels; ++j)
            for (int i = 0; i < L; ++i) out[j * ldo + i] = t[j * L + i];
    else
        for (int j = 0; j < channels; ++j)
            for (int i = 0; i < points; ++i) out[j * ldo + i] = t[j * L + i];
}

namespace {

// Register tiles of the products: up to 14 rows by two vectors of columns (28 of the 32 AVX-512 registers,
// as gemm's micro-kernel), or up to 16 rows by one vector; the sums stay in registers across the k loop.
constexpr int kWideRows = 14, kNarrowRows = 16;

// C (R rows x NV vectors) = sum_k A(i, k) B(k, j), plus C when `accumulate`, with the tiles of V, M and dM
// T floats apart (winograd_tile_floats). Forward (rows are tiles, k input channels, columns output
// channels; one or two vectors):
//   A(i, k) = a[i T + (k / 16) s_chunk + k % 16],  B(k, j) = b[k * b_step + j],  C(i, v) = c + i T + v * c_step
// backward (rows are the 16 channels of a chunk, k tiles, one vector of columns):
//   A(i, k) = a[k T + i],  B(k, j) = b[k T + j],  C(i) = c + i * c_step
// (b_step: a row of U's panel; c_step: a chunk of M forward, a row of dU's panel backward). A's rows and
// steps are compile-time strides: its addresses need no registers. Written with Lanes (kernels/lanes.hpp):
// each step is NV vector loads of B's row and R x NV multiply-adds of a broadcast A(i, k), under any tuning.
template <int64_t T, int R, int NV, bool kForward>
void product_tile(int64_t K, const float* __restrict a, int64_t s_chunk, const float* __restrict b, int64_t b_step,
                  float* __restrict c, int64_t c_step, bool accumulate) {
    constexpr int64_t a_row = kForward ? T : 1;
    Lanes acc[R][NV] = {};
    for (int64_t k = 0; k < K; ++k) {
        const float* ak = kForward ? a + k / L * s_chunk + k % L : a + k * T;
        const float* bk = kForward ? b + k * b_step : b + k * T;
        Lanes bv[NV];
#pragma GCC unroll 2
        for (int v = 0; v < NV; ++v) load_lanes(bv[v], bk + v * L);
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i)
            for (int v = 0; v < NV; ++v) acc[i][v] += ak[i * a_row] * bv[v];
    }
    const auto out = [&](int i, int v) { return kForward ? c + i * T + v * c_step : c + i * c_step; };
    // The test is outside the loops, so that both loop nests unroll completely.
    if (accumulate) {
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i)
            for (int v = 0; v < NV; ++v) {
                Lanes sum;
                load_lanes(sum, out(i, v));
                store_lanes(out(i, v), sum + acc[i][v]);
            }
    } else {
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i)
            for (int v = 0; v < NV; ++v) store_lanes(out(i, v), acc[i][v]);
    }
}

using ProductTile = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, bool);

// product_tile<T, 1, ...> ... product_tile<T, Rows, ...>, indexed by rows - 1.
template <int64_t T, int NV, int... Rows>
constexpr std::array<ProductTile, sizeof...(Rows)> tile_table(std::integer_sequence<int, Rows...>) {
    return {&product_tile<T, Rows + 1, NV, true>...};
}

// Rows [0, rows) in groups of nearly equal size, at most max_rows (30 rows go as 10 + 10 + 10, not
// 14 + 14 + 2: a tile of 2 rows has too few sums to hide the latency of its multiply-adds).
template <typename Fn>
void row_groups(int64_t rows, int64_t max_rows, Fn fn) {
    const int64_t groups = (rows + max_rows - 1) / max_rows;
    for (int64_t gi = 0; gi < groups; ++gi) fn(rows * gi / groups, rows * (gi + 1) / groups - rows * gi / groups);
}

// A panel of output channels at a time: two vectors (a last single one on the narrow tile).
template <int rank>
void multiply(int64_t tiles, int64_t Cp, int64_t Op, const float* V, int64_t s_chunk, const float* U, float* M) {
    constexpr int64_t T = winograd_tile_floats(rank);
    static constexpr auto wide = tile_table<T, 2>(std::make_integer_sequence<int, kWideRows>{});
    static constexpr auto narrow = tile_table<T, 1>(std::make_integer_sequence<int, kNarrowRows>{});
    for (int64_t o = 0; o < Op; o += kWinogradPanel) {
        const int64_t width = winograd_panel_width(Op, o);
        row_groups(tiles, width == 2 * L ? kWideRows : kNarrowRows, [&](int64_t t0, int64_t r) {
            const ProductTile tile = width == 2 * L ? wide[r - 1] : narrow[r - 1];
            tile(Cp, V + t0 * T, s_chunk, U + o * Cp, width, M + t0 * T + o / L * s_chunk, s_chunk, false);
        });
    }
}

// A chunk of 16 input channels (the rows) by a chunk of 16 output channels at a time, panel by panel.
template <int rank>
void multiply_backward(int64_t tiles, int64_t Cp, int64_t Op, const float* V, const float* dM, int64_t s_chunk,
                       float* dU, bool accumulate) {
    constexpr int64_t T = winograd_tile_floats(rank);
    for (int64_t o0 = 0; o0 < Op; o0 += kWinogradPanel) {
        const int64_t width = winograd_panel_width(Op, o0);
        for (int64_t c = 0; c < Cp; c += L)
            for (int64_t o = o0; o < o0 + width; o += L)
                product_tile<T, L, 1, false>(tiles, V + c / L * s_chunk, s_chunk, dM + o / L * s_chunk, 0,
                                             dU + winograd_panel_index(Cp, Op, c, o), width, accumulate);
    }
}

}  // namespace

void winograd_multiply(int rank, int64_t tiles, int64_t Cp, int64_t Op, const float* V, int64_t s_chunk,
                       const float* U, float* M) {
    (rank == 2 ? multiply<2> : multiply<3>)(tiles, Cp, Op, V, s_chunk, U, M);
}

void winograd_multiply_backward(int rank, int64_t tiles, int64_t Cp, int64_t Op, const float* V, const float* dM,
                                int64_t s_chunk, float* dU, bool accumulate) {
    (rank == 2 ? multiply_backward<2> : multiply_backward<3>)(tiles, Cp, Op, V, dM, s_chunk, dU, accumulate);
}

}  // namespace convlab
