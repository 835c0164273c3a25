// src/kernels/winograd.cpp
//
// F(2x2x2, 3x3x3) (see winograd.hpp). Each 3D transform is three 1D passes, one per dim (the matrices act
// on each dim separately), and each pass maps rows of kWinogradLanes channels: plain C++ loops of 16 with
// compile-time trip counts, which the compiler turns into one vector operation each.
#include "kernels/winograd.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/parallel.hpp"

// As in gemm_micro_kernel.cpp: full-width vectors pay here, ask GCC for them.
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("prefer-vector-width=512")
#endif

namespace convlab {
namespace {

constexpr int L = kWinogradLanes;

// The 1D maps on rows of L lanes: d (4 rows) -> B^T d, m (4 rows) -> A^T m (2 rows), y (2 rows) -> A y.
void input_1d(const float* d0, const float* d1, const float* d2, const float* d3, float* v0, float* v1, float* v2,
              float* v3) {
    for (int l = 0; l < L; ++l) {
        const float a = d0[l], b = d1[l], c = d2[l], e = d3[l];
        v0[l] = a - c;
        v1[l] = b + c;
        v2[l] = c - b;
        v3[l] = b - e;
    }
}

void output_1d(const float* m0, const float* m1, const float* m2, const float* m3, float* y0, float* y1) {
    for (int l = 0; l < L; ++l) {
        y0[l] = m0[l] + m1[l] + m2[l];
        y1[l] = m1[l] - m2[l] - m3[l];
    }
}

void output_1d_backward(const float* y0, const float* y1, float* m0, float* m1, float* m2, float* m3) {
    for (int l = 0; l < L; ++l) {
        m0[l] = y0[l];
        m1[l] = y0[l] + y1[l];
        m2[l] = y0[l] - y1[l];
        m3[l] = -y1[l];
    }
}

// The filter's maps, on single numbers: g (3) -> G g (4) and back, u (4) -> G^T u (3).
void filter_1d(const float* g, int64_t sg, float* u, int64_t su) {
    u[0] = g[0];
    u[su] = 0.5f * (g[0] + g[sg] + g[2 * sg]);
    u[2 * su] = 0.5f * (g[0] - g[sg] + g[2 * sg]);
    u[3 * su] = g[2 * sg];
}

void filter_1d_backward(const float* u, int64_t su, float* g, int64_t sg) {
    g[0] = u[0] + 0.5f * (u[su] + u[2 * su]);
    g[sg] = 0.5f * (u[su] - u[2 * su]);
    g[2 * sg] = 0.5f * (u[su] + u[2 * su]) + u[3 * su];
}

// Point index of (a, b, e) in a 4 x 4 x 4 tile.
constexpr int xi(int a, int b, int e) { return (a * 4 + b) * 4 + e; }

}  // namespace

int64_t winograd_padded(int64_t n) { return (n + L - 1) / L * L; }

// Per (o, c): along W (taps w -> e), then H, then D, through 3 x 3 x 4 and 3 x 4 x 4 intermediates.
Tensor winograd_filter_transform(const float* W, int64_t C_out, int64_t C_in) {
    const int64_t Cp = winograd_padded(C_in), Op = winograd_padded(C_out);
    Tensor U = Tensor::zeros({kWinogradPoints, Cp, Op});
    float* u = U.data();
    parallel_for(C_out, [&](int64_t o0, int64_t o1) {
        for (int64_t o = o0; o < o1; ++o)
            for (int64_t c = 0; c < C_in; ++c) {
                const float* g = W + (o * C_in + c) * 27;  // g[(u * 3 + v) * 3 + w]
                float t1[3][3][4], t2[3][4][4], t3[4][4][4];
                for (int a = 0; a < 3; ++a)
                    for (int b = 0; b < 3; ++b) filter_1d(g + (a * 3 + b) * 3, 1, t1[a][b], 1);
                for (int a = 0; a < 3; ++a)
                    for (int e = 0; e < 4; ++e) filter_1d(&t1[a][0][e], 4, &t2[a][0][e], 4);
                for (int b = 0; b < 4; ++b)
                    for (int e = 0; e < 4; ++e) filter_1d(&t2[0][b][e], 16, &t3[0][b][e], 16);
                for (int p = 0; p < kWinogradPoints; ++p) u[(p * Cp + c) * Op + o] = (&t3[0][0][0])[p];
            }
    });
    return U;
}

void winograd_filter_transform_backward(const float* dU, int64_t C_out, int64_t C_in, float* dW) {
    const int64_t Cp = winograd_padded(C_in), Op = winograd_padded(C_out);
    parallel_for(C_out, [&](int64_t o0, int64_t o1) {
        for (int64_t o = o0; o < o1; ++o)
            for (int64_t c = 0; c < C_in; ++c) {
                float t3[4][4][4], t2[3][4][4], t1[3][3][4];
                for (int p = 0; p < kWinogradPoints; ++p) (&t3[0][0][0])[p] = dU[(p * Cp + c) * Op + o];
                for (int b = 0; b < 4; ++b)
                    for (int e = 0; e < 4; ++e) filter_1d_backward(&t3[0][b][e], 16, &t2[0][b][e], 16);
                for (int a = 0; a < 3; ++a)
                    for (int e = 0; e < 4; ++e) filter_1d_backward(&t2[a][0][e], 4, &t1[a][0][e], 4);
                float* g = dW + (o * C_in + c) * 27;
                for (int a = 0; a < 3; ++a)
                    for (int b = 0; b < 3; ++b) filter_1d_backward(t1[a][b], 1, g + (a * 3 + b) * 3, 1);
            }
    });
}

// Row a' of B^T has two nonzero entries: (B^T d)_a' = d_first + sign * d_second.
constexpr int kFirst[4] = {0, 1, 2, 1}, kSecond[4] = {2, 2, 1, 3};
constexpr float kSign[4] = {-1.0f, 1.0f, -1.0f, -1.0f};

// One output layer a' at a time: along D (the two input layers that row a' of B^T combines), then W (e) and
// H (b), the 16 intermediate vectors staying in registers; a vector of channels at a time. (Along W and H
// first would leave 64 vectors for the pass along D: twice the stores.)
void winograd_input_tile(const float* d, int64_t sa, int64_t sb, int64_t d_chunk, int64_t chunks, float* V,
                         int64_t V_chunk) {
    for (int64_t q = 0; q < chunks; ++q) {
        const float* dq = d + q * d_chunk;
        float* v = V + q * V_chunk;
#pragma GCC unroll 4
        for (int a = 0; a < 4; ++a) {
            alignas(64) float t[4][4][L], r[4][4][L];  // layer a after the pass along D: t[b][e]; then W: r[b][e]
            const float* first = dq + kFirst[a] * sa;
            const float* second = dq + kSecond[a] * sa;
            const float sign = kSign[a];
#pragma GCC unroll 4
            for (int b = 0; b < 4; ++b)
#pragma GCC unroll 4
                for (int e = 0; e < 4; ++e)
                    for (int l = 0; l < L; ++l)
                        t[b][e][l] = first[b * sb + e * L + l] + sign * second[b * sb + e * L + l];
#pragma GCC unroll 4
            for (int b = 0; b < 4; ++b)
                input_1d(t[b][0], t[b][1], t[b][2], t[b][3], r[b][0], r[b][1], r[b][2], r[b][3]);
#pragma GCC unroll 4
            for (int e = 0; e < 4; ++e)
                input_1d(r[0][e], r[1][e], r[2][e], r[3][e], v + xi(a, 0, e) * L, v + xi(a, 1, e) * L,
                         v + xi(a, 2, e) * L, v + xi(a, 3, e) * L);
        }
    }
}

// Output layer i of a tile: along D (row i of A^T: m_0 + m_1 + m_2, or m_1 - m_2 - m_3), then H (b -> j) and
// W (e -> k), the intermediate vectors staying in registers, the last pass adding the bias on its way out.
template <int i>
void output_layer(const float* __restrict m, const float* __restrict bias, float* __restrict y, int64_t sb) {
    alignas(64) float t[4][4][L], u[2][4][L];  // after the pass along D: t[b][e]; then H: u[j][e]
#pragma GCC unroll 16
    for (int be = 0; be < 16; ++be) {
        const float* m0 = m + be * L;
        float* out = t[be / 4][be % 4];
        if constexpr (i == 0)
            for (int l = 0; l < L; ++l) out[l] = m0[l] + m0[16 * L + l] + m0[32 * L + l];
        else
            for (int l = 0; l < L; ++l) out[l] = m0[16 * L + l] - m0[32 * L + l] - m0[48 * L + l];
    }
#pragma GCC unroll 4
    for (int e = 0; e < 4; ++e) output_1d(t[0][e], t[1][e], t[2][e], t[3][e], u[0][e], u[1][e]);
#pragma GCC unroll 2
    for (int j = 0; j < 2; ++j) {
        float* out = y + j * sb;
        for (int l = 0; l < L; ++l) {
            out[l] = u[j][0][l] + u[j][1][l] + u[j][2][l] + bias[l];
            out[L + l] = u[j][1][l] - u[j][2][l] - u[j][3][l] + bias[l];
        }
    }
}

// One output layer at a time (along D first: along W and H first would leave 32 vectors for the pass along
// D, stored and loaded again).
void winograd_output_tile(const float* M, int64_t M_chunk, int64_t chunks, const float* bias, float* y, int64_t sa,
                          int64_t sb, int64_t y_chunk) {
    for (int64_t q = 0; q < chunks; ++q) {
        output_layer<0>(M + q * M_chunk, bias + q * L, y + q * y_chunk, sb);
        output_layer<1>(M + q * M_chunk, bias + q * L, y + q * y_chunk + sa, sb);
    }
}

// The same three passes transposed and in the opposite order, D (i -> a), H (j -> b), W (k -> e): 8 -> 16
// -> 32 -> 64 points, the last pass writing dM as it goes.
void winograd_output_tile_backward(const float* dy, int64_t sa, int64_t sb, int64_t dy_chunk, int64_t chunks,
                                   float* dM, int64_t dM_chunk) {
    for (int64_t q = 0; q < chunks; ++q) {
        const float* d = dy + q * dy_chunk;
        float* m = dM + q * dM_chunk;
        alignas(64) float t1[4][4][L];  // t1[a][j * 2 + k]
#pragma GCC unroll 4
        for (int jk = 0; jk < 4; ++jk) {
            const float* row = d + (jk / 2) * sb + (jk % 2) * L;
            output_1d_backward(row, row + sa, t1[0][jk], t1[1][jk], t1[2][jk], t1[3][jk]);
        }
#pragma GCC unroll 4
        for (int a = 0; a < 4; ++a) {
            alignas(64) float t2[4][2][L];  // t2[b][k]
#pragma GCC unroll 2
            for (int k = 0; k < 2; ++k)
                output_1d_backward(t1[a][k], t1[a][2 + k], t2[0][k], t2[1][k], t2[2][k], t2[3][k]);
#pragma GCC unroll 4
            for (int b = 0; b < 4; ++b)
                output_1d_backward(t2[b][0], t2[b][1], m + xi(a, b, 0) * L, m + xi(a, b, 1) * L, m + xi(a, b, 2) * L,
                                   m + xi(a, b, 3) * L);
        }
    }
}

namespace {

// out = in^T for 16 x 16 floats, both contiguous: compile-time loops, which GCC turns into two-vector
// permutes (measured: 0.17 ns per float to lanes, 0.25 from lanes, against 0.5 for the same loops with one
// side ldi or ldo apart, which GCC assembles from single floats).
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
constexpr int64_t T = kWinogradTileFloats;

// C (R rows x NV vectors) = sum_k A(i, k) B(k, j), plus C when `accumulate`. Forward (rows are tiles, k
// input channels, columns output channels; one or two vectors):
//   A(i, k) = a[i T + (k / 16) s_chunk + k % 16],  B(k, j) = b[k * b_step + j],  C(i, v) = c + i T + v * c_step
// backward (rows are the 16 channels of a chunk, k tiles, one vector of columns):
//   A(i, k) = a[k T + i],  B(k, j) = b[k T + j],  C(i) = c + i * c_step
// (b_step: a row of U; c_step: a chunk of M forward, a row of dU backward). A's rows and steps are
// compile-time strides: its addresses need no registers.
template <int R, int NV, bool kForward>
void product_tile(int64_t K, const float* __restrict a, int64_t s_chunk, const float* __restrict b, int64_t b_step,
                  float* __restrict c, int64_t c_step, bool accumulate) {
    constexpr int NC = NV * L;
    constexpr int64_t a_row = kForward ? T : 1;
    float acc[R][NC];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < NC; ++j) acc[i][j] = 0.0f;
    for (int64_t k = 0; k < K; ++k) {
        const float* ak = kForward ? a + k / L * s_chunk + k % L : a + k * T;
        const float* bk = kForward ? b + k * b_step : b + k * T;
        // The loop order steers GCC's vectoriser, as in conv_grid_kernel.cpp: i outside for two vectors, j
        // outside for one (else it transposes tiles every step: the figure's input gradient 9x slower).
        if constexpr (NV == 2) {
#pragma GCC unroll 14
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < NC; ++j) acc[i][j] += ak[i * a_row] * bk[j];
        } else {
            for (int j = 0; j < NC; ++j)
#pragma GCC unroll 16
                for (int i = 0; i < R; ++i) acc[i][j] += ak[i * a_row] * bk[j];
        }
    }
    for (int i = 0; i < R; ++i)
        for (int v = 0; v < NV; ++v) {
            float* out = kForward ? c + i * T + v * c_step : c + i * c_step;
            const float* sums = acc[i] + v * L;
            if (accumulate)
                for (int l = 0; l < L; ++l) out[l] += sums[l];
            else
                for (int l = 0; l < L; ++l) out[l] = sums[l];
        }
}

