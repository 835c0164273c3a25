// src/ops/conv_naive.cpp
//
// The convolution's definitions as direct loops, accumulating in double: the references the fast
// kernels in ops/conv.cpp are tested against. Sizes are lifted to 3 spatial dims (a 1D or 2D
// convolution is a 3D one with leading sizes 1), so the same loops serve 1D, 2D and 3D.
//
// Index names: n sample, o output channel, c input channel, (u, v, w) filter tap, (i, j, k) output position,
// (iz, iy, ix) input position = (i, j, k) * s + (u, v, w) * d - p. With G groups of C = n_C/G input and
// O = C_out/G output channels, output o reads the inputs q C + c (c < C) of its group q = o / O, through
// W[o, c, .].
#include "ops/conv.hpp"

namespace convlab {
namespace {

// Offsets of X[n, c, iz, iy, ix] in a dense (N, C, n_D, n_H, n_W) buffer, and the same for W and Y.
struct Dense {
    int64_t C, D, H, W;
    int64_t operator()(int64_t n, int64_t c, int64_t z, int64_t y, int64_t x) const {
        return (((n * C + c) * D + z) * H + y) * W + x;
    }
};

bool inside(int64_t index, int64_t n) { return index >= 0 && index < n; }

// The output position i whose window reads input position t through tap u (i*s + u*d - p = t), or -1.
int64_t reader(int64_t t, int64_t u, int64_t s, int64_t d, int64_t p, int64_t out) {
    const int64_t offset = t + p - u * d;
    return offset >= 0 && offset % s == 0 && offset / s < out ? offset / s : -1;
}

}  // namespace

// Y[n, o, i, j, k] = b[o] + sum_c sum_u sum_v sum_w W[o, c, u, v, w] * X[n, q C + c, iz, iy, ix],  q = o / O
Tensor conv_forward_naive(const Tensor& x_in, const Tensor& W_in, const Tensor& b_in, const ConvParams& p) {
    // BEGIN SOLUTION core.conv_forward_naive
    const ConvGeometry g = conv_geometry_for(x_in.shape(), W_in.shape(), p, b_in);
    const Tensor x = x_in.contiguous(), W = W_in.contiguous(), b = b_in.defined() ? b_in.contiguous() : Tensor();
    const int64_t N = x.dim(0), C_out = W.dim(0), C = g.n_C / g.groups, O = C_out / g.groups;
    const Dense X_at{g.n_C, g.n[0], g.n[1], g.n[2]}, W_at{C, g.f[0], g.f[1], g.f[2]};
    Tensor Y = Tensor::empty(g.out_shape(N, C_out));
    float* y = Y.data();
    for (int64_t n = 0; n < N; ++n)
        for (int64_t o = 0; o < C_out; ++o)
            for (int64_t i = 0; i < g.out[0]; ++i)
                for (int64_t j = 0; j < g.out[1]; ++j)
                    for (int64_t k = 0; k < g.out[2]; ++k) {
                        double acc = b.defined() ? b.data()[o] : 0.0;
                        for (int64_t c = 0; c < C; ++c)
                            for (int64_t u = 0; u < g.f[0]; ++u)
                                for (int64_t v = 0; v < g.f[1]; ++v)
                                    for (int64_t w = 0; w < g.f[2]; ++w) {
                                        const int64_t iz = i * g.s[0] + u * g.d[0] - g.p[0];
                                        const int64_t iy = j * g.s[1] + v * g.d[1] - g.p[1];
                                        const int64_t ix = k * g.s[2] + w * g.d[2] - g.p[2];
                                        if (inside(iz, g.n[0]) && inside(iy, g.n[1]) && inside(ix, g.n[2]))
                                            acc += double(W.data()[W_at(o, c, u, v, w)]) *
                                                   x.data()[X_at(n, o / O * C + c, iz, iy, ix)];
                                    }
                        *y++ = static_cast<float>(acc);
                    }
    return Y;
    // END SOLUTION
}

// dX[n, c, iz, iy, ix] = sum_o sum_u sum_v sum_w dY[n, o, i, j, k] * W[o, c mod C, u, v, w]
//   over the outputs o of c's group q = c / C, and the taps for which an output position (i, j, k) reads (iz, iy, ix): the gather form, each dX value
//   summed in one place (the fast kernel scatters instead, so the two are independent).
Tensor conv_backward_input_naive(const Tensor& dY_in, const Tensor& W_in, const Shape& x_shape,
                                 const ConvParams& p) {
    // BEGIN SOLUTION core.conv_backward_naive
    const ConvGeometry g = conv_geometry_for(x_shape, W_in.shape(), p, Tensor(), dY_in);
    const Tensor dY = dY_in.contiguous(), W = W_in.contiguous();
    const int64_t N = x_shape[0], C_out = W.dim(0), C = g.n_C / g.groups, O = C_out / g.groups;
    const Dense dY_at{C_out, g.out[0], g.out[1], g.out[2]}, W_at{C, g.f[0], g.f[1], g.f[2]};
    Tensor dX = Tensor::empty(x_shape);
    float* dx = dX.data();
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < g.n_C; ++c)
            for (int64_t iz = 0; iz < g.n[0]; ++iz)
                for (int64_t iy = 0; iy < g.n[1]; ++iy)
                    for (int64_t ix = 0; ix < g.n[2]; ++ix) {
                        double acc = 0.0;
                        for (int64_t o = c / C * O; o < (c / C + 1) * O; ++o)
                            for (int64_t u = 0; u < g.f[0]; ++u)
                                for (int64_t v = 0; v < g.f[1]; ++v)
                                    for (int64_t w = 0; w < g.f[2]; ++w) {
                                        const int64_t i = reader(iz, u, g.s[0], g.d[0], g.p[0], g.out[0]);
                                        const int64_t j = reader(iy, v, g.s[1], g.d[1], g.p[1], g.out[1]);
                                        const int64_t k = reader(ix, w, g.s[2], g.d[2], g.p[2], g.out[2]);
                                        if (i >= 0 && j >= 0 && k >= 0)
                                            acc += double(dY.data()[dY_at(n, o, i, j, k)]) *
                                                   W.data()[W_at(o, c % C, u, v, w)];
                                    }
                        *dx++ = static_cast<float>(acc);
                    }
    return dX;
    // END SOLUTION
}

