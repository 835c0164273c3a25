// src/ops/conv.cpp
//
// The fast convolution, a block of columns (filter positions) at a time: on the padded grid for stride 1
// (kernels/conv_grid.hpp: no cols matrix at all), else im2col of the block then one matrix product
// (kernels/im2col.hpp, kernels/gemm.hpp); 3x3 and 3x3x3 filters with stride 1 and enough channels by
// Winograd's F(2x2, 3x3) and F(2x2x2, 3x3x3) instead (kernels/winograd_conv.hpp: 16 multiplications per 2x2
// outputs, not 36; 64 per 2x2x2, not 216).
// Threads take whole (sample, block) tasks when there are enough of them, else each task uses them all
// inside its kernels (kernels/conv_tasks.hpp); every sum is taken in an order that does not depend on the
// thread count, so the results are the same bits for 1 or N threads. The naive twins are in
// ops/conv_naive.cpp.
#include "ops/conv.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/conv_grid.hpp"
#include "kernels/conv_tasks.hpp"
#include "kernels/gemm.hpp"
#include "kernels/winograd_conv.hpp"
#include "ops/reduce.hpp"

namespace convlab {
namespace {

const char* conv_name(size_t n_dims) {
    static const char* const names[] = {"conv1d", "conv2d", "conv3d"};
    return n_dims >= 3 && n_dims <= 5 ? names[n_dims - 3] : "conv";
}

}  // namespace

ConvParams ConvParams::same_for(int n_spatial, int64_t stride, int64_t padding, int64_t dilation, int64_t groups) {
    check(n_spatial >= 1 && n_spatial <= 3, "ConvParams::same_for: expected 1, 2 or 3 spatial dims, got ", n_spatial);
    const size_t k = static_cast<size_t>(n_spatial);
    return ConvParams{std::vector<int64_t>(k, stride), std::vector<int64_t>(k, padding),
                      std::vector<int64_t>(k, dilation), groups};
}

ConvGeometry conv_geometry_for(const Shape& x_shape, const Shape& W_shape, const ConvParams& p, const Tensor& b,
                               const Tensor& dY) {
    const int64_t G = p.groups;
    const std::string op = std::string(conv_name(W_shape.size())) + " of x " + shape_str(x_shape) + " with W " +
                           shape_str(W_shape) + (G != 1 ? ", groups " + std::to_string(G) : std::string());
    check(W_shape.size() >= 3 && W_shape.size() <= 5, op,
          ": W must be (C_out, C_in/groups, *f) with 1 to 3 spatial dims");
    check(x_shape.size() == W_shape.size(), op, ": x must be (N, C_in, *spatial) with as many dims as W");
    check(G >= 1, op, ": groups must be >= 1");
    check(W_shape[0] >= 1, op, ": W has no filters");
    check(x_shape[1] % G == 0, op, ": C_in = ", x_shape[1], " channels of x are not divisible by groups = ", G);
    check(W_shape[0] % G == 0, op, ": C_out = ", W_shape[0], " filters of W are not divisible by groups = ", G);
    check(x_shape[1] == W_shape[1] * G, op, ": x has ", x_shape[1], " channels, W expects C_in = ",
          G == 1 ? "" : "groups x W.dim(1) = ", W_shape[1] * G);
    const Shape n(x_shape.begin() + 2, x_shape.end()), f(W_shape.begin() + 2, W_shape.end());
    const auto or_default = [&](const std::vector<int64_t>& v, int64_t value) {
        return v.empty() ? std::vector<int64_t>(f.size(), value) : v;
    };
    ConvGeometry g = conv_geometry(op.c_str(), x_shape[1], n, f, or_default(p.stride, 1),
                                   or_default(p.padding, 0), or_default(p.dilation, 1));
    g.groups = G;
    check(!b.defined() || b.shape() == Shape{W_shape[0]}, op, ": bias b must have shape (", W_shape[0], "), got ",
          b.defined() ? b.shape_str() : "");
    check(!dY.defined() || dY.shape() == g.out_shape(x_shape[0], W_shape[0]), op, ": dY must have the output's shape ",
          shape_str(g.out_shape(x_shape[0], W_shape[0])), ", got ", dY.defined() ? dY.shape_str() : "");
    return g;
}

Shape conv_output_shape(const Shape& x_shape, const Shape& W_shape, const ConvParams& p) {
    return conv_geometry_for(x_shape, W_shape, p).out_shape(x_shape[0], W_shape[0]);
}

// ---- the fast kernels ------------------------------------------------------------------------------------
//
// Two ways to the same products, both a block of columns at a time (and, for 3x3 and 3x3x3 filters,
// Winograd's fewer products: kernels/winograd_conv.hpp):
//   stride 1 (every dim):  the padded grid (kernels/conv_grid.hpp): the columns are runs of the padded input,
//                          which its kernels read in place; no cols matrix at all. The input gradient is
//                          then a convolution too (of dY with the flipped filters), the weight gradient a
//                          dot product per (output, row) or, with many outputs, cols and gemm.
//   any stride:            im2col of a block of columns (kernels/im2col.hpp), then gemm; col2im back.
// With K = C_in*prod(f) rows and L = prod(out) filter positions, a sample's whole im2col would be K x L:
// 600 MB for VGG's conv1_2 at 512^2 (K = 576, L = 262144). A block (K x l) is built by one thread, stays in
// its cache while gemm packs it, and is overwritten by the next block.
namespace {

// The cols block one thread fills and gemm packs: 512 KB stays in a core's L2 (2 MB here) beside gemm's
// own packed panels.
constexpr int64_t kBlockBytes = int64_t(1) << 19;
// ... but never fewer columns than this: W is packed again for each block, and over 1024 columns that
// costs < 1/1024 of the block's multiply-adds plus one read of W (which for VGG's deep layers is 9 MB).
constexpr int64_t kMinBlockColumns = 1024;
// Blocks are whole cache lines wide: 16 floats.
constexpr int64_t kColumnUnit = 16;
// L columns cut into `count` blocks of `size` (the last one shorter).
struct Blocks {
    int64_t size, count;
    int64_t begin(int64_t b) const { return b * size; }
};

// At least min_count blocks (as far as blocks of kColumnUnit columns go).
Blocks column_blocks(int64_t K, int64_t L, int64_t min_count = 1) {
    const int64_t wanted = std::max(kMinBlockColumns, kBlockBytes / (K * int64_t(sizeof(float))));
    const int64_t count = std::max((L + wanted - 1) / wanted, min_count);
    const int64_t size = ((L + count - 1) / count + kColumnUnit - 1) / kColumnUnit * kColumnUnit;
    return {size, (L + size - 1) / size};
}

// The grid packs W once per call, not per block, so its blocks may be smaller than kMinBlockColumns: a call
// is cut into at least kMinGridTasks (samples x blocks), a few per thread, so that two threads share them
// evenly (VGG's 64 x 64 layers at 256^2, one image, were 5 blocks: 3 + 2), of at least kMinGridColumns
// points (each block reads all of W, 2.4 MB for those layers, against 512 x 2304 x 256 multiply-adds).
constexpr int64_t kMinGridTasks = 8;
constexpr int64_t kMinGridColumns = 512;

// The grid's blocks of points. By layers (3D): the points of each output layer z that start a window, up to
// its last real filter position, are taken apart from the next layer's, and the rows of points between them
// (whose windows hang over the bottom of the padded input) are skipped, not computed and dropped (for the
// figure's 5^3 filters on 32^3: 14% more points than positions, against 30% for all of grid.points).
// Otherwise one segment, all of grid.points.
struct GridBlocks {
    int64_t layer;       // from a segment to the next: N_H N_W
    int64_t segment;     // the points of a segment
    Blocks in_segment;   // each segment cut into blocks
    int64_t count;       // blocks over every segment

