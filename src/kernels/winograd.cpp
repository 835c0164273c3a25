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

// Point index of (a, b, e) in a 4 x 4 x 4 tile, and of (i, j, e) in the 2 x 4 x 4 and 2 x 2 x 4 stages.
constexpr int xi(int a, int b, int e) { return (a * 4 + b) * 4 + e; }

}  // namespace

int64_t winograd_padded(int64_t n) { return (n + L - 1) / L * L; }

// Per (o, c): along W (taps w -> e), then H, then D, through 4 x 3 x 3 and 4 x 4 x 3 intermediates.
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

// Along W (e), then H (b), then D (a), one vector of channels at a time.
void winograd_input_tile(const float* d, int64_t sa, int64_t sb, int64_t se, int64_t n, float* V, int64_t sV) {
    for (int64_t c = 0; c < n; c += L) {
        alignas(64) float t1[kWinogradPoints][L], t2[kWinogradPoints][L];
        for (int a = 0; a < 4; ++a)
            for (int b = 0; b < 4; ++b) {
                const float* row = d + a * sa + b * sb + c;
                input_1d(row, row + se, row + 2 * se, row + 3 * se, t1[xi(a, b, 0)], t1[xi(a, b, 1)], t1[xi(a, b, 2)],
                         t1[xi(a, b, 3)]);
            }
        for (int a = 0; a < 4; ++a)
            for (int e = 0; e < 4; ++e)
                input_1d(t1[xi(a, 0, e)], t1[xi(a, 1, e)], t1[xi(a, 2, e)], t1[xi(a, 3, e)], t2[xi(a, 0, e)],
                         t2[xi(a, 1, e)], t2[xi(a, 2, e)], t2[xi(a, 3, e)]);
        for (int b = 0; b < 4; ++b)
            for (int e = 0; e < 4; ++e)
                input_1d(t2[xi(0, b, e)], t2[xi(1, b, e)], t2[xi(2, b, e)], t2[xi(3, b, e)], V + xi(0, b, e) * sV + c,
                         V + xi(1, b, e) * sV + c, V + xi(2, b, e) * sV + c, V + xi(3, b, e) * sV + c);
    }
}

// Along D (a -> i), then H (b -> j), then W (e -> k): 64 -> 32 -> 16 -> 8 rows.
void winograd_output_tile(const float* M, int64_t sM, int64_t n, float* y) {
    for (int64_t c = 0; c < n; c += L) {
        alignas(64) float t1[32][L], t2[16][L];  // t1[(i * 4 + b) * 4 + e], t2[(i * 2 + j) * 4 + e]
        for (int b = 0; b < 4; ++b)
            for (int e = 0; e < 4; ++e)
                output_1d(M + xi(0, b, e) * sM + c, M + xi(1, b, e) * sM + c, M + xi(2, b, e) * sM + c,
                          M + xi(3, b, e) * sM + c, t1[(0 * 4 + b) * 4 + e], t1[(1 * 4 + b) * 4 + e]);
        for (int i = 0; i < 2; ++i)
            for (int e = 0; e < 4; ++e)
                output_1d(t1[(i * 4 + 0) * 4 + e], t1[(i * 4 + 1) * 4 + e], t1[(i * 4 + 2) * 4 + e],
                          t1[(i * 4 + 3) * 4 + e], t2[(i * 2 + 0) * 4 + e], t2[(i * 2 + 1) * 4 + e]);
        for (int ij = 0; ij < 4; ++ij)
            output_1d(t2[ij * 4 + 0], t2[ij * 4 + 1], t2[ij * 4 + 2], t2[ij * 4 + 3], y + (ij * 2 + 0) * n + c,
                      y + (ij * 2 + 1) * n + c);
    }
}