using ProductTile = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, bool);

// product_tile<1, ...> ... product_tile<Rows, ...>, indexed by rows - 1.
template <int NV, bool kForward, int... Rows>
constexpr std::array<ProductTile, sizeof...(Rows)> tile_table(std::integer_sequence<int, Rows...>) {
    return {&product_tile<Rows + 1, NV, kForward>...};
}
constexpr auto kForwardWide = tile_table<2, true>(std::make_integer_sequence<int, kWideRows>{});
constexpr auto kForwardNarrow = tile_table<1, true>(std::make_integer_sequence<int, kNarrowRows>{});

// Rows [0, rows) in groups of nearly equal size, at most max_rows (30 rows go as 10 + 10 + 10, not
// 14 + 14 + 2: a tile of 2 rows has too few sums to hide the latency of its multiply-adds).
template <typename Fn>
void row_groups(int64_t rows, int64_t max_rows, Fn fn) {
    const int64_t groups = (rows + max_rows - 1) / max_rows;
    for (int64_t gi = 0; gi < groups; ++gi) fn(rows * gi / groups, rows * (gi + 1) / groups - rows * gi / groups);
}

}  // namespace

// Output channels two vectors at a time (a last single one on the narrow tile).
void winograd_multiply(int64_t tiles, int64_t Cp, int64_t Op, const float* V, int64_t s_chunk, const float* U,
                       float* M) {
    for (int64_t o = 0; o < Op; o += 2 * L) {
        const bool wide = Op - o >= 2 * L;
        row_groups(tiles, wide ? kWideRows : kNarrowRows, [&](int64_t t0, int64_t r) {
            const ProductTile tile = wide ? kForwardWide[r - 1] : kForwardNarrow[r - 1];
            tile(Cp, V + t0 * T, s_chunk, U + o, Op, M + t0 * T + o / L * s_chunk, s_chunk, false);
        });
    }
}

// A chunk of 16 input channels (the rows) by a chunk of 16 output channels at a time.
void winograd_multiply_backward(int64_t tiles, int64_t Cp, int64_t Op, const float* V, const float* dM,
                                int64_t s_chunk, float* dU, bool accumulate) {
    for (int64_t c = 0; c < Cp; c += L)
        for (int64_t o = 0; o < Op; o += L)
            product_tile<L, 1, false>(tiles, V + c / L * s_chunk, s_chunk, dM + o / L * s_chunk, 0, dU + c * Op + o, Op,
                                      accumulate);
}

}  // namespace convlab
