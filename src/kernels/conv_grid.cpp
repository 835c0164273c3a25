// src/kernels/conv_grid.cpp
//
// The padded grid (see conv_grid.hpp). grid_forward_block is gemm's loop nest (kernels/gemm.cpp) without
// its B packing: the kc x NR panels the micro-kernel reads are NR consecutive points of kc runs of the
// input (grid_micro_kernel), so no cols matrix is ever written or read back.
#include "kernels/conv_grid.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/cache.hpp"
#include "kernels/conv_grid_kernel.hpp"

namespace convlab {
namespace {

// K is cut into slices of at most KC rows: an MR x KC panel of W (21 KB) stays in L1 while the KC x NR
// panels of the input stream past it (as in gemm).
constexpr int64_t KC = 384;
static_assert(kGridWideRows * KC * int64_t(sizeof(float)) <= kL1Bytes * 3 / 4, "a panel of W fits in L1");
// Points per chunk of the weight gradient: kDotR runs of 512 floats (12 KB) stay in L1 while every tile of
// dy passes; the lane sums of a tile are loaded and stored once per chunk (6% of its 32 steps).
constexpr int64_t kDotChunk = 512;
static_assert(kDotR * kDotChunk * int64_t(sizeof(float)) <= kL1Bytes / 2, "a chunk of runs fits in L1");

// Slices of equal length (rounded to 16), not KC, KC, ..., leftover: a function of K alone.
int64_t k_slice(int64_t K) {
    const int64_t slices = (K + KC - 1) / KC;
    return std::min(KC, ((K + slices - 1) / slices + 15) / 16 * 16);
}

// Calls row(P, z, y, first, last) for each row of the padded grid (the N_W points of one (z, y)) that meets
// the points [P0, P1): its columns [first, last) are among them, P being the point at column `first`.
// One division at the start, then a walk (a division per row cost 3 cycles per value on 28-wide rows).
template <typename Row>
void for_each_row(const ConvGrid& grid, int64_t P0, int64_t P1, Row row) {
    const int64_t N_H = grid.padded[1], N_W = grid.padded[2];
    int64_t z = P0 / (N_H * N_W), y = P0 / N_W % N_H, first = P0 % N_W;
    for (int64_t P = P0; P < P1; first = 0) {
        const int64_t last = std::min(N_W, first + (P1 - P));
        row(P, z, y, first, last);
        P += last - first;
        if (++y == N_H) y = 0, ++z;
    }
}

// Calls run(P, l, len) for each run of real filter positions among the points [P0, P1): the points
// P .. P+len-1 are the positions l .. l+len-1.
template <typename Run>
void for_each_run(const ConvGrid& grid, int64_t P0, int64_t P1, Run run) {
    const ConvGeometry& g = grid.g;
    for_each_row(grid, P0, P1, [&](int64_t P, int64_t z, int64_t y, int64_t first, int64_t last) {
        if (y < g.out[1] && first < g.out[2])
            run(P, (z * g.out[1] + y) * g.out[2] + first, std::min(last, g.out[2]) - first);
    });
}

}  // namespace

bool ConvGrid::padded_copy() const {
    return g.p[0] != 0 || g.p[1] != 0 || g.p[2] != 0;
}

std::vector<int64_t> ConvGrid::offsets(int64_t channel_stride) const {
    const int64_t N_H = padded[1], N_W = padded[2];
    std::vector<int64_t> offset;
    for (int64_t c = 0; c < g.n_C; ++c)
        for (int64_t u = 0; u < g.f[0]; ++u)
            for (int64_t v = 0; v < g.f[1]; ++v)
                for (int64_t w = 0; w < g.f[2]; ++w)
                    offset.push_back(c * channel_stride + (u * g.d[0] * N_H + v * g.d[1]) * N_W + w * g.d[2]);
    return offset;
}

bool grid_applies(const ConvGeometry& g) { return g.s[0] == 1 && g.s[1] == 1 && g.s[2] == 1; }

ConvGrid conv_grid(const ConvGeometry& g) {
    check(grid_applies(g), "conv_grid: the padded grid needs stride 1 along every dim");
    ConvGrid grid{g, {}, 0, 0, 0};
    for (int a = 0; a < 3; ++a) grid.padded[a] = g.n[a] + 2 * g.p[a];
    const int64_t N_H = grid.padded[1], N_W = grid.padded[2];
    grid.plane = grid.padded[0] * N_H * N_W;
    grid.points = ((g.out[0] - 1) * N_H + g.out[1] - 1) * N_W + g.out[2];
    grid.reach = ((g.f[0] - 1) * g.d[0] * N_H + (g.f[1] - 1) * g.d[1]) * N_W + (g.f[2] - 1) * g.d[2];
    return grid;
}

// Row by row of x_pad (a row: the N_W points of one (c, z, y)): the part of a row of x between its padding,
// or zeros.
void grid_window(const float* x, const ConvGrid& grid, int64_t P0, int64_t length, float* window, int64_t stride) {
    const ConvGeometry& g = grid.g;
    parallel_for(g.n_C, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c)
            for_each_row(grid, P0, P0 + length, [&](int64_t P, int64_t z_pad, int64_t y_pad, int64_t first,
                                                    int64_t last) {
                const int64_t z = z_pad - g.p[0], y = y_pad - g.p[1];
                float* dst = window + c * stride + (P - P0);  // the point at column `first`
                const bool row_inside = z >= 0 && z < g.n[0] && y >= 0 && y < g.n[1];
                const int64_t a = row_inside ? std::clamp(g.p[2], first, last) : last;  // x's part: [a, b)
                const int64_t b = row_inside ? std::clamp(g.p[2] + g.n[2], a, last) : last;
                std::fill(dst, dst + (a - first), 0.0f);
                if (a < b) {
                    const float* src = x + ((c * g.n[0] + z) * g.n[1] + y) * g.n[2];  // column col is src[col - p]
                    std::copy(src + (a - g.p[2]), src + (b - g.p[2]), dst + (a - first));
                }
                std::fill(dst + (b - first), dst + (last - first), 0.0f);
            });
    }, std::max<int64_t>(1, kTaskGrain / length));
}

