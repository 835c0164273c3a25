// src/kernels/winograd_conv.cpp
//
// The tasks of the Winograd convolution (see winograd_conv.hpp): one sample and a run of tile layers each.
// Their number and boundaries depend on the sizes only, and each task's sums run in a fixed order, so the
// results are the same bits for any thread count.
#include "kernels/winograd_conv.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "kernels/cache.hpp"
#include "kernels/conv_tasks.hpp"
#include "kernels/winograd.hpp"

namespace convlab {
namespace {

// V and M (or dM) of a block of tiles: kBlockBytes (kernels/cache.hpp), in L2 beside the window.
// Tiles per block: a multiple of the product's row tile (14 rows), before the blocks are evened out.
constexpr int64_t kBlockUnit = 14;
// The window of a task, channels last: up to half of L2, so that it too stays there while its tiles are taken.
constexpr int64_t kWindowBytes = kL2Bytes / 2;
// Tasks per call (samples times runs of layers), when there are enough tile layers: a few per thread, for
// the threads to even out. Beyond that, runs are as long as the window allows: each run's window reads two
// layers of input more than its own.
constexpr int64_t kMinTasks = 8;
// Whether Winograd pays (winograd_pays), in multiply-adds. A position costs 3^rank C_in C_out on the grid (27
// or 9 taps); with Winograd 2^rank Cp_in Cp_out (a tile's 4^rank products per channel pair over its 2^rank
// positions, channels padded to whole vectors) plus its transforms and transposes, about kTransformCost per
// padded channel in or out. Per call, U (4^rank Cp_in Cp_out floats) costs kFilterCost an entry to compute,
// and kPassCost an entry each time a block of tiles reads it from beyond L2 (U over kUCacheBytes); the
// weight gradient's blocks read and write dU and the partial sums, kWeightPassCost an entry, at any size.
// The costs were fitted to one-thread times of the grid against Winograd (each the best of 5, the two
// alternated) on 3D shapes (8 to 24 channels at 24^3) and 42 2D ones (8 to 512 channels, 8^2 to 256^2:
// VGG's layers, the face CNN's, small ones); tests/bench/speed.cpp times such layers.
constexpr int64_t kTransformCost = 48;               // a position, per padded channel in or out
constexpr int64_t kFilterCost = 20;                  // an entry of U, once a call (W read across, U written)
constexpr int64_t kPassCost = 8;                     // an entry of U, per block, when U is over kUCacheBytes
constexpr int64_t kUCacheBytes = kL2Bytes / 2;       // U up to this stays in L2 beside V, M, window
constexpr int64_t kWeightPassCost = 12;              // an entry of dU, per block: read and written

// The sizes of one call: tiles, channels padded to vectors, windows, tasks. They are kept along (z, y, x):
// (D, H, W) in 3D; in 2D (H, 1, W), x (C, H, W) read as (C, H, 1, W), so that a layer is one row of the
// image, and its tiles have one point along y (no transform there) and 16 in all.
struct Plan {
    int rank, points;       // rank 2 or 3: 16 or 64 points a tile
    int64_t C, O, Cp, Op;
    int64_t n[3], p[3], out[3];  // input, padding and output along (z, y, x)
    int64_t ty;             // a tile's outputs along y: 2 in 3D, 1 in 2D (its inputs: 4, or 1)
    int64_t T[3];           // tiles along z, y, x
    int64_t H_in, W_in;     // input window: rows and columns of its layers (tiles overlap by 2 where tiled)
    int64_t H_out, W_out;   // dY window: ty T_y by 2 T_x (tiles do not overlap)
    int64_t groups;         // runs of tile layers per sample
    int64_t block;          // tiles per block