    GridBlocks(const ConvGrid& grid, int64_t rows_per_point, bool by_layers, int64_t N) {
        const ConvGeometry& g = grid.g;
        const int64_t segments = by_layers ? g.out[0] : 1;
        layer = grid.padded[1] * grid.padded[2];
        segment = by_layers ? (g.out[1] - 1) * grid.padded[2] + g.out[2] : grid.points;
        const int64_t wanted = (kMinGridTasks + N * segments - 1) / std::max<int64_t>(1, N * segments);
        in_segment = column_blocks(rows_per_point, segment, std::min(wanted, segment / kMinGridColumns));
        count = segments * in_segment.count;
    }
    int64_t points() const { return count / in_segment.count * segment; }
    // Block b: the points [first, last).
    std::pair<int64_t, int64_t> range(int64_t b) const {
        const int64_t z = b / in_segment.count, first = in_segment.begin(b % in_segment.count);
        return {z * layer + first, z * layer + std::min(segment, first + in_segment.size)};
    }
};

// The grid computes the products for GridBlocks::points() columns where im2col needs L, but gets its columns
// far more cheaply: im2col's copy and gemm's packing cost about kPackingMacs multiply-adds per column entry.
// Measured (one thread): the grid is ahead on the 3D figure's layers (16% more columns, 16 and 32 outputs:
// 1.7x) and VGG's 64 x 64 layers (3% more, 256 outputs: 41 against 44 ms), behind on VGG's 32 x 32 layers
// (6% more, 512 outputs: 45 against 41 ms).
constexpr int64_t kPackingMacs = 16;
bool use_grid(const ConvGeometry& g, int64_t C_out) {
    if (!grid_applies(g)) return false;
    const int64_t points = GridBlocks(conv_grid(g), g.col_rows(), true, 1).points();
    return points * C_out <= g.out_numel() * (C_out + kPackingMacs);
}

// How a task reads the columns of its block of points [P0, P1) of sample n: from x itself when there is no
// padding (channels grid.plane apart), else from the window of x_pad that the block reads, padded into
// the task's buffer (channels `stride` apart: a few MB at most, and still in the core's cache when the
// products read it).
class GridReader {
public:
    GridReader(const ConvGrid& grid, const float* x, int64_t block_size)
        : grid_(grid), x_(x), stride_(grid.padded_copy() ? block_size + grid.reach : grid.plane),
          offsets_(grid.offsets(stride_)) {}
    int64_t buffer_floats() const { return grid_.padded_copy() ? grid_.g.n_C * stride_ : 0; }
    const int64_t* offsets() const { return offsets_.data(); }
    // The block's first point: cols[r, p] is block[p + offsets()[r]].
    const float* block(int64_t n, int64_t P0, int64_t P1, float* buffer) const {
        const float* x_n = x_ + n * grid_.g.n_C * grid_.g.in_numel();
        if (!grid_.padded_copy()) return x_n + P0;
        grid_window(x_n, grid_, P0, P1 - P0 + grid_.reach, buffer, stride_);
        return buffer;
    }

private:
    const ConvGrid& grid_;
    const float* x_;
    int64_t stride_;
    std::vector<int64_t> offsets_;
};

// The weight gradient on the grid: with few outputs the dot-product kernel, which reads x_pad in place;
// with more, each column of x_pad feeds enough multiply-adds that packing it for gemm pays (measured:
// 48 against 53 ms for 64 outputs, 78 against 45 ms for 128, face CNN layers).
constexpr int64_t kDotMaxOutputs = 64;

// Y (N, C_out, L) = W cols(x) + b (b may be null), x (N, n_C, *n) dense, on the grid, with W packed by
// grid_pack_weights. Task t = (sample n, block of points [P0, P1)).
void grid_forward(const float* x, int64_t N, const ConvGrid& grid, const Tensor& packed_W, int64_t C_out,
                  const float* b, float* Y) {
    const int64_t K = grid.g.col_rows(), L = grid.g.out_numel();
    const GridBlocks blocks(grid, K, true, N);
    const int64_t size = blocks.in_segment.size;
    const GridReader reader(grid, x, size);
    // With one row of points (1D), the points are the filter positions: the kernel writes Y in place.
    const bool in_place = grid.points == L;
    const int64_t y_floats = in_place ? 0 : C_out * size;
    for_each_task(N * blocks.count, y_floats + reader.buffer_floats(), [&](int64_t t, float* buffer) {
        const int64_t n = t / blocks.count;
        const auto [P0, P1] = blocks.range(t % blocks.count);
        const float* block = reader.block(n, P0, P1, buffer + y_floats);
        float* Y_n = Y + n * C_out * L;
        if (!in_place) {
            grid_forward_block(packed_W.data(), C_out, block, reader.offsets(), K, P1 - P0, buffer, size);
            return grid_to_positions(buffer, size, C_out, grid, P0, P1, b, Y_n);
        }
        grid_forward_block(packed_W.data(), C_out, block, reader.offsets(), K, P1 - P0, Y_n + P0, L);
        if (b != nullptr)
            for (int64_t o = 0; o < C_out; ++o)
                for (int64_t l = P0; l < P1; ++l) Y_n[o * L + l] += b[o];
    });
}

// The same with im2col: task t = (sample n, block of columns [l0, l1)), Y[n][:, l0:l1] = W cols + b.
void im2col_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out, const float* b,
                    float* Y) {
    const int64_t K = g.col_rows(), L = g.out_numel();
    const Blocks blocks = column_blocks(K, L);
    const bool copy = !g.cols_are_input();  // else cols is x itself
    for_each_task(N * blocks.count, copy ? K * blocks.size : 0, [&](int64_t t, float* cols) {
        const int64_t n = t / blocks.count, l0 = blocks.begin(t % blocks.count), l1 = std::min(L, l0 + blocks.size);
        const float* x_n = x + n * g.n_C * g.in_numel();
        if (copy) im2col_columns(x_n, g, l0, l1, cols);
        float* y = Y + n * C_out * L + l0;
        if (b != nullptr)  // start each row of the block at b[o], and let gemm add W cols onto it (beta = 1)
            for (int64_t o = 0; o < C_out; ++o) std::fill(y + o * L, y + o * L + (l1 - l0), b[o]);
        gemm(false, false, C_out, l1 - l0, K, 1.0f, W, K, copy ? cols : x_n + l0, copy ? l1 - l0 : L,
             b != nullptr ? 1.0f : 0.0f, y, L);
    });
}

// The given (not lifted) dims of one of g's size arrays.
std::vector<int64_t> given(const ConvGeometry& g, const int64_t* sizes) {
    return std::vector<int64_t>(sizes + 3 - g.n_spatial, sizes + 3);
}

// With stride 1, the input gradient is itself a stride-1 convolution:
//   dX[c, t] = sum_o sum_u W[o, c, u] dY[o, t + p - u d] = sum_o sum_u' W'[c, o, u'] dY[o, t - p' + u' d]
// with the taps reversed and the channels swapped, W'[c, o, u'] = W[o, c, f-1-u'], over dY padded by
// p' = d(f-1) - p (so it needs p <= d(f-1), as every "same" or "valid" padding is). Its products have C_in
// rows: with fewer than kMinFlipChannels (an RGB image) the tiles are too thin, and dcols = W^T dY then
// col2im is faster (measured on VGG's conv1_1: 9 against 5 ms). Returns the geometry of that convolution,
// or nothing when it does not apply.
constexpr int64_t kMinFlipChannels = 8;
std::optional<ConvGeometry> backward_as_convolution(const ConvGeometry& g, int64_t N, int64_t C_out) {
    if (g.n_C < kMinFlipChannels) return std::nullopt;
    std::vector<int64_t> padding;
    for (int a = 0; a < 3; ++a) {
        if (g.s[a] != 1 || g.p[a] > g.d[a] * (g.f[a] - 1)) return std::nullopt;
        if (a >= 3 - g.n_spatial) padding.push_back(g.d[a] * (g.f[a] - 1) - g.p[a]);
    }
    const ConvGeometry back = conv_geometry("conv backward input", C_out, given(g, g.out), given(g, g.f),
                                            std::vector<int64_t>(padding.size(), 1), padding, given(g, g.d));
    if (!winograd_pays(back, N, g.n_C) && !use_grid(back, g.n_C)) return std::nullopt;
    return back;
}

// W' (C_in, C_out, *f) from W (C_out, C_in, *f): W'[c, o, u'] = W[o, c, taps-1-u'] (taps = prod(f)).
constexpr int64_t kFlipChunk = int64_t(1) << 14;  // floats per parallel task: worth a thread wake-up
Tensor flipped_filters(const float* w, int64_t C_out, int64_t C_in, int64_t taps) {
    Tensor flipped = Tensor::empty({C_in, C_out, taps});
    float* out = flipped.data();
    parallel_for(C_in, [&](int64_t c0, int64_t c1) {  // 2.4M floats for VGG's 512-channel layers
        for (int64_t c = c0; c < c1; ++c)
            for (int64_t o = 0; o < C_out; ++o)
                for (int64_t u = 0; u < taps; ++u)
                    out[(c * C_out + o) * taps + u] = w[(o * C_in + c) * taps + taps - 1 - u];
    }, std::max<int64_t>(1, kFlipChunk / (C_out * taps)));
    return flipped;
}

// Y (N, C_out, *out) = conv(x, W) + b, x and W dense: by Winograd (F(2x2, 3x3), F(2x2x2, 3x3x3)) where it
// pays, else on the padded grid where it pays, else im2col.
void forward_into(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out, const float* b,
                  float* Y) {
    if (winograd_pays(g, N, C_out))
        winograd_conv_forward(x, N, g, W, C_out, b, Y);
    else if (use_grid(g, C_out))
        grid_forward(x, N, conv_grid(g), grid_pack_weights(W, C_out, g.col_rows()), C_out, b, Y);
    else
        im2col_forward(x, N, g, W, C_out, b, Y);
}

// dX (N, n_C, *n) from dY (N, C_out, *out) and W (C_out, K), all dense, groups 1. Stride 1: the convolution
// of dY described above. Else, for each sample n (a task: the blocks of one sample add into the same dX[n]),
// dX[n] = 0, then block by block:
//   dcols (K x l) = W^T (K x C_out) * dY[n][:, l0:l1],   dX[n] += col2im(dcols).
void backward_input_into(const float* dY, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                         float* dX) {
    const int64_t K = g.col_rows(), L = g.out_numel();
    if (const std::optional<ConvGeometry> back = backward_as_convolution(g, N, C_out))
        return forward_into(dY, N, *back, flipped_filters(W, C_out, g.n_C, g.kernel_numel()).data(), g.n_C,
                            nullptr, dX);
    const Blocks blocks = column_blocks(K, L);
    const bool copy = !g.cols_are_input();  // else dcols is dX[n] itself, each entry written once
    for_each_task(N, copy ? K * blocks.size : 0, [&](int64_t n, float* dcols) {
        float* dx_n = dX + n * g.n_C * g.in_numel();
        const float* dy_n = dY + n * C_out * L;
        if (copy) std::fill(dx_n, dx_n + g.n_C * g.in_numel(), 0.0f);
        for (int64_t block = 0; block < blocks.count; ++block) {
            const int64_t l0 = blocks.begin(block), l1 = std::min(L, l0 + blocks.size);
            gemm(true, false, K, l1 - l0, C_out, 1.0f, W, K, dy_n + l0, L, 0.0f, copy ? dcols : dx_n + l0,
                 copy ? l1 - l0 : L);
            if (copy) col2im_add_columns(dcols, g, l0, l1, dx_n);
        }
    });
}

// dW (C_out x K) from dY (N, C_out, *out) and x (N, n_C, *n), dense, groups 1: the sum over samples n and
// blocks of columns of dY[n][:, block] (C_out x l) * cols^T (l x K), a sum of steps (sum_of_steps). On the grid
// a step's columns are grid points, and dY is spread onto them (0 where the window hangs over the edge); else
// they are im2col's columns.
Tensor backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out) {
    const int64_t K = g.col_rows(), L = g.out_numel();
    if (winograd_pays(g, N, C_out, /*weight_gradient=*/true)) return winograd_conv_backward_weight(dY, x, N, g, C_out);
    if (use_grid(g, C_out)) {
        const ConvGrid grid = conv_grid(g);
        const bool dot = C_out <= kDotMaxOutputs;
        // Not by layers: the dot kernel adds up its lane sums once per block, and blocks of a single layer
        // (892 points for the figure's first layer) would pay that 7 times as often (measured 9.2 -> 13.5 ms).
        const GridBlocks blocks(grid, dot ? C_out : K + C_out, false, N);
        const GridReader reader(grid, x, blocks.in_segment.size);
        const int64_t work = (dot ? C_out : K + C_out) * blocks.in_segment.size;
        return sum_of_steps(C_out, K, N * blocks.count, work + reader.buffer_floats(),
                            [&](int64_t t, float* buffer, float beta, float* sum) {
            const int64_t n = t / blocks.count;
            const auto [P0, P1] = blocks.range(t % blocks.count);
            const int64_t width = P1 - P0;
            const float* block = reader.block(n, P0, P1, buffer + work);
            float* dy = buffer;
            grid_from_positions(dY + n * C_out * L, C_out, grid, P0, P1, dy, width);
            if (dot) return grid_weight_block(dy, width, C_out, block, reader.offsets(), K, width, beta, sum);
            float* cols = buffer + C_out * width;
            grid_columns(block, reader.offsets(), K, width, cols);
            gemm(false, true, C_out, K, width, 1.0f, dy, width, cols, width, beta, sum, K);
        });
    }
    const Blocks blocks = column_blocks(K, L);
    const bool copy = !g.cols_are_input();
    return sum_of_steps(C_out, K, N * blocks.count, copy ? K * blocks.size : 0,
                        [&](int64_t t, float* cols, float beta, float* sum) {
        const int64_t n = t / blocks.count, l0 = blocks.begin(t % blocks.count), l1 = std::min(L, l0 + blocks.size);
        const float* x_n = x + n * g.n_C * g.in_numel();
        if (copy) im2col_columns(x_n, g, l0, l1, cols);
        gemm(false, true, C_out, K, l1 - l0, 1.0f, dY + n * C_out * L + l0, L, copy ? cols : x_n + l0,
             copy ? l1 - l0 : L, beta, sum, K);
    });
}