void grid_columns(const float* x, const int64_t* offset, int64_t K, int64_t n, float* cols) {
    parallel_for(K, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) std::copy(x + offset[r], x + offset[r] + n, cols + r * n);
    }, std::max<int64_t>(1, kTaskGrain / n));
}

namespace {

// Row groups of W and the tile they use: W with 9 to 16 rows is one group on the narrow tile; otherwise
// ceil(C_out / kGridWideRows) groups of nearly equal size on the wide tile (so 30 rows go as 10 + 10 + 10,
// not 14 + 14 + 2: a tile of 2 rows has too few accumulators to hide the latency of its multiply-adds).
struct RowGroups {
    int64_t C_out;
    bool narrow;
    int64_t count, width;
    explicit RowGroups(int64_t c)
        : C_out(c), narrow(c > 8 && c <= kGridPanelRows), count(narrow ? 1 : (c + kGridWideRows - 1) / kGridWideRows),
          width(narrow ? kGridNarrow : kGridWide) {}
    int64_t begin(int64_t group) const { return C_out * group / count; }
};

}  // namespace

// Slice after slice (pc = 0, s, 2s, ...), one kGridPanelRows x kc panel per row group: slice pc starts at
// pc * groups * kGridPanelRows, the panel of group gi at gi * kGridPanelRows * kc after that, and
// panel[k * kGridPanelRows + i] = W[i0 + i, pc + k].
Tensor grid_pack_weights(const float* W, int64_t C_out, int64_t K) {
    const RowGroups groups(C_out);
    const int64_t slice = k_slice(K), panel_rows = kGridPanelRows;
    Tensor packed = Tensor::empty({groups.count * panel_rows * K});
    float* out = packed.data();
    parallel_for(groups.count, [&](int64_t g0, int64_t g1) {
        for (int64_t pc = 0; pc < K; pc += slice) {
            const int64_t kc = std::min(slice, K - pc);
            for (int64_t gi = g0; gi < g1; ++gi) {
                float* panel = out + (pc * groups.count + gi * kc) * panel_rows;
                const int64_t i0 = groups.begin(gi), mc = groups.begin(gi + 1) - i0;
                for (int64_t k = 0; k < kc; ++k)
                    for (int64_t i = 0; i < mc; ++i) panel[k * panel_rows + i] = W[(i0 + i) * K + pc + k];
            }
        }
    });
    return packed;
}

