// src/kernels/im2col.cpp
//
// im2col_naive / col2im_naive:  the definitions, one value at a time with a bounds check on each.
// im2col_columns / col2im_add_columns:  the same values for a block of columns, faster. Along the last dim
//                              the positions k whose input index falls inside [0, n_W) form one range, found
//                              once per row segment, so the inner loop is a plain (strided) copy or add.
#include "kernels/im2col.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab {
namespace {

// Smallest k >= 0 with k*s >= offset.
int64_t first_at_least(int64_t offset, int64_t s) { return offset <= 0 ? 0 : (offset + s - 1) / s; }

// The positions k in [0, out) whose input index k*s + tap - pad lies in [0, n): they are [lo, hi).
struct Inside {
    int64_t lo, hi;
};
Inside inside_range(int64_t n, int64_t out, int64_t s, int64_t tap_minus_pad) {
    const int64_t lo = std::min(out, first_at_least(-tap_minus_pad, s));
    const int64_t hi = std::max(lo, std::min(out, first_at_least(n - tap_minus_pad, s)));
    return {lo, hi};
}

bool inside(int64_t index, int64_t n) { return index >= 0 && index < n; }

}  // namespace

// ---- naive -----------------------------------------------------------------------------------------------

void im2col_naive(const float* x, const ConvGeometry& g, float* cols) {
    // BEGIN SOLUTION core.im2col
    float* dst = cols;
    for (int64_t c = 0; c < g.n_C; ++c)
        for (int64_t u = 0; u < g.f[0]; ++u)
            for (int64_t v = 0; v < g.f[1]; ++v)
                for (int64_t w = 0; w < g.f[2]; ++w)  // one row of cols per (c, u, v, w)
                    for (int64_t i = 0; i < g.out[0]; ++i)
                        for (int64_t j = 0; j < g.out[1]; ++j)
                            for (int64_t k = 0; k < g.out[2]; ++k) {
                                const int64_t iz = i * g.s[0] + u * g.d[0] - g.p[0];
                                const int64_t iy = j * g.s[1] + v * g.d[1] - g.p[1];
                                const int64_t ix = k * g.s[2] + w * g.d[2] - g.p[2];
                                const bool in = inside(iz, g.n[0]) && inside(iy, g.n[1]) && inside(ix, g.n[2]);
                                *dst++ = in ? x[((c * g.n[0] + iz) * g.n[1] + iy) * g.n[2] + ix] : 0.0f;
                            }
    // END SOLUTION
}

void col2im_naive(const float* cols, const ConvGeometry& g, float* x) {
    // BEGIN SOLUTION core.im2col
    std::fill(x, x + g.n_C * g.in_numel(), 0.0f);
    const float* src = cols;
    for (int64_t c = 0; c < g.n_C; ++c)
        for (int64_t u = 0; u < g.f[0]; ++u)
            for (int64_t v = 0; v < g.f[1]; ++v)
                for (int64_t w = 0; w < g.f[2]; ++w)
                    for (int64_t i = 0; i < g.out[0]; ++i)
                        for (int64_t j = 0; j < g.out[1]; ++j)
                            for (int64_t k = 0; k < g.out[2]; ++k, ++src) {
                                const int64_t iz = i * g.s[0] + u * g.d[0] - g.p[0];
                                const int64_t iy = j * g.s[1] + v * g.d[1] - g.p[1];
                                const int64_t ix = k * g.s[2] + w * g.d[2] - g.p[2];
                                if (inside(iz, g.n[0]) && inside(iy, g.n[1]) && inside(ix, g.n[2]))
                                    x[((c * g.n[0] + iz) * g.n[1] + iy) * g.n[2] + ix] += *src;
                            }
    // END SOLUTION
}

// ---- fast ------------------------------------------------------------------------------------------------

