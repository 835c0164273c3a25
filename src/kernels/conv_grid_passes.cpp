// src/kernels/conv_grid_passes.cpp
//
// The grid's tasks (see conv_grid_passes.hpp): their number and boundaries depend on the sizes only, and
// each task's sums run in a fixed order, so the results are the same bits for any thread count.
#include "kernels/conv_grid_passes.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "kernels/conv_columns.hpp"
#include "kernels/conv_grid.hpp"
#include "kernels/conv_tasks.hpp"
#include "kernels/gemm.hpp"

namespace convlab {
namespace {

// The grid packs W once per call, not per block, so its blocks may be smaller than im2col's: a call is cut
// into at least kMinGridTasks (samples x blocks), a few per thread, so that two threads share them evenly
// (VGG's 64 x 64 layers at 256^2, one image, were 5 blocks: 3 + 2), of at least kMinGridColumns points (each
// block reads all of W, 2.4 MB for those layers, against 512 x 2304 x 256 multiply-adds).
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

// The grid computes the products for GridBlocks::points() columns where im2col needs L, but gets its columns
// far more cheaply: im2col's copy and gemm's packing cost about kPackingMacs multiply-adds per column entry.
constexpr int64_t kPackingMacs = 16;

// The weight gradient on the grid: with up to kDotMaxOutputs outputs the dot-product kernel, which reads
// x_pad in place; with more, each column of x_pad feeds enough multiply-adds that packing it for gemm pays.
constexpr int64_t kDotMaxOutputs = 64;

}  // namespace

bool grid_pays(const ConvGeometry& g, int64_t C_out) {
    if (!grid_applies(g)) return false;
    const int64_t points = GridBlocks(conv_grid(g), g.col_rows(), true, 1).points();
    return points * C_out <= g.out_numel() * (C_out + kPackingMacs);
}

// Task t = (sample n, block of points [P0, P1)); W packed once for every task.
void grid_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out, const float* b,
                  float* Y) {
    const ConvGrid grid = conv_grid(g);
    const Tensor packed_W = grid_pack_weights(W, C_out, g.col_rows());
    const int64_t K = g.col_rows(), L = g.out_numel();
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

// A sum of steps (sum_of_steps), one a (sample, block of points): dY is spread onto the block's points (0
// where the window hangs over the edge), then dotted with the columns, or multiplied by them with gemm.
Tensor grid_backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out) {
    const ConvGrid grid = conv_grid(g);
    const int64_t K = g.col_rows(), L = g.out_numel();
    const bool dot = C_out <= kDotMaxOutputs;
    // Not by layers: the dot kernel adds up its lane sums once per block, and blocks of a single layer
    // (892 points for the figure's first layer) would pay that 7 times as often.
    const GridBlocks blocks(grid, dot ? C_out : K + C_out, false, N);
    const GridReader reader(grid, x, blocks.in_segment.size);
    // With one row of points (1D), the points are the filter positions: the dot kernel reads dY in place.
    const bool in_place = dot && grid.points == L;
    const int64_t work = in_place ? 0 : (dot ? C_out : K + C_out) * blocks.in_segment.size;
    return sum_of_steps(C_out, K, N * blocks.count, work + reader.buffer_floats(),
                        [&](int64_t t, float* buffer, float beta, float* sum) {
        const int64_t n = t / blocks.count;
        const auto [P0, P1] = blocks.range(t % blocks.count);
        const int64_t width = P1 - P0;
        const float* block = reader.block(n, P0, P1, buffer + work);
        const float* dY_n = dY + n * C_out * L;
        if (in_place) return grid_weight_block(dY_n + P0, L, C_out, block, reader.offsets(), K, width, beta, sum);
        float* dy = buffer;
        grid_from_positions(dY_n, C_out, grid, P0, P1, dy, width);
        if (dot) return grid_weight_block(dy, width, C_out, block, reader.offsets(), K, width, beta, sum);
        float* cols = buffer + C_out * width;
        grid_columns(block, reader.offsets(), K, width, cols);
        gemm(false, true, C_out, K, width, 1.0f, dy, width, cols, width, beta, sum, K);
    });
}

}  // namespace convlab