// ---- groups: each group a convolution of its own --------------------------------------------------------
//
// Group q reads the channels [q C/G, (q+1) C/G) of x (or dY) and writes those of Y (or dX): for one sample
// they are dense already; for a batch they are copied out to a dense (N, C/G, *n) buffer and back.
class GroupChannels {
public:
    // A (N, C, plane) dense tensor t, in G groups of C/G channels.
    GroupChannels(int64_t N, int64_t C, int64_t G, int64_t plane) : N_(N), C_(C), count_(C / G), plane_(plane) {}
    int64_t floats() const { return N_ * count_ * plane_; }
    // Group q of t as a dense (N, C/G, plane) tensor: in t itself for one sample, else copied to buffer.
    const float* read(const float* t, int64_t q, float* buffer) const {
        if (N_ == 1) return t + q * count_ * plane_;
        copy_planes(t + q * count_ * plane_, C_ * plane_, buffer, count_ * plane_);
        return buffer;
    }
    // Where to write group q of t: t itself for one sample, else buffer, to be copied by write_back.
    float* target(float* t, int64_t q, float* buffer) const { return N_ == 1 ? t + q * count_ * plane_ : buffer; }
    void write_back(const float* buffer, float* t, int64_t q) const {
        if (N_ > 1) copy_planes(buffer, count_ * plane_, t + q * count_ * plane_, C_ * plane_);
    }

private:
    // dst[n * dst_stride + i] = src[n * src_stride + i] for the N samples and i < count * plane.
    void copy_planes(const float* src, int64_t src_stride, float* dst, int64_t dst_stride) const {
        const int64_t run = count_ * plane_;
        parallel_for(N_, [&](int64_t n0, int64_t n1) {
            for (int64_t n = n0; n < n1; ++n) std::copy(src + n * src_stride, src + n * src_stride + run, dst + n * dst_stride);
        }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(1, run)));
    }
    int64_t N_, C_, count_, plane_;
};

