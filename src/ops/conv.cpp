// src/ops/conv.cpp
//
// Convolution, 1 to 3 spatial dims, with groups (G = C_in: depthwise).      [lecture: "Convolutions over
//                                                                    volumes", "1D and 3D Generalizations", "MobileNet"]
//   Y[n, o, i] = b[o] + sum_c sum_u W[o, c, u] * x[n, q C + c, i s + u d - p]          q = o / O: o's group
//   dx[n, q C + c, t] = sum over (o of group q, u, i) with i s + u d - p = t of dY[n, o, i] * W[o, c, u]
//   dW[o, c, u] = sum_n sum_i dY[n, o, i] * x[n, q C + c, i s + u d - p]
//   db[o] = sum_n sum_i dY[n, o, i]
// (i, u, t: output position, filter tap and input index, one per spatial dim; x outside [0, n) reads 0.)
//
// x (N, C_in, *n), W (C_out, C_in/G, *f), b (C_out,)  ->  Y (N, C_out, *out), out = (n + 2p - d(f-1) - 1)/s + 1;
// C = C_in/G inputs and O = C_out/G outputs a group. The formulas as loops: ops/conv_naive.cpp. How they are
// made fast: kernels/conv.hpp.
#include "ops/conv.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/conv.hpp"
#include "ops/reduce.hpp"

namespace convlab {
namespace {
const char* conv_name(size_t n_dims) {
    static const char* const names[] = {"conv1d", "conv2d", "conv3d"};
    return n_dims >= 3 && n_dims <= 5 ? names[n_dims - 3] : "conv";
}
}  // namespace

Tensor conv(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p) {
    const ConvGeometry g = conv_geometry_for(x.shape(), W.shape(), p, b);
    Tensor Y = kernels::conv_forward(x, W, b, g);
    return record(Y, conv_name(W.shape().size()), {x, W, b}, [x, W, b, g](const Tensor& dY) {
        return std::vector<Tensor>{x.requires_grad() ? kernels::conv_backward_input(dY, W, g) : Tensor(),
                                   W.requires_grad() ? kernels::conv_backward_weight(dY, x, g) : Tensor(),
                                   b.defined() && b.requires_grad() ? conv_backward_bias(dY) : Tensor()};
    });
}

// ---- the passes on their own, no autodiff (the naive twins: ops/conv_naive.cpp) ----------------------------

Tensor conv_forward(const Tensor& x, const Tensor& W, const Tensor& b, const ConvParams& p) {
    return kernels::conv_forward(x, W, b, conv_geometry_for(x.shape(), W.shape(), p, b));
}

Tensor conv_backward_input(const Tensor& dY, const Tensor& W, const Shape& x_shape, const ConvParams& p) {
    return kernels::conv_backward_input(dY, W, conv_geometry_for(x_shape, W.shape(), p, Tensor(), dY));
}

Tensor conv_backward_weight(const Tensor& dY, const Tensor& x, const Shape& W_shape, const ConvParams& p) {
    return kernels::conv_backward_weight(dY, x, conv_geometry_for(x.shape(), W_shape, p, Tensor(), dY));
}

// db[o] = sum_n sum_l dY[n, o, l], each row dY[n, o, :] by sum_floats (ops/reduce.hpp), added over n in
// order. The order depends on the shapes only. A thread takes outputs [o0, o1) and reads their rows sample
// by sample, which lie next to each other in memory (o by o, the rows would be C_out L floats apart).
Tensor conv_backward_bias(const Tensor& dY) {
    check(dY.ndim() >= 3, "conv backward bias: dY must be (N, C_out, *out), got ", dY.shape_str());
    const Tensor dYc = dY.contiguous();
    const int64_t N = dY.dim(0), C_out = dY.dim(1), L = dY.numel() / std::max<int64_t>(1, N * C_out);
    Tensor db = Tensor::empty({C_out});
    parallel_for(C_out, [&](int64_t o0, int64_t o1) {
        std::vector<double> acc(static_cast<size_t>(o1 - o0), 0.0);
        for (int64_t n = 0; n < N; ++n)
            for (int64_t o = o0; o < o1; ++o) acc[o - o0] += sum_floats(dYc.data() + (n * C_out + o) * L, L);
        for (int64_t o = o0; o < o1; ++o) db.data()[o] = static_cast<float>(acc[o - o0]);
    });
    return db;
}

// ---- shapes ------------------------------------------------------------------------------------------

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