// The same three passes transposed, in the opposite order: W (k -> e), H (j -> b), D (i -> a).
void winograd_output_tile_backward(const float* dy, int64_t sa, int64_t sb, int64_t se, int64_t n, float* dM,
                                   int64_t sM) {
    for (int64_t c = 0; c < n; c += L) {
        alignas(64) float t1[16][L], t2[32][L];  // t1[(i * 2 + j) * 4 + e], t2[(i * 4 + b) * 4 + e]
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
                const float* row = dy + i * sa + j * sb + c;
                const int ij = i * 2 + j;
                output_1d_backward(row, row + se, t1[ij * 4 + 0], t1[ij * 4 + 1], t1[ij * 4 + 2], t1[ij * 4 + 3]);
            }
        for (int i = 0; i < 2; ++i)
            for (int e = 0; e < 4; ++e)
                output_1d_backward(t1[(i * 2 + 0) * 4 + e], t1[(i * 2 + 1) * 4 + e], t2[(i * 4 + 0) * 4 + e],
                                   t2[(i * 4 + 1) * 4 + e], t2[(i * 4 + 2) * 4 + e], t2[(i * 4 + 3) * 4 + e]);
        for (int b = 0; b < 4; ++b)
            for (int e = 0; e < 4; ++e)
                output_1d_backward(t2[(0 * 4 + b) * 4 + e], t2[(1 * 4 + b) * 4 + e], dM + xi(0, b, e) * sM + c,
                                   dM + xi(1, b, e) * sM + c, dM + xi(2, b, e) * sM + c, dM + xi(3, b, e) * sM + c);
    }
}

namespace {

// Register tiles of the products: up to kRows rows of C by NV vectors of columns, the sums held in
// registers across the k loop (14 x 2 = 28 of the 32 AVX-512 registers, as gemm's micro-kernel).
constexpr int kRows = 14;

template <int R, int NV>
void product_tile(int64_t K, const float* __restrict a, int64_t a_row, int64_t a_step, const float* __restrict b,
                  int64_t ldb, float* __restrict c, int64_t ldc, bool accumulate) {
    constexpr int NC = NV * L;
    float acc[R][NC];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < NC; ++j) acc[i][j] = accumulate ? c[i * ldc + j] : 0.0f;
    for (int64_t k = 0; k < K; ++k) {
        const float* bk = b + k * ldb;
        const float* ak = a + k * a_step;
        // The loop order steers GCC's vectoriser, as in conv_grid_kernel.cpp: i outside for two vectors, j
        // outside for one (else it transposes tiles every step: 20x slower).
        if constexpr (NV == 2) {
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < NC; ++j) acc[i][j] += ak[i * a_row] * bk[j];
        } else {
            for (int j = 0; j < NC; ++j)
                for (int i = 0; i < R; ++i) acc[i][j] += ak[i * a_row] * bk[j];
        }
    }
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < NC; ++j) c[i * ldc + j] = acc[i][j];
}

using ProductTile = void (*)(int64_t, const float*, int64_t, int64_t, const float*, int64_t, float*, int64_t, bool);

// product_tile<1, NV> ... product_tile<kRows, NV>, indexed by rows - 1.
template <int NV, int... Rows>
constexpr std::array<ProductTile, sizeof...(Rows)> tile_table(std::integer_sequence<int, Rows...>) {
    return {&product_tile<Rows + 1, NV>...};
}
constexpr auto kWideTiles = tile_table<2>(std::make_integer_sequence<int, kRows>{});
constexpr auto kNarrowTiles = tile_table<1>(std::make_integer_sequence<int, kRows>{});

}  // namespace

// Rows in ceil(rows / kRows) groups of nearly equal size (16 rows go as 8 + 8, not 14 + 2: a tile of 2 rows
// has too few sums to hide the latency of its multiply-adds); columns in blocks of two vectors, then one.
void winograd_product(int64_t rows, int64_t K, int64_t cols, const float* a, int64_t a_row, int64_t a_step,
                      const float* b, int64_t ldb, float* c, int64_t ldc, bool accumulate) {
    const int64_t groups = (rows + kRows - 1) / kRows;
    for (int64_t gi = 0; gi < groups; ++gi) {
        const int64_t i0 = rows * gi / groups, r = rows * (gi + 1) / groups - i0;
        for (int64_t j = 0; j < cols; j += 2 * L) {
            const auto& table = cols - j >= 2 * L ? kWideTiles : kNarrowTiles;
            table[r - 1](K, a + i0 * a_row, a_row, a_step, b + j, ldb, c + i0 * ldc + j, ldc, accumulate);
        }
    }
}

}  // namespace convlab
