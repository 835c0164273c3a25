// src/kernels/conv_grid_kernel.cpp
//
// Register tiles with compile-time sizes, written with the fixed-width vector type Lanes (kernels/lanes.hpp):
// the compiler unrolls the inner loops, keeps the accumulators in vector registers and turns each step into
// broadcasts, loads and fused multiply-adds.
#include "kernels/conv_grid_kernel.hpp"

#include <array>
#include <utility>


// As in gemm_micro_kernel.cpp: full-width vectors pay here, ask GCC for them.
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("prefer-vector-width=512")
#endif

namespace convlab {
namespace {

// The runs of x_pad are scattered over the sample: ask for row k + 16 while using row k (as gemm's
// micro-kernel does for its B panel).
constexpr int kPrefetchRows = 16;

// Written with Lanes (kernels/lanes.hpp): each step is NC / 16 vector loads of the run and R x NC / 16
// multiply-adds of a broadcast panel value, the R x NC / 16 sums in registers, under any tuning.
template <int R, int NC>
void grid_tile(int64_t kc, const float* __restrict a_panel, const float* __restrict x, const int64_t* offset,
               float* __restrict c, int64_t ldc, float beta) {
    constexpr int NV = NC / kLanes;
    Lanes acc[R][NV] = {};
    for (int64_t k = 0; k < kc; ++k) {
        const float* a = a_panel + k * kGridPanelRows;
        const float* b = x + offset[k];
        if (k + kPrefetchRows < kc) {  // the run's NC floats span up to NC / 16 + 1 cache lines
            const float* ahead = x + offset[k + kPrefetchRows];
            for (int j = 0; j < NC; j += 16) __builtin_prefetch(ahead + j);
            __builtin_prefetch(ahead + NC - 1);
        }
        Lanes bv[NV];
#pragma GCC unroll 2
        for (int v = 0; v < NV; ++v) load_lanes(bv[v], b + v * kLanes);
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i)
            for (int v = 0; v < NV; ++v) acc[i][v] += a[i] * bv[v];
    }
    // The beta test is outside the loops, so that both loop nests unroll completely.
    if (beta == 0.0f) {
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i)
            for (int v = 0; v < NV; ++v) store_lanes(c + i * ldc + v * kLanes, acc[i][v]);
    } else {
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i)
            for (int v = 0; v < NV; ++v) {
                float* out = c + i * ldc + v * kLanes;
                Lanes old;
                load_lanes(old, out);
                store_lanes(out, acc[i][v] + beta * old);
            }
    }
}

using GridTile = void (*)(int64_t, const float*, const float*, const int64_t*, float*, int64_t, float);

// grid_tile<1, NC> ... grid_tile<Rows, NC>, indexed by rows - 1.
template <int NC, int... Rows>
constexpr std::array<GridTile, sizeof...(Rows)> tile_table(std::integer_sequence<int, Rows...>) {
    return {&grid_tile<Rows + 1, NC>...};
}
constexpr auto kWideTiles = tile_table<kGridWide>(std::make_integer_sequence<int, kGridWideRows>{});
constexpr auto kNarrowTiles = tile_table<kGridNarrow>(std::make_integer_sequence<int, kGridPanelRows>{});

}  // namespace

void grid_micro_kernel(int rows, int width, int64_t kc, const float* a_panel, const float* x, const int64_t* offset,
                       float* c, int64_t ldc, float beta) {
    if (width == kGridWide)
        kWideTiles[rows - 1](kc, a_panel, x, offset, c, ldc, beta);
    else
        kNarrowTiles[rows - 1](kc, a_panel, x, offset, c, ldc, beta);
}

// Written with Lanes: each step loads kDotO + kDotR vectors, each once (keep_in_register), and adds
// kDotO x kDotR vector products into the sums, which stay in registers: kDotO + 1 + kDotO x kDotR = 29 of 32.
void grid_dot_kernel(int64_t n, const float* const* dy, const float* x, const int64_t* offset, float* lanes) {
    Lanes acc[kDotO][kDotR];
    for (int o = 0; o < kDotO; ++o)
        for (int r = 0; r < kDotR; ++r) load_lanes(acc[o][r], lanes + (o * kDotR + r) * kLanes);
    const float* d[kDotO];
    const float* xr[kDotR];
    for (int o = 0; o < kDotO; ++o) d[o] = dy[o];
    for (int r = 0; r < kDotR; ++r) xr[r] = x + offset[r];
    for (int64_t P = 0; P < n; P += kLanes) {
        Lanes dv[kDotO];
        for (int o = 0; o < kDotO; ++o) {
            load_lanes(dv[o], d[o] + P);
            keep_in_register(dv[o]);
        }
        for (int r = 0; r < kDotR; ++r) {
            Lanes xv;
            load_lanes(xv, xr[r] + P);
            keep_in_register(xv);
            for (int o = 0; o < kDotO; ++o) acc[o][r] += dv[o] * xv;
        }
    }
    for (int o = 0; o < kDotO; ++o)
        for (int r = 0; r < kDotR; ++r) store_lanes(lanes + (o * kDotR + r) * kLanes, acc[o][r]);
}

}  // namespace convlab
