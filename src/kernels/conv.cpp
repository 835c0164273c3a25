// src/kernels/conv.cpp
//
// How the convolution is made fast. The definition is ops/conv_naive.cpp: seven loops per pass. Here the
// same sums run as matrix products, by one of three algorithms, chosen per call from the sizes alone:
//
//   Winograd (kernels/winograd_conv.hpp)   3x3 and 3x3x3 filters, stride 1, enough channels: F(2x2, 3x3)
//                                          and F(2x2x2, 3x3x3), 16 multiplications per 2x2 outputs, not 36
//   the padded grid (conv_grid_passes.hpp) other stride-1 convolutions: an implicit gemm whose columns are
//                                          runs of the padded input, read in place
//   im2col + gemm (conv_columns.hpp)       the rest (strides): a block of columns at a time
//
// The input gradient is a convolution itself at stride 1 (of dY with the flipped filters), else col2im of
// W^T dY; the weight gradient a sum over samples and blocks of dY cols^T. With groups, each group runs as a
// convolution of its own (kernels/conv_groups.hpp), except the forward pass of a depthwise convolution,
// which has too few multiply-adds per output for matrix products: kernels/conv_depthwise.hpp. Threads take whole tasks (kernels/conv_tasks.hpp) whose
// boundaries depend on the sizes only, so every sum runs in the same order for 1 or N threads.
#include "kernels/conv.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/parallel.hpp"
#include "kernels/conv_columns.hpp"
#include "kernels/conv_depthwise.hpp"
#include "kernels/conv_grid_passes.hpp"
#include "kernels/conv_groups.hpp"
#include "kernels/winograd_conv.hpp"

namespace convlab {
namespace {

// ---- one group (or groups 1): dense x (N, n_C, *n), W (C_out, K), Y (N, C_out, *out) ---------------------

// Y = conv(x, W) + b (b may be null).
void forward_dense(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out, const float* b,
                   float* Y) {
    if (winograd_pays(g, N, C_out))
        winograd_conv_forward(x, N, g, W, C_out, b, Y);
    else if (grid_pays(g, C_out))
        grid_forward(x, N, g, W, C_out, b, Y);
    else
        columns_forward(x, N, g, W, C_out, b, Y);
}

// The given (not lifted) dims of one of g's size arrays.
std::vector<int64_t> given(const ConvGeometry& g, const int64_t* sizes) {
    return std::vector<int64_t>(sizes + 3 - g.n_spatial, sizes + 3);
}

// With stride 1, the input gradient is itself a stride-1 convolution:
//   dX[c, t] = sum_o sum_u W[o, c, u] dY[o, t + p - u d] = sum_o sum_u' W'[c, o, u'] dY[o, t - p' + u' d]
// with the taps reversed and the channels swapped, W'[c, o, u'] = W[o, c, f-1-u'], over dY padded by
// p' = d(f-1) - p (so it needs p <= d(f-1), as every "same" or "valid" padding is). Its products have C_in
// rows: with fewer than kMinFlipChannels (an RGB image) the tiles are too thin, and col2im of W^T dY is
// faster. Returns the geometry of that convolution, or nothing when it does not apply or pay.
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
    if (!winograd_pays(back, N, g.n_C) && !grid_pays(back, g.n_C)) return std::nullopt;
    return back;
}

// W' (C_in, C_out, *f) from W (C_out, C_in, *f): W'[c, o, u'] = W[o, c, taps-1-u'] (taps = prod(f)).
Tensor flipped_filters(const float* w, int64_t C_out, int64_t C_in, int64_t taps) {
    Tensor flipped = Tensor::empty({C_in, C_out, taps});
    float* out = flipped.data();
    parallel_for(C_in, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c)
            for (int64_t o = 0; o < C_out; ++o)
                for (int64_t u = 0; u < taps; ++u)
                    out[(c * C_out + o) * taps + u] = w[(o * C_in + c) * taps + taps - 1 - u];
    }, std::max<int64_t>(1, kTaskGrain / (C_out * taps)));
    return flipped;
}