// Calls segment(dst_offset, x_offset, ks, ka, kb) for every row r = (c, u, v, w) in [r0, r1) and every row
// segment (i, j) of filter positions that meets the block [l0, l1): the block holds the entries k in
// [ka, kb) of that segment, the first of them at dst_offset in the (K x (l1 - l0)) block; entries k in
// [ks.lo, ks.hi) read x[x_offset + k*s_W], the others fall in the padding (all of them, ks = {0, 0}, when iz
// or iy does).
template <typename Segment>
void for_each_segment(const ConvGeometry& g, int64_t r0, int64_t r1, int64_t l0, int64_t l1, Segment segment) {
    const int64_t taps = g.kernel_numel(), out_w = g.out[2], width = l1 - l0;
    const int64_t q0 = l0 / out_w, q1 = (l1 + out_w - 1) / out_w;  // segments q = i*out_H + j that meet the block
    for (int64_t r = r0; r < r1; ++r) {
        const int64_t c = r / taps, u = r / (g.f[1] * g.f[2]) % g.f[0], v = r / g.f[2] % g.f[1], w = r % g.f[2];
        const Inside ks = inside_range(g.n[2], out_w, g.s[2], w * g.d[2] - g.p[2]);
        for (int64_t q = q0; q < q1; ++q) {
            const int64_t i = q / g.out[1], j = q % g.out[1];
            const int64_t iz = i * g.s[0] + u * g.d[0] - g.p[0], iy = j * g.s[1] + v * g.d[1] - g.p[1];
            const bool plane_inside = inside(iz, g.n[0]) && inside(iy, g.n[1]);
            const int64_t x_offset = ((c * g.n[0] + iz) * g.n[1] + iy) * g.n[2] + w * g.d[2] - g.p[2];
            const int64_t ka = std::max<int64_t>(0, l0 - q * out_w), kb = std::min(out_w, l1 - q * out_w);
            segment(r * width + q * out_w + ka - l0, x_offset, plane_inside ? ks : Inside{0, 0}, ka, kb);
        }
    }
}

void im2col_columns(const float* x, const ConvGeometry& g, int64_t l0, int64_t l1, float* cols) {
    const int64_t sw = g.s[2];
    parallel_for(g.col_rows(), [&](int64_t r0, int64_t r1) {
        for_each_segment(g, r0, r1, l0, l1, [&](int64_t dst_offset, int64_t x_offset, Inside ks, int64_t ka,
                                                int64_t kb) {
            float* dst = cols + dst_offset;  // entry k of the segment is dst[k - ka], k in [ka, kb)
            const int64_t lo = std::clamp(ks.lo, ka, kb), hi = std::clamp(ks.hi, lo, kb);
            std::fill(dst, dst + (lo - ka), 0.0f);
            if (sw == 1 && lo < hi)
                std::copy(x + (x_offset + lo), x + (x_offset + hi), dst + (lo - ka));
            else
                for (int64_t k = lo; k < hi; ++k) dst[k - ka] = x[x_offset + k * sw];
            std::fill(dst + (hi - ka), dst + (kb - ka), 0.0f);
        });
    }, std::max<int64_t>(1, kTaskGrain / (l1 - l0)));
}

// Each channel's rows add only into that channel's plane of x, row after row as in col2im_naive, so
// channels run in parallel and the sums are the same bits for any thread count.
void col2im_add_columns(const float* cols, const ConvGeometry& g, int64_t l0, int64_t l1, float* x) {
    const int64_t sw = g.s[2], taps = g.kernel_numel();
    parallel_for(g.n_C, [&](int64_t c0, int64_t c1) {
        for_each_segment(g, c0 * taps, c1 * taps, l0, l1, [&](int64_t src_offset, int64_t x_offset, Inside ks,
                                                             int64_t ka, int64_t kb) {
            const float* src = cols + src_offset;  // entry k of the segment is src[k - ka], k in [ka, kb)
            const int64_t lo = std::max(ks.lo, ka), hi = std::min(ks.hi, kb);
            if (sw == 1)
                for (int64_t k = lo; k < hi; ++k) x[x_offset + k] += src[k - ka];
            else
                for (int64_t k = lo; k < hi; ++k) x[x_offset + k * sw] += src[k - ka];
        });
    }, std::max<int64_t>(1, kTaskGrain / (taps * (l1 - l0))));
}

}  // namespace convlab