// Threads take column panels of y (`width` points each, the row groups' tile width) and compute them for
// every row group of W, slice after slice, so every value is one chain of sums over the same slices. A
// whole panel reads x in place; the last, partial one of the block is copied out with zeros (its runs would
// read past the last point) and computed into a full-width scratch tile (y may end there).
void grid_forward_block(const float* packed_W, int64_t C_out, const float* x, const int64_t* offsets, int64_t K,
                        int64_t n, float* y, int64_t ldy) {
    const RowGroups groups(C_out);
    const int W = static_cast<int>(groups.width);
    const int64_t panels = (n + W - 1) / W, whole = n / W, slice = k_slice(K), left = n - whole * W;
    const int64_t panel_rows = kGridPanelRows;
    check(ldy >= n, "grid_forward_block: ldy = ", ldy, " is less than the block's ", n, " points");
    std::vector<int64_t> packed_offsets(static_cast<size_t>(slice));  // row k of a packed panel: k * W
    for (int64_t k = 0; k < slice; ++k) packed_offsets[k] = k * W;
    parallel_for(panels, [&](int64_t q0, int64_t q1) {
        Tensor last_panel_buffer = q1 > whole ? Tensor::empty({slice * W}) : Tensor();
        float* last_panel = last_panel_buffer.defined() ? last_panel_buffer.data() : nullptr;
        for (int64_t pc = 0; pc < K; pc += slice) {
            const int64_t kc = std::min(slice, K - pc);
            const int64_t* offset = offsets + pc;
            const float* a = packed_W + pc * groups.count * panel_rows;  // this slice's panels, kc apart
            const float beta = pc == 0 ? 0.0f : 1.0f;                    // later slices add to the first one's
            // Panel by panel: its kc runs (a few tens of KB) stay in L1 while every row group of W passes.
            for (int64_t q = q0; q < std::min(q1, whole); ++q)
                for (int64_t gi = 0; gi < groups.count; ++gi) {
                    const int64_t i0 = groups.begin(gi);
                    grid_micro_kernel(static_cast<int>(groups.begin(gi + 1) - i0), W, kc, a + gi * kc * panel_rows,
                                      x + q * W, offset, y + i0 * ldy + q * W, ldy, beta);
                }
            if (last_panel == nullptr) continue;
            for (int64_t k = 0; k < kc; ++k) {
                const float* src = x + whole * W + offset[k];
                for (int64_t j = 0; j < W; ++j) last_panel[k * W + j] = j < left ? src[j] : 0.0f;
            }
            for (int64_t gi = 0; gi < groups.count; ++gi) {
                const int64_t i0 = groups.begin(gi);
                const int rows = static_cast<int>(groups.begin(gi + 1) - i0);
                float* c = y + i0 * ldy + whole * W;
                alignas(64) float scratch[kGridPanelRows * kGridWide];
                for (int r = 0; r < rows; ++r) std::copy(c + r * ldy, c + r * ldy + left, scratch + r * W);
                grid_micro_kernel(rows, W, kc, a + gi * kc * panel_rows, last_panel, packed_offsets.data(), scratch, W,
                                  beta);
                for (int r = 0; r < rows; ++r) std::copy(scratch + r * W, scratch + r * W + left, c + r * ldy);
            }
        }
    });
}