// dX (N, n_C, *n) from dY (N, C_out, *out).
void backward_input_dense(const float* dY, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                          float* dX) {
    if (const std::optional<ConvGeometry> back = backward_as_convolution(g, N, C_out))
        return forward_dense(dY, N, *back, flipped_filters(W, C_out, g.n_C, g.kernel_numel()).data(), g.n_C,
                             nullptr, dX);
    columns_backward_input(dY, N, g, W, C_out, dX);
}

// dW (C_out x K) from dY (N, C_out, *out) and x.
Tensor backward_weight_dense(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out) {
    if (winograd_pays(g, N, C_out, /*weight_gradient=*/true)) return winograd_conv_backward_weight(dY, x, N, g, C_out);
    if (grid_pays(g, C_out)) return grid_backward_weight(dY, x, N, g, C_out);
    return columns_backward_weight(dY, x, N, g, C_out);
}

// ---- groups: each a convolution of its own ----------------------------------------------------------------

void forward_any(const float* x, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out, const float* b,
                 float* Y) {
    if (g.groups == 1) return forward_dense(x, N, g, W, C_out, b, Y);
    if (depthwise_applies(g)) return depthwise_forward(x, N, g, W, C_out, b, Y);
    GroupRuns r(N, g, C_out);
    for (int64_t q = 0; q < r.G; ++q) {
        float* y = r.out.target(Y, q, r.out_buffer());
        forward_dense(r.in.read(x, q, r.in_buffer()), N, r.one, r.filters(W, q), r.O, b ? b + q * r.O : nullptr, y);
        r.out.write_back(y, Y, q);
    }
}

void backward_input_any(const float* dY, int64_t N, const ConvGeometry& g, const float* W, int64_t C_out,
                        float* dX) {
    if (g.groups == 1) return backward_input_dense(dY, N, g, W, C_out, dX);
    GroupRuns r(N, g, C_out);
    for (int64_t q = 0; q < r.G; ++q) {
        float* dx = r.in.target(dX, q, r.in_buffer());
        backward_input_dense(r.out.read(dY, q, r.out_buffer()), N, r.one, r.filters(W, q), r.O, dx);
        r.in.write_back(dx, dX, q);
    }
}

// dW (C_out x K): the rows of group q from its dY and x.
Tensor backward_weight_any(const float* dY, const float* x, int64_t N, const ConvGeometry& g, int64_t C_out) {
    if (g.groups == 1) return backward_weight_dense(dY, x, N, g, C_out);
    GroupRuns r(N, g, C_out);
    const int64_t group_floats = r.O * r.one.col_rows();
    Tensor dW = Tensor::empty({C_out, r.one.col_rows()});
    for (int64_t q = 0; q < r.G; ++q) {
        const Tensor part =
            backward_weight_dense(r.out.read(dY, q, r.out_buffer()), r.in.read(x, q, r.in_buffer()), N, r.one, r.O);
        std::copy(part.data(), part.data() + group_floats, dW.data() + q * group_floats);
    }
    return dW;
}

}  // namespace

namespace kernels {

Tensor conv_forward(const Tensor& x, const Tensor& W, const Tensor& b, const ConvGeometry& g) {
    const Tensor xc = x.contiguous(), Wc = W.contiguous(), bc = b.defined() ? b.contiguous() : Tensor();
    Tensor Y = Tensor::empty(g.out_shape(x.dim(0), W.dim(0)));
    forward_any(xc.data(), x.dim(0), g, Wc.data(), W.dim(0), bc.defined() ? bc.data() : nullptr, Y.data());
    return Y;
}

Tensor conv_backward_input(const Tensor& dY, const Tensor& W, const ConvGeometry& g) {
    const Tensor dYc = dY.contiguous(), Wc = W.contiguous();
    Tensor dX = Tensor::empty(g.in_shape(dY.dim(0)));
    backward_input_any(dYc.data(), dY.dim(0), g, Wc.data(), W.dim(0), dX.data());
    return dX;
}

Tensor conv_backward_weight(const Tensor& dY, const Tensor& x, const ConvGeometry& g) {
    const Tensor dYc = dY.contiguous(), xc = x.contiguous();
    return backward_weight_any(dYc.data(), xc.data(), x.dim(0), g, dY.dim(1)).reshape(g.filter_shape(dY.dim(1)));
}

}  // namespace kernels
}  // namespace convlab
