// src/ops/elementwise.cpp
#include "ops/elementwise.hpp"

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ops/reduce.hpp"

namespace convlab {
namespace {

constexpr int64_t kElementwiseChunk = 1 << 14;  // 16K floats per task: 64 KB, well above a wake-up's cost

// Strides of `s` seen as a tensor of shape `out` (right-aligned), 0 along broadcast dims.
Shape broadcast_strides(const Tensor& t, const Shape& out) {
    Shape strides(out.size(), 0);
    const int shift = static_cast<int>(out.size()) - t.ndim();
    for (int d = 0; d < t.ndim(); ++d)
        if (t.shape()[d] != 1) strides[d + shift] = t.strides()[d];
    return strides;
}

// y = f(a, b) over the broadcast shape.
template <typename F>
Tensor binary_map(const Tensor& a, const Tensor& b, const char* op, F f) {
    const Shape out_shape = broadcast_shapes(a.shape(), b.shape(), op);
    Tensor out = Tensor::empty(out_shape);
    float* y = out.data();
    const float* pa = a.data();
    const float* pb = b.data();
    const int64_t n = out.numel();
    if (a.shape() == b.shape() && a.is_contiguous() && b.is_contiguous()) {  // the common case
        parallel_for(n, [&](int64_t lo, int64_t hi) {
            for (int64_t i = lo; i < hi; ++i) y[i] = f(pa[i], pb[i]);
        }, kElementwiseChunk);
        return out;
    }
    // General case: walk rows of the output's last dim, with stride 0 along broadcast dims.
    const Shape sa = broadcast_strides(a, out_shape), sb = broadcast_strides(b, out_shape);
    const int nd = static_cast<int>(out_shape.size());
    const int64_t inner = nd ? out_shape[nd - 1] : 1;
    const int64_t ia = nd ? sa[nd - 1] : 0, ib = nd ? sb[nd - 1] : 0;
    const int64_t rows = inner ? n / inner : 0;
    parallel_for(rows, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            int64_t rem = r, oa = 0, ob = 0;
            for (int d = nd - 2; d >= 0; --d) {
                const int64_t i = rem % out_shape[d];
                rem /= out_shape[d];
                oa += i * sa[d];
                ob += i * sb[d];
            }
            float* yr = y + r * inner;
            for (int64_t j = 0; j < inner; ++j) yr[j] = f(pa[oa + j * ia], pb[ob + j * ib]);
        }
    }, std::max<int64_t>(1, kElementwiseChunk / std::max<int64_t>(inner, 1)));
    return out;
}

// y = f(x) elementwise.
template <typename F>
Tensor unary_map(const Tensor& x_in, F f) {
    const Tensor x = x_in.contiguous();
    Tensor out = Tensor::empty(x.shape());
    const float* px = x.data();
    float* y = out.data();
    parallel_for(x.numel(), [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) y[i] = f(px[i]);
    }, kElementwiseChunk);
    return out;
}

// A differentiable unary op: y = f(x), dX = dY * df(x, y).
template <typename F, typename DF>
Tensor unary_op(const Tensor& x, const char* name, F f, DF df) {
    Tensor y = unary_map(x, f);
    return record(y, name, {x}, [x, y = y.detach(), df](const Tensor& dY) {
        const Tensor xc = x.contiguous(), dYc = dY.contiguous();
        Tensor dX = Tensor::empty(x.shape());
        const float *px = xc.data(), *py = y.data(), *pg = dYc.data();
        float* pd = dX.data();
        parallel_for(dX.numel(), [&](int64_t lo, int64_t hi) {
            for (int64_t i = lo; i < hi; ++i) pd[i] = pg[i] * df(px[i], py[i]);
        }, kElementwiseChunk);
        return std::vector<Tensor>{dX};
    });
}

}  // namespace

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
    const size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (size_t i = 0; i < n; ++i) {
        const int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
        const int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
        check(da == db || da == 1 || db == 1, op, ": shapes ", shape_str(a), " and ", shape_str(b),
              " do not broadcast");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

Tensor add(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "add", [](float u, float v) { return u + v; });
    return record(y, "add", {a, b}, [sa = a.shape(), sb = b.shape()](const Tensor& dY) {
        return std::vector<Tensor>{sum_to(dY, sa), sum_to(dY, sb)};
    });
}

Tensor sub(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "sub", [](float u, float v) { return u - v; });
    return record(y, "sub", {a, b}, [sa = a.shape(), sb = b.shape()](const Tensor& dY) {
        return std::vector<Tensor>{sum_to(dY, sa), sum_to(neg(dY), sb)};
    });
}

