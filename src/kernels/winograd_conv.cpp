// src/kernels/winograd_conv.cpp
//
// The tasks of the Winograd convolution (see winograd_conv.hpp): one sample and a run of tile layers each.
// Their number and boundaries depend on the sizes only, and each task's sums run in a fixed order, so the
// results are the same bits for any thread count.
#include "kernels/winograd_conv.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "kernels/conv_tasks.hpp"
#include "kernels/winograd.hpp"

namespace convlab {
namespace {

// V and M (or dM) of a block of tiles: 512 KB stays in a core's L2 (2 MB here) beside the window.
constexpr int64_t kBlockBytes = int64_t(1) << 19;
// Tiles per block: a multiple of the product's row tile (14 rows), before the blocks are evened out.
constexpr int64_t kBlockUnit = 14;
// The window of a task, channels last: up to 1 MB, so that it too stays in L2 while its tiles are taken.
constexpr int64_t kWindowBytes = int64_t(1) << 20;
// Tasks per call (samples times runs of layers), when there are enough tile layers: a few per thread, for
// the threads to even out. Beyond that, runs are as long as the window allows: each run's window reads two
// layers of input more than its own.
constexpr int64_t kMinTasks = 8;
// Whether Winograd pays: an output position costs 27 C_in C_out multiply-adds on the grid; with Winograd
// 8 Cp_in Cp_out (a tile's 64 products per channel pair, over its 8 positions, channels padded to whole
// vectors) plus its transforms and transposes, about kTransformCost per padded channel in or out. (Fitted to
// one-thread times, 2 x C x 24^3 with padding 1, C from 8 to 64: 8 -> 8 channels 1.4 ms on the grid against
// 2.5 ms; 8 -> 16 a tie; 16 -> 16 4.4 against 2.2; 24 -> 24 8.9 against 6.3.)
constexpr int64_t kTransformCost = 48;

// The sizes of one call: tiles, channels padded to vectors, windows, tasks.
struct Plan {
    int64_t C, O, Cp, Op;
    int64_t T[3];           // tiles along D, H, W
    int64_t H_in, W_in;     // input window: rows and columns of its layers (2 T + 2: tiles overlap by 2)
    int64_t H_out, W_out;   // dY window: 2 T (tiles do not overlap)
    int64_t groups;         // runs of tile layers per sample
    int64_t block;          // tiles per block