// The groups of one call: each a convolution (groups 1) of O = C_out/G outputs over `one`, one group's
// channels; their inputs and outputs dense in the buffer (when not in place).
struct GroupRuns {
    int64_t G, O;
    ConvGeometry one;
    GroupChannels in, out;
    Tensor buffer;  // in's group, then out's
    GroupRuns(int64_t N, const ConvGeometry& g, int64_t C_out)
        : G(g.groups), O(C_out / g.groups), one(g.group()), in(N, g.n_C, G, g.in_numel()),
          out(N, C_out, G, g.out_numel()), buffer(Tensor::empty({N > 1 ? in.floats() + out.floats() : 0})) {}
    float* in_buffer() { return buffer.data(); }
    float* out_buffer() { return buffer.data() + in.floats(); }
};

// Y = conv(x, W) + b with groups: group by group, x (N, n_C, *n), W (C_out, n_C/G, *f), Y (N, C_out, *out).
void grouped_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                     const float* b, float* Y) {
    GroupRuns r(N, g, C_out);
    for (int64_t q = 0; q < r.G; ++q) {
        float* y = r.out.target(Y, q, r.out_buffer());
        forward_into(r.in.read(x, q, r.in_buffer()), N, r.one, W + q * r.O * r.one.col_rows(), r.O,
                     b ? b + q * r.O : nullptr, y);
        r.out.write_back(y, Y, q);
    }
}

