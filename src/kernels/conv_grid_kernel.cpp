// src/kernels/conv_grid_kernel.cpp
//
// Plain C++ with compile-time trip counts, as in gemm_micro_kernel.cpp: the compiler unrolls the inner
// loops, keeps the accumulators in vector registers and turns each step into broadcasts, loads and fused
// multiply-adds.
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

template <int R, int NC>
void grid_tile(int64_t kc, const float* __restrict a_panel, const float* __restrict x, const int64_t* offset,
               float* __restrict c, int64_t ldc, float beta) {
    float acc[R][NC] = {};
    for (int64_t k = 0; k < kc; ++k) {
        const float* a = a_panel + k * kGridPanelRows;
        const float* b = x + offset[k];
        if (k + kPrefetchRows < kc) {  // the run's NC floats span up to NC / 16 + 1 cache lines
            const float* ahead = x + offset[k + kPrefetchRows];
            for (int j = 0; j < NC; j += 16) __builtin_prefetch(ahead + j);
            __builtin_prefetch(ahead + NC - 1);
        }
        // The loop order steers GCC's vectoriser: with i outside it vectorises along j for 32 columns but
        // transposes 16 x 16 tiles every step; with j outside the 16-column tiles come out right and the
        // 32-column ones spill their accumulators.
        if constexpr (NC == kGridWide) {
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < NC; ++j) acc[i][j] += a[i] * b[j];
        } else {
            for (int j = 0; j < NC; ++j)
                for (int i = 0; i < R; ++i) acc[i][j] += a[i] * b[j];
        }
    }
    if (beta == 0.0f) {
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < NC; ++j) c[i * ldc + j] = acc[i][j];
    } else {
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < NC; ++j) c[i * ldc + j] = acc[i][j] + beta * c[i * ldc + j];
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

// The lane loop t is outermost inside a step: GCC then turns it into the vector dimension and keeps the
// kDotO x kDotR accumulators in registers (with t innermost it leaves them in memory).
void grid_dot_kernel(int64_t n, const float* const* dy, const float* x, const int64_t* offset, float* lanes) {
    float acc[kDotO][kDotR][kLanes];
    for (int o = 0; o < kDotO; ++o)
        for (int r = 0; r < kDotR; ++r)
            for (int t = 0; t < kLanes; ++t) acc[o][r][t] = lanes[(o * kDotR + r) * kLanes + t];
    const float* d[kDotO];
    const float* xr[kDotR];
    for (int o = 0; o < kDotO; ++o) d[o] = dy[o];
    for (int r = 0; r < kDotR; ++r) xr[r] = x + offset[r];
    for (int64_t P = 0; P < n; P += kLanes)
        for (int t = 0; t < kLanes; ++t)
            for (int o = 0; o < kDotO; ++o)
                for (int r = 0; r < kDotR; ++r) acc[o][r][t] += d[o][P + t] * xr[r][P + t];
    for (int o = 0; o < kDotO; ++o)
        for (int r = 0; r < kDotR; ++r)
            for (int t = 0; t < kLanes; ++t) lanes[(o * kDotR + r) * kLanes + t] = acc[o][r][t];
}

}  // namespace convlab