    Plan(const ConvGeometry& g, int64_t N, int64_t C_out, bool with_dY)
        : C(g.n_C), O(C_out), Cp(winograd_padded(g.n_C)), Op(winograd_padded(C_out)) {
        for (int a = 0; a < 3; ++a) T[a] = (g.out[a] + 1) / 2;
        H_in = 2 * T[1] + 2, W_in = 2 * T[2] + 2, H_out = 2 * T[1], W_out = 2 * T[2];
        const int64_t layer_floats = 2 * (H_in * W_in * Cp + (with_dY ? H_out * W_out * Op : 0));
        const int64_t layer_bytes = int64_t(sizeof(float)) * layer_floats;
        const int64_t max_layers = std::max<int64_t>(1, kWindowBytes / layer_bytes - 1);
        const int64_t wanted = (kMinTasks + N - 1) / std::max<int64_t>(N, 1);  // runs per sample (N may be 0)
        groups = std::min(T[0], std::max((T[0] + max_layers - 1) / max_layers, wanted));
        const int64_t tile_bytes = int64_t(sizeof(float)) * kWinogradTileFloats * (Cp + Op) / kWinogradLanes;
        block = std::max(kBlockUnit, kBlockBytes / tile_bytes / kBlockUnit * kBlockUnit);
    }
    int64_t layer_begin(int64_t q) const { return T[0] * q / groups; }
    int64_t max_layers() const { return (T[0] + groups - 1) / groups; }
    int64_t input_window_floats() const { return (2 * max_layers() + 2) * H_in * W_in * Cp; }
    int64_t dY_window_floats() const { return 2 * max_layers() * H_out * W_out * Op; }
    // V, M or dM of a block: its chunks (of 16 channels) this far apart
    int64_t block_chunk() const { return block * kWinogradTileFloats; }
};

// Calls fn(first, count) for runs of 16 points covering [0, n): when n >= 16, the last run is moved back to
// end at n (it repeats a few points, with the same values) so that every run is whole (a partial 16 x 16
// transpose costs 3x a whole one); else one run of n.
template <typename Fn>
void for_each_16(int64_t n, Fn fn) {
    if (n < kWinogradLanes) return fn(0, int(n));
    for (int64_t first = 0; first < n; first += kWinogradLanes) fn(std::min(first, n - kWinogradLanes), kWinogradLanes);
}

// win[c / 16][zz][y][x][c % 16] = src[c, z0 + zz - p0, y - p1, x - p2] where that lies inside src (C, n0, n1,
// n2), else 0: the window, channels last and padded, of Z layers (H x W) from padded layer z0, Cp channels.
// Each row of the window is filled 16 channels x 16 columns at a time, and only its padding with zeros.
void channels_last_window(const float* src, int64_t C, const int64_t* n, const int64_t* p, int64_t z0, int64_t Z,
                          int64_t H, int64_t W, int64_t Cp, float* win) {
    const int64_t chunk = Z * H * W * kWinogradLanes, row_floats = W * kWinogradLanes;
    const int64_t channel = n[0] * n[1] * n[2], x1 = std::min(n[2], W - p[2]);
    for (int64_t zz = 0; zz < Z; ++zz)
        for (int64_t y = 0; y < H; ++y) {
            const int64_t z_in = z0 + zz - p[0], y_in = y - p[1];
            const bool inside = z_in >= 0 && z_in < n[0] && y_in >= 0 && y_in < n[1];
            for (int64_t c = 0; c < Cp; c += kWinogradLanes) {
                float* dst = win + c / kWinogradLanes * chunk + (zz * H + y) * row_floats;
                if (!inside) {
                    std::fill(dst, dst + row_floats, 0.0f);
                    continue;
                }
                std::fill(dst, dst + p[2] * kWinogradLanes, 0.0f);
                std::fill(dst + (p[2] + x1) * kWinogradLanes, dst + row_floats, 0.0f);
                const float* row = src + (c * n[0] + z_in) * n[1] * n[2] + y_in * n[2];  // channel c's row
                for_each_16(x1, [&](int64_t x, int points) {
                    winograd_to_lanes(row + x, channel, int(std::min<int64_t>(kWinogradLanes, C - c)), points,
                                      dst + (p[2] + x) * kWinogradLanes);
                });
            }
        }
}

// Calls fn(t, lz, ty, tx) for the tiles t0 .. t1-1 of a run of layers (t = (lz * T_H + ty) * T_W + tx).
template <typename Fn>
void for_each_tile(const Plan& plan, int64_t t0, int64_t t1, Fn fn) {
    for (int64_t t = t0; t < t1; ++t) {
        const int64_t tx = t % plan.T[2], rest = t / plan.T[2];
        fn(t - t0, rest / plan.T[1], rest % plan.T[1], tx);
    }
}

// Calls fn(t0, t1) for ceil(tiles / plan.block) blocks of nearly equal size covering [0, tiles) (a last
// block of a tile or two would run the product tiles on one or two rows).
template <typename Fn>
void for_each_block(const Plan& plan, int64_t tiles, Fn fn) {
    const int64_t blocks = (tiles + plan.block - 1) / plan.block;
    for (int64_t b = 0; b < blocks; ++b) fn(tiles * b / blocks, tiles * (b + 1) / blocks);
}

// The input transform of a block's tiles t0 .. t1-1, from the task's window of `layers` tile layers.
void input_block(const Plan& plan, const float* win, int64_t layers, int64_t t0, int64_t t1, float* V) {
    const int64_t row = plan.W_in * kWinogradLanes, layer = plan.H_in * row, chunk = (2 * layers + 2) * layer;
    for_each_tile(plan, t0, t1, [&](int64_t t, int64_t lz, int64_t ty, int64_t tx) {
        winograd_input_tile(win + 2 * lz * layer + 2 * ty * row + 2 * tx * kWinogradLanes, layer, row, chunk,
                            plan.Cp / kWinogradLanes, V + t * kWinogradTileFloats, plan.block_chunk());
    });
}

void require_applies(const ConvGeometry& g) {
    check(winograd_applies(g), "winograd conv: needs 3D filters of 3 x 3 x 3 with stride 1 and dilation 1, got f = (",
          g.f[0], ", ", g.f[1], ", ", g.f[2], "), stride (", g.s[0], ", ", g.s[1], ", ", g.s[2], "), dilation (",
          g.d[0], ", ", g.d[1], ", ", g.d[2], ") over ", g.n_spatial, " spatial dims");
}

}  // namespace

bool winograd_applies(const ConvGeometry& g) {
    for (int a = 0; a < 3; ++a)
        if (g.f[a] != 3 || g.s[a] != 1 || g.d[a] != 1) return false;
    return g.n_spatial == 3;
}

bool winograd_pays(const ConvGeometry& g, int64_t C_out) {
    const int64_t Cp = winograd_padded(g.n_C), Op = winograd_padded(C_out);
    return winograd_applies(g) && 27 * g.n_C * C_out > 8 * Cp * Op + kTransformCost * (Cp + Op);
}

void winograd_conv_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                           const float* b, float* Y) {
    require_applies(g);
    const Plan plan(g, N, C_out, false);
    const Tensor U = winograd_filter_transform(W, C_out, g.n_C);
    const int64_t Cp = plan.Cp, Op = plan.Op, plane = g.out[1] * g.out[2];
    const int64_t chunks_out = Op / kWinogradLanes;
    std::vector<float> bias(static_cast<size_t>(Op), 0.0f);  // b padded to Op channels
    if (b != nullptr) std::copy(b, b + C_out, bias.begin());
    const int64_t window = plan.input_window_floats(), V_floats = Cp / kWinogradLanes * plan.block_chunk();
    const int64_t M_floats = Op / kWinogradLanes * plan.block_chunk();
    const int64_t stage_chunk = 2 * plan.max_layers() * plane * kWinogradLanes;
    const int64_t stage_floats = Op / kWinogradLanes * stage_chunk;
    const int64_t buffer_floats = window + V_floats + M_floats + stage_floats + 8 * Op;
    for_each_task(N * plan.groups, buffer_floats, [&](int64_t task, float* buffer) {
        const int64_t n = task / plan.groups, q = task % plan.groups;
        const int64_t tz0 = plan.layer_begin(q), layers = plan.layer_begin(q + 1) - tz0;
        float *win = buffer, *V = win + window, *M = V + V_floats, *stage = M + M_floats, *y = stage + stage_floats;
        channels_last_window(x + n * plan.C * g.in_numel(), plan.C, g.n, g.p, 2 * tz0, 2 * layers + 2, plan.H_in,
                             plan.W_in, Cp, win);
        const int64_t tiles = layers * plan.T[1] * plan.T[2];
        for_each_block(plan, tiles, [&](int64_t t0, int64_t t1) {
            input_block(plan, win, layers, t0, t1, V);
            for (int p = 0; p < kWinogradPoints; ++p)
                winograd_multiply(t1 - t0, Cp, Op, V + p * kWinogradLanes, plan.block_chunk(), U.data() + p * Cp * Op,
                                  M + p * kWinogradLanes);
            // Each tile's 8 outputs plus b into the stage (the task's output layers, channels last): straight
            // there when they all lie inside the output, else through y, as far as they do (odd sizes drop
            // the last ones).
            for_each_tile(plan, t0, t1, [&](int64_t t, int64_t lz, int64_t ty, int64_t tx) {
                const int64_t z0 = 2 * (tz0 + lz), r0 = 2 * ty, s0 = 2 * tx;
                float* out = stage + ((z0 - 2 * tz0) * plane + r0 * g.out[2] + s0) * kWinogradLanes;
                const int64_t sa = plane * kWinogradLanes, sb = g.out[2] * kWinogradLanes;
                if (z0 + 1 < g.out[0] && r0 + 1 < g.out[1] && s0 + 1 < g.out[2])
                    return winograd_output_tile(M + t * kWinogradTileFloats, plan.block_chunk(), chunks_out,
                                                bias.data(), out, sa, sb, stage_chunk);
                winograd_output_tile(M + t * kWinogradTileFloats, plan.block_chunk(), chunks_out, bias.data(), y,
                                     4 * kWinogradLanes, 2 * kWinogradLanes, 8 * kWinogradLanes);
                for (int i = 0; i < 2 && z0 + i < g.out[0]; ++i)
                    for (int j = 0; j < 2 && r0 + j < g.out[1]; ++j)
                        for (int k = 0; k < 2 && s0 + k < g.out[2]; ++k)
                            for (int64_t q = 0; q < chunks_out; ++q)
                                std::copy_n(y + (q * 8 + (i * 2 + j) * 2 + k) * kWinogradLanes, kWinogradLanes,
                                            out + i * sa + j * sb + k * kWinogradLanes + q * stage_chunk);
            });
        });
        // The stage into Y, channels first, 16 positions x 16 channels at a time.
        const int64_t z1 = std::min(g.out[0], 2 * (tz0 + layers)), L = g.out_numel();
        for (int64_t z = 2 * tz0; z < z1; ++z)
            for (int64_t c = 0; c < C_out; c += kWinogradLanes) {
                const float* from = stage + c / kWinogradLanes * stage_chunk + (z - 2 * tz0) * plane * kWinogradLanes;
                float* to = Y + (n * C_out + c) * L + z * plane;
                for_each_16(plane, [&](int64_t l, int points) {
                    winograd_from_lanes(from + l * kWinogradLanes, points,
                                        int(std::min<int64_t>(kWinogradLanes, C_out - c)), to + l, L);
                });
            }
    });
}