void grouped_backward_input(const float* dY, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                            float* dX) {
    GroupRuns r(N, g, C_out);
    for (int64_t q = 0; q < r.G; ++q) {
        float* dx = r.in.target(dX, q, r.in_buffer());
        backward_input_into(r.out.read(dY, q, r.out_buffer()), N, r.one, W + q * r.O * r.one.col_rows(), r.O, dx);
        r.in.write_back(dx, dX, q);
    }
}

// dW (C_out x K): the rows of group q from its dY and x.
Tensor grouped_backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out) {
    GroupRuns r(N, g, C_out);
    const int64_t OK = r.O * r.one.col_rows();
    Tensor dW = Tensor::empty({C_out, r.one.col_rows()});
    for (int64_t q = 0; q < r.G; ++q) {
        const Tensor part = backward_weight(r.out.read(dY, q, r.out_buffer()), r.in.read(x, q, r.in_buffer()), N,
                                            r.one, r.O);
        std::copy(part.data(), part.data() + OK, dW.data() + q * OK);
    }
    return dW;
}

}  // namespace

Tensor conv_forward(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p) {
    const ConvGeometry g = conv_geometry_for(x.shape(), W.shape(), p, b);
    const Tensor xc = x.contiguous(), Wc = W.contiguous(), bc = b.defined() ? b.contiguous() : Tensor();
    const int64_t N = x.dim(0), C_out = W.dim(0);
    const float* bias = bc.defined() ? bc.data() : nullptr;
    Tensor Y = Tensor::empty(g.out_shape(N, C_out));
    (g.groups == 1 ? forward_into : grouped_forward)(xc.data(), N, g, Wc.data(), C_out, bias, Y.data());
    return Y;
}

