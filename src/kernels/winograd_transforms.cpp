// src/kernels/winograd_transforms.cpp
//
// The transforms of F(2x2, 3x3) and F(2x2x2, 3x3x3) (see winograd.hpp): of the filters (G g G^T and back),
// of the input tiles (B^T d B) and of the output tiles (A^T m A and its adjoint). Each is one 1D pass per
// dim (the matrices act on each dim separately), written once for both ranks: a 2D tile is a 3D one with a
// single point along the middle dim, where there is no pass. The passes on tiles map rows of kWinogradLanes
// channels: plain C++ loops of 16 with compile-time trip counts, which the compiler turns into one vector
// operation each.
#include <algorithm>
#include <cstdint>

#include "core/parallel.hpp"
#include "kernels/winograd.hpp"

// As in gemm_micro_kernel.cpp: full-width vectors pay here, ask GCC for them.
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("prefer-vector-width=512")
#endif

namespace convlab {
namespace {

constexpr int L = kWinogradLanes;  // the passes on tiles: a row is a vector of channels

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

// The filter's maps, on rows of kWinogradPanel lanes (the filters of a panel's output channels): g (3 rows,
// sg apart) -> G g (4 rows, su apart) and back, u (4) -> G^T u (3). Each lane is read before it is written,
// so they may run in place (u = g, su = sg).
constexpr int NP = int(kWinogradPanel);
void filter_1d(const float* g, int64_t sg, float* u, int64_t su) {
    for (int l = 0; l < NP; ++l) {
        const float g0 = g[l], g1 = g[sg + l], g2 = g[2 * sg + l];
        u[l] = g0;
        u[su + l] = 0.5f * (g0 + g1 + g2);
        u[2 * su + l] = 0.5f * (g0 - g1 + g2);
        u[3 * su + l] = g2;
    }
}

void filter_1d_backward(const float* u, int64_t su, float* g, int64_t sg) {
    for (int l = 0; l < NP; ++l) {
        const float u0 = u[l], u1 = u[su + l], u2 = u[2 * su + l], u3 = u[3 * su + l];
        g[l] = u0 + 0.5f * (u1 + u2);
        g[sg + l] = 0.5f * (u1 - u2);
        g[2 * sg + l] = 0.5f * (u1 + u2) + u3;
    }
}

// Points of a rank-R tile along its middle dim: 4 along H in 3D; in 2D one, and no pass along it.
template <int R>
constexpr int kMid = R == 3 ? 4 : 1;
// Filter taps along the first dim: 3 along D in 3D; in 2D one (the first dim is then the middle one's).
template <int R>
constexpr int kFirstTaps = R == 3 ? 3 : 1;

// Point index of (a, b, e) in a rank-R tile: (a * 4 + b) * 4 + e in 3D, a * 4 + e in 2D (b = 0).
template <int R>
constexpr int xi(int a, int b, int e) {
    return (a * kMid<R> + b) * 4 + e;
}

// Calls fn(o0, c, f, U_at) for each panel of output channels o0 .. o0 + kWinogradPanel - 1 (in parallel over
// the panels) and input channel c < C_in, with f a zeroed 4 x 4 x 4 array of rows of the panel's lanes,
// f[a][b][e][o - o0], and U_at the offset of (c, o0) in a point's matrix of U.
template <typename Fn>
void for_each_panel_row(int64_t C_out, int64_t C_in, Fn fn) {
    const int64_t Cp = winograd_padded(C_in), Op = winograd_padded(C_out);
    parallel_for((Op + NP - 1) / NP, [&](int64_t j0, int64_t j1) {
        for (int64_t o0 = j0 * NP; o0 < j1 * NP; o0 += NP)
            for (int64_t c = 0; c < C_in; ++c) {
                alignas(64) float f[4][4][4][NP] = {};
                fn(o0, c, f, winograd_panel_index(Cp, Op, c, o0));
            }
    });
}

// Per panel and input channel c, f starts as the panel's filters (taps a < kFirstTaps, b, e < 3; zero past
// C_out) and is transformed in place, along W (e), then H (b), then in 3D D (a); point xi of the tile is
// then f's row xi (in 2D, of its first layer), which goes out as a row of the panel in U.
template <int R>
void filter_transform(const float* W, int64_t C_out, int64_t C_in, float* u) {
    constexpr int P = winograd_points(R), A = kFirstTaps<R>, taps = A * 9;
    const int64_t CpOp = winograd_padded(C_in) * winograd_padded(C_out);
    for_each_panel_row(C_out, C_in, [&](int64_t o0, int64_t c, float (*f)[4][4][NP], int64_t at) {
        for (int64_t o = o0; o < std::min(C_out, o0 + NP); ++o)  // tap (a * 3 + b) * 3 + e of W[o, c]
            for (int tap = 0; tap < taps; ++tap)
                f[tap / 9][tap / 3 % 3][tap % 3][o - o0] = W[(o * C_in + c) * taps + tap];
        for (int a = 0; a < A; ++a)
            for (int b = 0; b < 3; ++b) filter_1d(f[a][b][0], NP, f[a][b][0], NP);
        for (int a = 0; a < A; ++a)
            for (int e = 0; e < 4; ++e) filter_1d(f[a][0][e], 4 * NP, f[a][0][e], 4 * NP);
        if constexpr (R == 3)
            for (int b = 0; b < 4; ++b)
                for (int e = 0; e < 4; ++e) filter_1d(f[0][b][e], 16 * NP, f[0][b][e], 16 * NP);
        const int64_t width = winograd_panel_width(winograd_padded(C_out), o0);
        const float* rows = reinterpret_cast<const float*>(f);  // row xi of f (all 64 rows of NP, in order)
        for (int p = 0; p < P; ++p) std::copy_n(rows + p * NP, width, u + p * CpOp + at);
    });
}

// The same passes transposed, in the opposite order, from dU's rows to dW.
template <int R>
void filter_transform_backward(const float* dU, int64_t C_out, int64_t C_in, float* dW) {
    constexpr int P = winograd_points(R), A = kFirstTaps<R>, taps = A * 9;
    const int64_t CpOp = winograd_padded(C_in) * winograd_padded(C_out);
    for_each_panel_row(C_out, C_in, [&](int64_t o0, int64_t c, float (*f)[4][4][NP], int64_t at) {
        const int64_t width = winograd_panel_width(winograd_padded(C_out), o0);
        float* rows = reinterpret_cast<float*>(f);  // row xi of f (all 64 rows of NP, in order)
        for (int p = 0; p < P; ++p) std::copy_n(dU + p * CpOp + at, width, rows + p * NP);
        if constexpr (R == 3)
            for (int b = 0; b < 4; ++b)
                for (int e = 0; e < 4; ++e) filter_1d_backward(f[0][b][e], 16 * NP, f[0][b][e], 16 * NP);
        for (int a = 0; a < A; ++a)
            for (int e = 0; e < 4; ++e) filter_1d_backward(f[a][0][e], 4 * NP, f[a][0][e], 4 * NP);
        for (int a = 0; a < A; ++a)
            for (int b = 0; b < 3; ++b) filter_1d_backward(f[a][b][0], NP, f[a][b][0], NP);
        for (int64_t o = o0; o < std::min(C_out, o0 + NP); ++o)
            for (int tap = 0; tap < taps; ++tap)
                dW[(o * C_in + c) * taps + tap] = f[tap / 9][tap / 3 % 3][tap % 3][o - o0];
    });
}

// Row a' of B^T has two nonzero entries: (B^T d)_a' = d_first + sign * d_second.
constexpr int kFirst[4] = {0, 1, 2, 1}, kSecond[4] = {2, 2, 1, 3};
constexpr float kSign[4] = {-1.0f, 1.0f, -1.0f, -1.0f};

// One output layer (2D: row) a' at a time: along the first dim (the two input layers that row a' of B^T
// combines), then W (e) and in 3D H (b), the intermediate vectors staying in registers; a vector of channels
// at a time. (Along W and H first would leave 64 vectors for the pass along D: twice the stores.)
template <int R>
void input_tile(const float* d, int64_t sa, int64_t sb, int64_t d_chunk, int64_t chunks, float* V,
                int64_t V_chunk) {
    constexpr int B = kMid<R>;
    for (int64_t q = 0; q < chunks; ++q) {
        const float* dq = d + q * d_chunk;
        float* v = V + q * V_chunk;
#pragma GCC unroll 4
        for (int a = 0; a < 4; ++a) {
            alignas(64) float t[B][4][L];  // layer a after the pass along the first dim: t[b][e]
            const float* first = dq + kFirst[a] * sa;
            const float* second = dq + kSecond[a] * sa;
            const float sign = kSign[a];
#pragma GCC unroll 4
            for (int b = 0; b < B; ++b)
#pragma GCC unroll 4
                for (int e = 0; e < 4; ++e)
                    for (int l = 0; l < L; ++l)
                        t[b][e][l] = first[b * sb + e * L + l] + sign * second[b * sb + e * L + l];
            if constexpr (R == 2) {  // along W, into V
                input_1d(t[0][0], t[0][1], t[0][2], t[0][3], v + xi<R>(a, 0, 0) * L, v + xi<R>(a, 0, 1) * L,
                         v + xi<R>(a, 0, 2) * L, v + xi<R>(a, 0, 3) * L);
            } else {  // along W into r[b][e], then along H into V
                alignas(64) float r[4][4][L];
#pragma GCC unroll 4
                for (int b = 0; b < 4; ++b)
                    input_1d(t[b][0], t[b][1], t[b][2], t[b][3], r[b][0], r[b][1], r[b][2], r[b][3]);
#pragma GCC unroll 4
                for (int e = 0; e < 4; ++e)
                    input_1d(r[0][e], r[1][e], r[2][e], r[3][e], v + xi<R>(a, 0, e) * L, v + xi<R>(a, 1, e) * L,
                             v + xi<R>(a, 2, e) * L, v + xi<R>(a, 3, e) * L);
            }
        }
    }
}

// The last pass, along W (e -> k), plus the bias: u (4 rows) -> out[0], out[L] (outputs k = 0, 1).
void output_row(const float (*u)[L], const float* __restrict bias, float* __restrict out) {
    for (int l = 0; l < L; ++l) {
        out[l] = u[0][l] + u[1][l] + u[2][l] + bias[l];
        out[L + l] = u[1][l] - u[2][l] - u[3][l] + bias[l];
    }
}

// Output layer (2D: row) i of a tile: along the first dim (row i of A^T: m_0 + m_1 + m_2, or m_1 - m_2 -
// m_3), then in 3D H (b -> j), then W (e -> k), the intermediate vectors staying in registers.
template <int R, int i>
void output_layer(const float* __restrict m, const float* __restrict bias, float* __restrict y, int64_t sb) {
    constexpr int B = kMid<R>;
    constexpr int64_t next = xi<R>(1, 0, 0) * L;  // from a point to the next along the first dim
    alignas(64) float t[B][4][L];                 // after the pass along the first dim: t[b][e]
#pragma GCC unroll 16
    for (int be = 0; be < B * 4; ++be) {
        const float* m0 = m + be * L;
        float* out = t[be / 4][be % 4];
        if constexpr (i == 0)
            for (int l = 0; l < L; ++l) out[l] = m0[l] + m0[next + l] + m0[2 * next + l];
        else
            for (int l = 0; l < L; ++l) out[l] = m0[next + l] - m0[2 * next + l] - m0[3 * next + l];
    }
    if constexpr (R == 2) {
        output_row(t[0], bias, y);
    } else {
        alignas(64) float u[2][4][L];  // after the pass along H: u[j][e]
#pragma GCC unroll 4
        for (int e = 0; e < 4; ++e) output_1d(t[0][e], t[1][e], t[2][e], t[3][e], u[0][e], u[1][e]);
        output_row(u[0], bias, y);
        output_row(u[1], bias, y + sb);
    }
}

// One output layer at a time (along the first dim first: along W and H first would leave 32 vectors for
// the pass along D, stored and loaded again).
template <int R>
void output_tile(const float* M, int64_t M_chunk, int64_t chunks, const float* bias, float* y, int64_t sa,
                 int64_t sb, int64_t y_chunk) {
    for (int64_t q = 0; q < chunks; ++q) {
        output_layer<R, 0>(M + q * M_chunk, bias + q * L, y + q * y_chunk, sb);
        output_layer<R, 1>(M + q * M_chunk, bias + q * L, y + q * y_chunk + sa, sb);
    }
}

// The same passes transposed and in the opposite order, the first dim (i -> a), in 3D H (j -> b), W
// (k -> e): 8 -> 16 -> 32 -> 64 points (2D: 4 -> 8 -> 16), the last pass writing dM as it goes.
template <int R>
void output_tile_backward(const float* dy, int64_t sa, int64_t sb, int64_t dy_chunk, int64_t chunks, float* dM,
                          int64_t dM_chunk) {
    constexpr int J = R == 3 ? 2 : 1;  // outputs of a tile along the middle dim
    for (int64_t q = 0; q < chunks; ++q) {
        const float* d = dy + q * dy_chunk;
        float* m = dM + q * dM_chunk;
        alignas(64) float t1[4][2 * J][L];  // t1[a][j * 2 + k]
#pragma GCC unroll 4
        for (int jk = 0; jk < 2 * J; ++jk) {
            const float* row = d + (jk / 2) * sb + (jk % 2) * L;
            output_1d_backward(row, row + sa, t1[0][jk], t1[1][jk], t1[2][jk], t1[3][jk]);
        }
#pragma GCC unroll 4
        for (int a = 0; a < 4; ++a) {
            if constexpr (R == 2) {
                output_1d_backward(t1[a][0], t1[a][1], m + xi<R>(a, 0, 0) * L, m + xi<R>(a, 0, 1) * L,
                                   m + xi<R>(a, 0, 2) * L, m + xi<R>(a, 0, 3) * L);
            } else {
                alignas(64) float t2[4][2][L];  // t2[b][k]
#pragma GCC unroll 2
                for (int k = 0; k < 2; ++k)
                    output_1d_backward(t1[a][k], t1[a][2 + k], t2[0][k], t2[1][k], t2[2][k], t2[3][k]);
#pragma GCC unroll 4
                for (int b = 0; b < 4; ++b)
                    output_1d_backward(t2[b][0], t2[b][1], m + xi<R>(a, b, 0) * L, m + xi<R>(a, b, 1) * L,
                                       m + xi<R>(a, b, 2) * L, m + xi<R>(a, b, 3) * L);
            }
        }
    }
}

}  // namespace

Tensor winograd_filter_transform(int rank, const float* W, int64_t C_out, int64_t C_in) {
    const int64_t Cp = winograd_padded(C_in), Op = winograd_padded(C_out);
    Tensor U = Tensor::empty({winograd_points(rank), Cp, Op});
    (rank == 2 ? filter_transform<2> : filter_transform<3>)(W, C_out, C_in, U.data());
    for (int p = 0; p < winograd_points(rank); ++p)  // the rows of the padding channels c >= C_in
        for (int64_t o0 = 0; o0 < Op; o0 += kWinogradPanel) {
            float* row = U.data() + p * Cp * Op + winograd_panel_index(Cp, Op, C_in, o0);
            std::fill(row, row + (Cp - C_in) * winograd_panel_width(Op, o0), 0.0f);
        }
    return U;
}

void winograd_filter_transform_backward(int rank, const float* dU, int64_t C_out, int64_t C_in, float* dW) {
    (rank == 2 ? filter_transform_backward<2> : filter_transform_backward<3>)(dU, C_out, C_in, dW);
}

void winograd_input_tile(int rank, const float* d, int64_t sa, int64_t sb, int64_t d_chunk, int64_t chunks,
                         float* V, int64_t V_chunk) {
    (rank == 2 ? input_tile<2> : input_tile<3>)(d, sa, sb, d_chunk, chunks, V, V_chunk);
}

void winograd_output_tile(int rank, const float* M, int64_t M_chunk, int64_t chunks, const float* bias, float* y,
                          int64_t sa, int64_t sb, int64_t y_chunk) {
    (rank == 2 ? output_tile<2> : output_tile<3>)(M, M_chunk, chunks, bias, y, sa, sb, y_chunk);
}

void winograd_output_tile_backward(int rank, const float* dy, int64_t sa, int64_t sb, int64_t dy_chunk,
                                   int64_t chunks, float* dM, int64_t dM_chunk) {
    (rank == 2 ? output_tile_backward<2> : output_tile_backward<3>)(dy, sa, sb, dy_chunk, chunks, dM, dM_chunk);
}

}  // namespace convlab