// d(ab)/da = b, d(ab)/db = a
Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "mul", [](float u, float v) { return u * v; });
    return record(y, "mul", {a, b}, [a, b](const Tensor& dY) {
        return std::vector<Tensor>{a.requires_grad() ? sum_to(mul(dY, b), a.shape()) : Tensor(),
                                   b.requires_grad() ? sum_to(mul(dY, a), b.shape()) : Tensor()};
    });
}

// d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
Tensor div(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "div", [](float u, float v) { return u / v; });
    return record(y, "div", {a, b}, [a, b](const Tensor& dY) {
        return std::vector<Tensor>{
            a.requires_grad() ? sum_to(div(dY, b), a.shape()) : Tensor(),
            b.requires_grad() ? sum_to(neg(div(mul(dY, a), mul(b, b))), b.shape()) : Tensor()};
    });
}

Tensor maximum(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "maximum", [](float u, float v) { return u >= v ? u : v; });
    return record(y, "maximum", {a, b}, [a, b](const Tensor& dY) {
        const Tensor a_wins = binary_map(a, b, "maximum", [](float u, float v) { return u >= v ? 1.0f : 0.0f; });
        return std::vector<Tensor>{sum_to(mul(dY, a_wins), a.shape()),
                                   sum_to(mul(dY, 1.0f - a_wins), b.shape())};
    });
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }

Tensor operator+(const Tensor& a, float c) {
    return unary_op(a, "add_scalar", [c](float x) { return x + c; }, [](float, float) { return 1.0f; });
}
Tensor operator+(float c, const Tensor& a) { return a + c; }
Tensor operator-(const Tensor& a, float c) { return a + (-c); }
Tensor operator-(float c, const Tensor& a) {
    return unary_op(a, "rsub_scalar", [c](float x) { return c - x; }, [](float, float) { return -1.0f; });
}
Tensor operator*(const Tensor& a, float c) {
    return unary_op(a, "mul_scalar", [c](float x) { return x * c; }, [c](float, float) { return c; });
}
Tensor operator*(float c, const Tensor& a) { return a * c; }
Tensor operator/(const Tensor& a, float c) { return a * (1.0f / c); }
Tensor operator/(float c, const Tensor& a) {
    return unary_op(a, "rdiv_scalar", [c](float x) { return c / x; }, [c](float x, float) { return -c / (x * x); });
}

Tensor neg(const Tensor& x) {
    return unary_op(x, "neg", [](float v) { return -v; }, [](float, float) { return -1.0f; });
}
Tensor exp(const Tensor& x) {
    return unary_op(x, "exp", [](float v) { return std::exp(v); }, [](float, float y) { return y; });
}
Tensor log(const Tensor& x) {
    return unary_op(x, "log", [](float v) { return std::log(v); }, [](float v, float) { return 1.0f / v; });
}
Tensor sqrt(const Tensor& x) {
    return unary_op(x, "sqrt", [](float v) { return std::sqrt(v); }, [](float, float y) { return 0.5f / y; });
}
Tensor pow(const Tensor& x, float p) {
    return unary_op(x, "pow", [p](float v) { return std::pow(v, p); },
                    [p](float v, float) { return p * std::pow(v, p - 1.0f); });
}
Tensor square(const Tensor& x) {
    return unary_op(x, "square", [](float v) { return v * v; }, [](float v, float) { return 2.0f * v; });
}
Tensor abs(const Tensor& x) {
    return unary_op(x, "abs", [](float v) { return std::fabs(v); },
                    [](float v, float) { return v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f); });
}
Tensor clamp(const Tensor& x, float lo, float hi) {
    check(lo <= hi, "clamp: lo ", lo, " > hi ", hi);
    return unary_op(x, "clamp", [lo, hi](float v) { return std::min(std::max(v, lo), hi); },
                    [lo, hi](float v, float) { return (v >= lo && v <= hi) ? 1.0f : 0.0f; });
}
Tensor relu(const Tensor& x) {
    return unary_op(x, "relu", [](float v) { return v > 0 ? v : 0.0f; },
                    [](float v, float) { return v > 0 ? 1.0f : 0.0f; });
}
Tensor leaky_relu(const Tensor& x, float slope) {
    return unary_op(x, "leaky_relu", [slope](float v) { return v > 0 ? v : slope * v; },
                    [slope](float v, float) { return v > 0 ? 1.0f : slope; });
}
Tensor sigmoid(const Tensor& x) {
    return unary_op(x, "sigmoid",
                    [](float v) { return v >= 0 ? 1.0f / (1.0f + std::exp(-v)) : std::exp(v) / (1.0f + std::exp(v)); },
                    [](float, float y) { return y * (1.0f - y); });
}
Tensor tanh(const Tensor& x) {
    return unary_op(x, "tanh", [](float v) { return std::tanh(v); }, [](float, float y) { return 1.0f - y * y; });
}

}  // namespace convlab