Tensor conv_backward_input(const Tensor& dY, const Tensor& W, const Shape& x_shape, const ConvParams& p) {
    const ConvGeometry g = conv_geometry_for(x_shape, W.shape(), p, Tensor(), dY);
    const Tensor dYc = dY.contiguous(), Wc = W.contiguous();
    Tensor dX = Tensor::empty(x_shape);
    (g.groups == 1 ? backward_input_into : grouped_backward_input)(dYc.data(), x_shape[0], g, Wc.data(), W.dim(0),
                                                                   dX.data());
    return dX;
}

Tensor conv_backward_weight(const Tensor& dY, const Tensor& x, const Shape& W_shape, const ConvParams& p) {
    const ConvGeometry g = conv_geometry_for(x.shape(), W_shape, p, Tensor(), dY);
    const Tensor dYc = dY.contiguous(), xc = x.contiguous();
    return (g.groups == 1 ? backward_weight : grouped_backward_weight)(dYc.data(), xc.data(), x.dim(0), g, W_shape[0])
        .reshape(W_shape);
}
// db[o] = sum_n sum_l dY[n, o, l], each row dY[n, o, :] by sum_floats (ops/reduce.hpp). The order depends on
// the shapes only.
Tensor conv_backward_bias(const Tensor& dY) {
    check(dY.ndim() >= 3, "conv backward bias: dY must be (N, C_out, *out), got ", dY.shape_str());
    const Tensor dYc = dY.contiguous();
    const int64_t N = dY.dim(0), C_out = dY.dim(1), L = dY.numel() / std::max<int64_t>(1, N * C_out);
    Tensor db = Tensor::empty({C_out});
    parallel_for(C_out, [&](int64_t o0, int64_t o1) {
        for (int64_t o = o0; o < o1; ++o) {
            double acc = 0.0;
            for (int64_t n = 0; n < N; ++n) acc += sum_floats(dYc.data() + (n * C_out + o) * L, L);
            db.data()[o] = static_cast<float>(acc);
        }
    });
    return db;
}

