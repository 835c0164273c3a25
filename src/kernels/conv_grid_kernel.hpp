// src/kernels/conv_grid_kernel.hpp
//
// The two register kernels of the grid convolution (kernels/conv_grid.hpp). Both read the padded input
// x_pad where it lies, through the row offsets off(r), instead of a packed copy of the columns:
//
// grid_micro_kernel (forward): gemm's micro-kernel (kernels/gemm_micro_kernel.hpp) with its B panel
//   replaced by runs of x_pad: row k of the kc x width panel is x_pad[P + offset[k] .. + width). One tile:
//     c[i, j] = sum_k a_panel[k * kGridPanelRows + i] * x[offset[k] + j] + beta * c[i, j]   (i < rows, j < width)
//   Two shapes: 32 columns (two vectors) by up to 14 rows, as gemm's; or 16 columns by up to 16 rows, for
//   W with 9 to 16 rows, which then passes over the runs once instead of twice (8 + 8 rows).
// grid_dot_kernel (weight gradient): dW[o, r] = sum_P dy[o, P] * x_pad[P + off(r)] is one dot product per
//   (o, r), with both factors contiguous along P. For a tile of kDotO outputs x kDotR rows it adds
//     lanes[(o * kDotR + r) * kLanes + t] += sum over P = t, t + kLanes, ... of dy[o][P] * x[offset[r] + P]
//   (one vector of kLanes partial sums per pair, so the additions of P run along the vector), over
//   P in [0, n), n a multiple of kLanes.
#pragma once

#include <cstdint>

#include "kernels/lanes.hpp"  // kLanes

namespace convlab {

constexpr int kGridPanelRows = 16;  // rows per packed panel of W (a tile uses up to 14 or 16 of them)
constexpr int kGridWide = 32;       // columns of the wide tile, rows up to kGridWideRows
constexpr int kGridWideRows = 14;   // 14 x 2 = 28 accumulator vectors of the 32 AVX-512 registers
constexpr int kGridNarrow = 16;     // columns of the narrow tile, rows up to kGridPanelRows (16 accumulators)

constexpr int kDotO = 4;     // outputs o per dot tile ...
constexpr int kDotR = 6;     // ... times rows r: 24 accumulator vectors, 10 loads per 24 multiply-adds

// width is kGridWide (rows <= kGridWideRows) or kGridNarrow (rows <= kGridPanelRows).
void grid_micro_kernel(int rows, int width, int64_t kc, const float* a_panel, const float* x, const int64_t* offset,
                       float* c, int64_t ldc, float beta);

// dy[o] points at the kDotO rows of dY (n floats each); x + offset[r] at the kDotR runs of x_pad.
void grid_dot_kernel(int64_t n, const float* const* dy, const float* x, const int64_t* offset, float* lanes);

}  // namespace convlab
