// src/ops/conv.cpp
//
// The fast convolution: per sample, im2col then one matrix product (kernels/im2col.hpp, kernels/gemm.hpp).
// gemm already splits its work over the thread pool, so the batch loop stays serial; every sum is taken in
// an order that does not depend on the thread count, so the results are the same bits for 1 or N threads.
// The naive twins are in ops/conv_naive.cpp.
#include "ops/conv.hpp"

#include <algorithm>
#include <string>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/gemm.hpp"

namespace convlab {
namespace {

const char* conv_name(size_t n_dims) {
    static const char* const names[] = {"conv1d", "conv2d", "conv3d"};
    return n_dims >= 3 && n_dims <= 5 ? names[n_dims - 3] : "conv";
}

}  // namespace

ConvParams ConvParams::same_for(int n_spatial, int64_t stride, int64_t padding, int64_t dilation) {
    check(n_spatial >= 1 && n_spatial <= 3, "ConvParams::same_for: expected 1, 2 or 3 spatial dims, got ", n_spatial);
    const size_t k = static_cast<size_t>(n_spatial);
    return ConvParams{std::vector<int64_t>(k, stride), std::vector<int64_t>(k, padding),
                      std::vector<int64_t>(k, dilation)};
}

ConvGeometry conv_geometry_for(const Shape& x_shape, const Shape& W_shape, const ConvParams& p, const Tensor& b,
                               const Tensor& dY) {
    const std::string op = std::string(conv_name(W_shape.size())) + " of x " + shape_str(x_shape) + " with W " +
                           shape_str(W_shape);
    check(W_shape.size() >= 3 && W_shape.size() <= 5, op, ": W must be (C_out, C_in, *f) with 1 to 3 spatial dims");
    check(x_shape.size() == W_shape.size(), op, ": x must be (N, C_in, *spatial) with as many dims as W");
    check(x_shape[1] == W_shape[1], op, ": x has ", x_shape[1], " channels, W expects C_in = ", W_shape[1]);
    check(W_shape[0] >= 1, op, ": W has no filters");
    const Shape n(x_shape.begin() + 2, x_shape.end()), f(W_shape.begin() + 2, W_shape.end());
    const auto or_default = [&](const std::vector<int64_t>& v, int64_t value) {
        return v.empty() ? std::vector<int64_t>(f.size(), value) : v;
    };
    const ConvGeometry g = conv_geometry(op.c_str(), x_shape[1], n, f, or_default(p.stride, 1),
                                         or_default(p.padding, 0), or_default(p.dilation, 1));
    check(!b.defined() || b.shape() == Shape{W_shape[0]}, op, ": bias b must have shape (", W_shape[0], "), got ",
          b.defined() ? b.shape_str() : "");
    check(!dY.defined() || dY.shape() == g.out_shape(x_shape[0], W_shape[0]), op, ": dY must have the output's shape ",
          shape_str(g.out_shape(x_shape[0], W_shape[0])), ", got ", dY.defined() ? dY.shape_str() : "");
    return g;
}

Shape conv_output_shape(const Shape& x_shape, const Shape& W_shape, const ConvParams& p) {
    return conv_geometry_for(x_shape, W_shape, p).out_shape(x_shape[0], W_shape[0]);
}

// For each sample n, with K = C_in*prod(f) rows of cols and L = prod(out) filter positions:
//   cols_n = im2col(X[n])                 (K x L)
//   Y[n]   = W (C_out x K) * cols_n + b   (C_out x L)
Tensor conv_forward(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p) {
    const ConvGeometry g = conv_geometry_for(x.shape(), W.shape(), p, b);
    const int64_t N = x.dim(0), C_out = W.dim(0), K = g.col_rows(), L = g.out_numel();
    const Tensor xc = x.contiguous(), Wc = W.contiguous(), bc = b.defined() ? b.contiguous() : Tensor();
    Tensor Y = Tensor::empty(g.out_shape(N, C_out));
    Tensor cols = g.cols_are_input() ? Tensor() : Tensor::empty({K, L});
    for (int64_t n = 0; n < N; ++n) {
        const float* x_n = xc.data() + n * g.n_C * g.in_numel();
        if (cols.defined()) im2col(x_n, g, cols.data());
        float* y_n = Y.data() + n * C_out * L;
        if (bc.defined())  // start each row of Y[n] at b[o], and let gemm add W cols_n onto it (beta = 1)
            for (int64_t o = 0; o < C_out; ++o) std::fill(y_n + o * L, y_n + (o + 1) * L, bc.data()[o]);
        gemm(false, false, C_out, L, K, 1.0f, Wc.data(), K, cols.defined() ? cols.data() : x_n, L,
             bc.defined() ? 1.0f : 0.0f, y_n, L);
    }
    return Y;
}

// For each sample: dcols_n = W^T (K x C_out) * dY[n] (C_out x L), then dX[n] = col2im(dcols_n).
Tensor conv_backward_input(const Tensor& dY, const Tensor& W, const Shape& x_shape, const ConvParams& p) {
    const ConvGeometry g = conv_geometry_for(x_shape, W.shape(), p, Tensor(), dY);
    const int64_t N = x_shape[0], C_out = W.dim(0), K = g.col_rows(), L = g.out_numel();
    const Tensor dYc = dY.contiguous(), Wc = W.contiguous();
    Tensor dX = Tensor::empty(x_shape);
    Tensor dcols = g.cols_are_input() ? Tensor() : Tensor::empty({K, L});
    for (int64_t n = 0; n < N; ++n) {
        float* dx_n = dX.data() + n * g.n_C * g.in_numel();
        gemm(true, false, K, L, C_out, 1.0f, Wc.data(), K, dYc.data() + n * C_out * L, L, 0.0f,
             dcols.defined() ? dcols.data() : dx_n, L);
        if (dcols.defined()) col2im(dcols.data(), g, dx_n);
    }
    return dX;
}

// dW (C_out x K) = sum over n of dY[n] (C_out x L) * cols_n^T (L x K), added sample after sample (beta = 1),
// always in the order n = 0, 1, ..., N-1.
Tensor conv_backward_weight(const Tensor& dY, const Tensor& x, const Shape& W_shape, const ConvParams& p) {
    const ConvGeometry g = conv_geometry_for(x.shape(), W_shape, p, Tensor(), dY);
    const int64_t N = x.dim(0), C_out = W_shape[0], K = g.col_rows(), L = g.out_numel();
    const Tensor dYc = dY.contiguous(), xc = x.contiguous();
    Tensor dW = Tensor::zeros(W_shape);
    Tensor cols = g.cols_are_input() ? Tensor() : Tensor::empty({K, L});
    for (int64_t n = 0; n < N; ++n) {
        const float* x_n = xc.data() + n * g.n_C * g.in_numel();
        if (cols.defined()) im2col(x_n, g, cols.data());
        gemm(false, true, C_out, K, L, 1.0f, dYc.data() + n * C_out * L, L, cols.defined() ? cols.data() : x_n, L,
             1.0f, dW.data(), K);
    }
    return dW;
}

// db[o] = sum_n sum_l dY[n, o, l], in double, n then l in order.
Tensor conv_backward_bias(const Tensor& dY) {
    check(dY.ndim() >= 3, "conv backward bias: dY must be (N, C_out, *out), got ", dY.shape_str());
    const Tensor dYc = dY.contiguous();
    const int64_t N = dY.dim(0), C_out = dY.dim(1), L = dY.numel() / std::max<int64_t>(1, N * C_out);
    Tensor db = Tensor::empty({C_out});
    parallel_for(C_out, [&](int64_t o0, int64_t o1) {
        for (int64_t o = o0; o < o1; ++o) {
            double acc = 0.0;
            for (int64_t n = 0; n < N; ++n) {
                const float* row = dYc.data() + (n * C_out + o) * L;
                for (int64_t l = 0; l < L; ++l) acc += row[l];
            }
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
               int64_t dilation) {
    const char* op = conv_name(static_cast<size_t>(n_spatial) + 2);
    check(x.ndim() == n_spatial + 2 && W.ndim() == n_spatial + 2, op, ": expected x (N, C_in, *spatial) and W ",
          "(C_out, C_in, *f) with ", n_spatial, " spatial dims, got x ", x.shape_str(), " and W ", W.shape_str());
    return conv(x, W, b, ConvParams::same_for(n_spatial, stride, padding, dilation));
}

}  // namespace

Tensor conv1d(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t padding, int64_t dilation) {
    return conv_nd(1, x, W, b, stride, padding, dilation);
}
Tensor conv2d(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t padding, int64_t dilation) {
    return conv_nd(2, x, W, b, stride, padding, dilation);
}
Tensor conv3d(const Tensor& x, const Tensor& W, const Tensor& b, int64_t stride, int64_t padding, int64_t dilation) {
    return conv_nd(3, x, W, b, stride, padding, dilation);
}

}  // namespace convlab