// Threads take tiles of kDotR rows of cols. For each, the points are taken kDotChunk at a time, and each
// chunk's runs of the input (kDotR of them) meet every tile of kDotO rows of dy while they are in L1. The
// lane sums stay in `lanes` from chunk to chunk; at the end each pair's kLanes lanes are added in order,
// then the points left over (fewer than kLanes), one by one.
void grid_weight_block(const float* dy, int64_t ldy, int64_t C_out, const float* x, const int64_t* offsets, int64_t K,
                       int64_t n, float beta, float* dW) {
    const int64_t vector_part = n / kLanes * kLanes;
    const int64_t o_tiles = (C_out + kDotO - 1) / kDotO, r_tiles = (K + kDotR - 1) / kDotR;
    parallel_for(r_tiles, [&](int64_t t0, int64_t t1) {
        Tensor lanes_buffer = Tensor::empty({o_tiles * kDotO * kDotR * kLanes});
        float* lanes = lanes_buffer.data();
        for (int64_t rt = t0; rt < t1; ++rt) {
            // rows past K (and below, outputs past C_out) repeat the last one: computed, never stored
            int64_t offset[kDotR];
            for (int r = 0; r < kDotR; ++r) offset[r] = offsets[std::min(K - 1, rt * kDotR + r)];
            std::fill(lanes, lanes + o_tiles * kDotO * kDotR * kLanes, 0.0f);
            for (int64_t c0 = 0; c0 < vector_part; c0 += kDotChunk) {
                const int64_t c1 = std::min(vector_part, c0 + kDotChunk);
                for (int64_t ot = 0; ot < o_tiles; ++ot) {
                    const float* rows[kDotO];
                    for (int o = 0; o < kDotO; ++o) rows[o] = dy + std::min(C_out - 1, ot * kDotO + o) * ldy + c0;
                    grid_dot_kernel(c1 - c0, rows, x + c0, offset, lanes + ot * kDotO * kDotR * kLanes);
                }
            }
            for (int64_t o = 0; o < C_out; ++o)
                for (int64_t r = rt * kDotR; r < std::min(K, (rt + 1) * kDotR); ++r) {
                    const float* lane = lanes + (o * kDotR + r - rt * kDotR) * kLanes;
                    float s = 0.0f;
                    for (int t = 0; t < kLanes; ++t) s += lane[t];
                    for (int64_t P = vector_part; P < n; ++P) s += dy[o * ldy + P] * x[offsets[r] + P];
                    dW[o * K + r] = beta == 0.0f ? s : s + beta * dW[o * K + r];
                }
        }
    });
}

void grid_to_positions(const float* y, int64_t ldy, int64_t C_out, const ConvGrid& grid, int64_t P0, int64_t P1,
                       const float* b, float* Y) {
    const int64_t L = grid.g.out_numel();
    for (int64_t o = 0; o < C_out; ++o) {
        const float bias = b != nullptr ? b[o] : 0.0f;
        const float* y_o = y + o * ldy;
        float* Y_o = Y + o * L;
        for_each_run(grid, P0, P1, [&](int64_t P, int64_t l, int64_t len) {
            for (int64_t t = 0; t < len; ++t) Y_o[l + t] = y_o[P - P0 + t] + bias;
        });
    }
}

void grid_from_positions(const float* Y, int64_t C_out, const ConvGrid& grid, int64_t P0, int64_t P1, float* y,
                         int64_t ldy) {
    const int64_t L = grid.g.out_numel();
    for (int64_t o = 0; o < C_out; ++o) {
        float* y_o = y + o * ldy;
        std::fill(y_o, y_o + (P1 - P0), 0.0f);
        for_each_run(grid, P0, P1, [&](int64_t P, int64_t l, int64_t len) {
            std::copy(Y + o * L + l, Y + o * L + l + len, y_o + (P - P0));
        });
    }
}

}  // namespace convlab
