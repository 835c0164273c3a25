// src/kernels/conv_columns.cpp
//
// im2col + gemm a block of columns at a time (see conv_columns.hpp). Each task's sums run in the same order
// whatever the thread count: the same bits for 1 or N threads.
#include "kernels/conv_columns.hpp"

#include <algorithm>

#include "kernels/cache.hpp"
#include "kernels/conv_tasks.hpp"
#include "kernels/gemm.hpp"
#include "kernels/im2col.hpp"

namespace convlab {
namespace {

// Never fewer columns than this a block: W is packed again for each block, and over 1024 columns that
// costs < 1/1024 of the block's multiply-adds plus one read of W (which for VGG's deep layers is 9 MB).
constexpr int64_t kMinBlockColumns = 1024;
// Blocks are whole cache lines wide.
constexpr int64_t kColumnUnit = kCacheLineBytes / int64_t(sizeof(float));

}  // namespace

Blocks column_blocks(int64_t K, int64_t L, int64_t min_count) {
    const int64_t wanted = std::max(kMinBlockColumns, kBlockBytes / (K * int64_t(sizeof(float))));
    const int64_t count = std::max((L + wanted - 1) / wanted, min_count);
    const int64_t size = ((L + count - 1) / count + kColumnUnit - 1) / kColumnUnit * kColumnUnit;
    return {size, (L + size - 1) / size};
}

void columns_forward(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                     const float* b, float* Y) {
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

void columns_backward_input(const float* dY, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                            float* dX) {
    const int64_t K = g.col_rows(), L = g.out_numel();
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

Tensor columns_backward_weight(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out) {
    const int64_t K = g.col_rows(), L = g.out_numel();
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

}  // namespace convlab