// dW[o, c, u, v, w] = sum_n sum_i sum_j sum_k dY[n, o, i, j, k] * X[n, q C + c, iz, iy, ix],  q = o / O
Tensor conv_backward_weight_naive(const Tensor& dY_in, const Tensor& x_in, const Shape& W_shape,
                                  const ConvParams& p) {
    // BEGIN SOLUTION core.conv_backward_naive
    const ConvGeometry g = conv_geometry_for(x_in.shape(), W_shape, p, Tensor(), dY_in);
    const Tensor dY = dY_in.contiguous(), x = x_in.contiguous();
    const int64_t N = x.dim(0), C_out = W_shape[0], C = g.n_C / g.groups, O = C_out / g.groups;
    const Dense X_at{g.n_C, g.n[0], g.n[1], g.n[2]}, dY_at{C_out, g.out[0], g.out[1], g.out[2]};
    Tensor dW = Tensor::empty(W_shape);
    float* dw = dW.data();
    for (int64_t o = 0; o < C_out; ++o)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t u = 0; u < g.f[0]; ++u)
                for (int64_t v = 0; v < g.f[1]; ++v)
                    for (int64_t w = 0; w < g.f[2]; ++w) {
                        double acc = 0.0;
                        for (int64_t n = 0; n < N; ++n)
                            for (int64_t i = 0; i < g.out[0]; ++i)
                                for (int64_t j = 0; j < g.out[1]; ++j)
                                    for (int64_t k = 0; k < g.out[2]; ++k) {
                                        const int64_t iz = i * g.s[0] + u * g.d[0] - g.p[0];
                                        const int64_t iy = j * g.s[1] + v * g.d[1] - g.p[1];
                                        const int64_t ix = k * g.s[2] + w * g.d[2] - g.p[2];
                                        if (inside(iz, g.n[0]) && inside(iy, g.n[1]) && inside(ix, g.n[2]))
                                            acc += double(dY.data()[dY_at(n, o, i, j, k)]) *
                                                   x.data()[X_at(n, o / O * C + c, iz, iy, ix)];
                                    }
                        *dw++ = static_cast<float>(acc);
                    }
    return dW;
    // END SOLUTION
}

}  // namespace convlab