Tensor winograd_conv_backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g,
                                     int64_t C_out) {
    require_applies(g);
    const Plan plan(g, N, C_out, true);
    const int64_t Cp = plan.Cp, Op = plan.Op;
    const int64_t window = plan.input_window_floats(), dY_window = plan.dY_window_floats();
    const int64_t V_floats = Cp / kWinogradLanes * plan.block_chunk();
    const int64_t dM_floats = Op / kWinogradLanes * plan.block_chunk();
    const int64_t zero[3] = {0, 0, 0};
    const Tensor dU = sum_of_steps(kWinogradPoints * Cp, Op, N * plan.groups, window + dY_window + V_floats + dM_floats,
                                   [&](int64_t step, float* buffer, float beta, float* sum) {
        const int64_t n = step / plan.groups, q = step % plan.groups;
        const int64_t tz0 = plan.layer_begin(q), layers = plan.layer_begin(q + 1) - tz0;
        float *win = buffer, *dwin = win + window, *V = dwin + dY_window, *dM = V + V_floats;
        channels_last_window(x + n * plan.C * g.in_numel(), plan.C, g.n, g.p, 2 * tz0, 2 * layers + 2, plan.H_in,
                             plan.W_in, Cp, win);
        channels_last_window(dY + n * C_out * g.out_numel(), C_out, g.out, zero, 2 * tz0, 2 * layers, plan.H_out,
                             plan.W_out, Op, dwin);
        const int64_t row = plan.W_out * kWinogradLanes, layer = plan.H_out * row, chunk = 2 * layers * layer;
        const int64_t tiles = layers * plan.T[1] * plan.T[2];
        for_each_block(plan, tiles, [&](int64_t t0, int64_t t1) {
            input_block(plan, win, layers, t0, t1, V);
            for_each_tile(plan, t0, t1, [&](int64_t t, int64_t lz, int64_t ty, int64_t tx) {
                winograd_output_tile_backward(dwin + 2 * lz * layer + 2 * ty * row + 2 * tx * kWinogradLanes, layer,
                                              row, chunk, Op / kWinogradLanes, dM + t * kWinogradTileFloats,
                                              plan.block_chunk());
            });
            for (int p = 0; p < kWinogradPoints; ++p)
                winograd_multiply_backward(t1 - t0, Cp, Op, V + p * kWinogradLanes, dM + p * kWinogradLanes,
                                           plan.block_chunk(), sum + p * Cp * Op, beta != 0.0f || t0 > 0);
        });
    });
    Tensor dW = Tensor::empty({C_out, plan.C, 3, 3, 3});
    winograd_filter_transform_backward(dU.data(), C_out, plan.C, dW.data());
    return dW;
}

}  // namespace convlab