Tensor conv(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p) {
    Tensor Y = conv_forward(x, W, b, p);
    return record(Y, conv_name(W.shape().size()), {x, W, b}, [x, W, b, p](const Tensor& dY) {
        return std::vector<Tensor>{x.requires_grad() ? conv_backward_input(dY, W, x.shape(), p) : Tensor(),
                                   W.requires_grad() ? conv_backward_weight(dY, x, W.shape(), p) : Tensor(),
                                   b.defined() && b.requires_grad() ? conv_backward_bias(dY) : Tensor()};
    });
}

namespace {

Tensor conv_nd(int n_spatial, const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t padding,
               int64_t dilation, int64_t groups) {
    const char* op = conv_name(static_cast<size_t>(n_spatial) + 2);
    check(x.ndim() == n_spatial + 2 && W.ndim() == n_spatial + 2, op, ": expected x (N, C_in, *spatial) and W ",
          "(C_out, C_in/groups, *f) with ", n_spatial, " spatial dims, got x ", x.shape_str(), " and W ", W.shape_str());
    return conv(x, W, b, ConvParams::same_for(n_spatial, stride, padding, dilation, groups));
}

}  // namespace

Tensor conv1d(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t padding, int64_t dilation,
              int64_t groups) {
    return conv_nd(1, x, W, b, stride, padding, dilation, groups);
}
Tensor conv2d(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t padding, int64_t dilation,
              int64_t groups) {
    return conv_nd(2, x, W, b, stride, padding, dilation, groups);
}
Tensor conv3d(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t padding, int64_t dilation,
              int64_t groups) {
    return conv_nd(3, x, W, b, stride, padding, dilation, groups);
}

}  // namespace convlab