    Plan(const ConvGeometry& g, int64_t N, int64_t C_out, bool with_dY)
        : rank(g.n_spatial), points(winograd_points(g.n_spatial)), C(g.n_C), O(C_out), Cp(winograd_padded(g.n_C)),
          Op(winograd_padded(C_out)), ty(rank == 3 ? 2 : 1) {
        // g's dim (lifted to D, H, W) that each of z, y, x is: the same in 3D; (H, D, W) in 2D, D of size 1
        const int from[3] = {3 - rank, rank - 2, 2};
        for (int a = 0; a < 3; ++a) n[a] = g.n[from[a]], p[a] = g.p[from[a]], out[a] = g.out[from[a]];
        T[0] = (out[0] + 1) / 2, T[1] = (out[1] + ty - 1) / ty, T[2] = (out[2] + 1) / 2;
        H_in = ty * T[1] + (rank == 3 ? 2 : 0), W_in = 2 * T[2] + 2, H_out = ty * T[1], W_out = 2 * T[2];
        const int64_t layer_floats = 2 * (H_in * W_in * Cp + (with_dY ? H_out * W_out * Op : 0));
        const int64_t layer_bytes = int64_t(sizeof(float)) * layer_floats;
        const int64_t max_layers = std::max<int64_t>(1, kWindowBytes / layer_bytes - 1);
        const int64_t wanted = (kMinTasks + N - 1) / std::max<int64_t>(N, 1);  // runs per sample (N may be 0)
        groups = std::min(T[0], std::max((T[0] + max_layers - 1) / max_layers, wanted));
        const int64_t tile_bytes = int64_t(sizeof(float)) * winograd_tile_floats(rank) * (Cp + Op) / kWinogradLanes;
        block = std::max(kBlockUnit, kBlockBytes / tile_bytes / kBlockUnit * kBlockUnit);
    }
    int64_t layer_begin(int64_t q) const { return T[0] * q / groups; }
    // Blocks of a sample (for_each_block over each run of layers): each reads U, or adds into dU.
    int64_t blocks_per_sample() const {
        int64_t count = 0;
        for (int64_t q = 0; q < groups; ++q)
            count += ((layer_begin(q + 1) - layer_begin(q)) * T[1] * T[2] + block - 1) / block;
        return count;
    }
    int64_t max_layers() const { return (T[0] + groups - 1) / groups; }
    int64_t input_window_floats() const { return (2 * max_layers() + 2) * H_in * W_in * Cp; }
    int64_t dY_window_floats() const { return 2 * max_layers() * H_out * W_out * Op; }
    int64_t tile_floats() const { return winograd_tile_floats(rank); }
    // V, M or dM of a block: its chunks (of 16 channels) this far apart
    int64_t block_chunk() const { return block * tile_floats(); }
    // The first point of tile (lz, ty', tx) of a window whose rows are `row` floats apart, its layers `layer`
    int64_t tile_offset(int64_t lz, int64_t tyy, int64_t tx, int64_t row, int64_t layer) const {
        return 2 * lz * layer + ty * tyy * row + 2 * tx * kWinogradLanes;
    }
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
    const int64_t row = plan.W_in * kWinogradLanes, layer = plan.H_in * row;
    const int64_t chunk = (2 * layers + 2) * layer;
    for_each_tile(plan, t0, t1, [&](int64_t t, int64_t lz, int64_t ty, int64_t tx) {
        winograd_input_tile(plan.rank, win + plan.tile_offset(lz, ty, tx, row, layer), layer, row, chunk,
                            plan.Cp / kWinogradLanes, V + t * plan.tile_floats(), plan.block_chunk());
    });
}

void require_applies(const ConvGeometry& g) {
    check(winograd_applies(g), "winograd conv: needs 2D or 3D filters of 3 x 3 (x 3) with stride 1 and dilation 1, ",
          "got f = (", g.f[0], ", ", g.f[1], ", ", g.f[2], "), stride (", g.s[0], ", ", g.s[1], ", ", g.s[2],
          "), dilation (", g.d[0], ", ", g.d[1], ", ", g.d[2], ") over ", g.n_spatial, " spatial dims");
}

}  // namespace

bool winograd_applies(const ConvGeometry& g) {
    if (g.n_spatial < 2) return false;
    for (int a = 3 - g.n_spatial; a < 3; ++a)
        if (g.f[a] != 3 || g.s[a] != 1 || g.d[a] != 1) return false;
    return true;
}

bool winograd_pays(const ConvGeometry& g, int64_t N, int64_t C_out, bool weight_gradient) {
    if (!winograd_applies(g)) return false;
    const Plan plan(g, std::max<int64_t>(N, 1), C_out, weight_gradient);  // an empty batch: as one sample
    const int64_t positions = std::max<int64_t>(N, 1) * g.out_numel(), U = plan.points * plan.Cp * plan.Op;
    const int64_t passes = std::max<int64_t>(N, 1) * plan.blocks_per_sample();
    const bool U_beyond_L2 = int64_t(sizeof(float)) * U > kUCacheBytes;
    const int64_t pass_cost = weight_gradient ? kWeightPassCost : U_beyond_L2 ? kPassCost : 0;
    const int64_t grid = g.kernel_numel() * g.n_C * C_out * positions;
    const int64_t winograd = (int64_t(1) << plan.rank) * plan.Cp * plan.Op * positions +
                             kTransformCost * (plan.Cp + plan.Op) * positions + (kFilterCost + pass_cost * passes) * U;
    return grid > winograd;
}

void winograd_conv_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                           const float* b, float* Y) {
    require_applies(g);
    const Plan plan(g, N, C_out, false);
    const Tensor U = winograd_filter_transform(plan.rank, W, C_out, g.n_C);
    const int64_t Cp = plan.Cp, Op = plan.Op, plane = plan.out[1] * plan.out[2], ty = plan.ty;
    const int64_t chunks_out = Op / kWinogradLanes, tile = plan.tile_floats();
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
        channels_last_window(x + n * plan.C * g.in_numel(), plan.C, plan.n, plan.p, 2 * tz0, 2 * layers + 2,
                             plan.H_in, plan.W_in, Cp, win);
        const int64_t tiles = layers * plan.T[1] * plan.T[2];
        for_each_block(plan, tiles, [&](int64_t t0, int64_t t1) {
            input_block(plan, win, layers, t0, t1, V);
            for (int p = 0; p < plan.points; ++p)
                winograd_multiply(plan.rank, t1 - t0, Cp, Op, V + p * kWinogradLanes, plan.block_chunk(),
                                  U.data() + p * Cp * Op, M + p * kWinogradLanes);
            // Each tile's 2 x ty x 2 outputs plus b into the stage (the task's output layers, channels last):
            // straight there when they all lie inside the output, else through y, as far as they do (odd sizes
            // drop the last ones).
            for_each_tile(plan, t0, t1, [&](int64_t t, int64_t lz, int64_t tyy, int64_t tx) {
                const int64_t z0 = 2 * (tz0 + lz), r0 = ty * tyy, s0 = 2 * tx;
                float* out = stage + ((z0 - 2 * tz0) * plane + r0 * plan.out[2] + s0) * kWinogradLanes;
                const int64_t sa = plane * kWinogradLanes, sb = plan.out[2] * kWinogradLanes;
                if (z0 + 1 < plan.out[0] && r0 + ty - 1 < plan.out[1] && s0 + 1 < plan.out[2])
                    return winograd_output_tile(plan.rank, M + t * tile, plan.block_chunk(), chunks_out, bias.data(),
                                                out, sa, sb, stage_chunk);
                winograd_output_tile(plan.rank, M + t * tile, plan.block_chunk(), chunks_out, bias.data(), y,
                                     2 * ty * kWinogradLanes, 2 * kWinogradLanes, 4 * ty * kWinogradLanes);
                for (int i = 0; i < 2 && z0 + i < plan.out[0]; ++i)
                    for (int j = 0; j < ty && r0 + j < plan.out[1]; ++j)
                        for (int k = 0; k < 2 && s0 + k < plan.out[2]; ++k)
                            for (int64_t q = 0; q < chunks_out; ++q)
                                std::copy_n(y + (q * 4 * ty + (i * ty + j) * 2 + k) * kWinogradLanes, kWinogradLanes,
                                            out + i * sa + j * sb + k * kWinogradLanes + q * stage_chunk);
            });
        });
        // The stage into Y, channels first, 16 positions x 16 channels at a time.
        const int64_t z1 = std::min(plan.out[0], 2 * (tz0 + layers)), L = g.out_numel();
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
    const Tensor dU = sum_of_steps(plan.points * Cp, Op, N * plan.groups, window + dY_window + V_floats + dM_floats,
                                   [&](int64_t step, float* buffer, float beta, float* sum) {
        const int64_t n = step / plan.groups, q = step % plan.groups;
        const int64_t tz0 = plan.layer_begin(q), layers = plan.layer_begin(q + 1) - tz0;
        float *win = buffer, *dwin = win + window, *V = dwin + dY_window, *dM = V + V_floats;
        channels_last_window(x + n * plan.C * g.in_numel(), plan.C, plan.n, plan.p, 2 * tz0, 2 * layers + 2,
                             plan.H_in, plan.W_in, Cp, win);
        channels_last_window(dY + n * C_out * g.out_numel(), C_out, plan.out, zero, 2 * tz0, 2 * layers, plan.H_out,
                             plan.W_out, Op, dwin);
        const int64_t row = plan.W_out * kWinogradLanes, layer = plan.H_out * row, chunk = 2 * layers * layer;
        const int64_t tiles = layers * plan.T[1] * plan.T[2];
        for_each_block(plan, tiles, [&](int64_t t0, int64_t t1) {
            input_block(plan, win, layers, t0, t1, V);
            for_each_tile(plan, t0, t1, [&](int64_t t, int64_t lz, int64_t ty, int64_t tx) {
                winograd_output_tile_backward(plan.rank, dwin + plan.tile_offset(lz, ty, tx, row, layer), layer, row,
                                              chunk, Op / kWinogradLanes, dM + t * plan.tile_floats(),
                                              plan.block_chunk());
            });
            for (int p = 0; p < plan.points; ++p)
                winograd_multiply_backward(plan.rank, t1 - t0, Cp, Op, V + p * kWinogradLanes, dM + p * kWinogradLanes,
                                           plan.block_chunk(), sum + p * Cp * Op, beta != 0.0f || t0 > 0);
        });
    });
    Shape shape{C_out, plan.C, 3, 3, 3};
    shape.resize(size_t(2 + plan.rank));
    Tensor dW = Tensor::empty(shape);
    winograd_filter_transform_backward(plan.rank, dU.data(), C_out, plan.C, dW.data());
    return dW;
}

}  // namespace convlab
