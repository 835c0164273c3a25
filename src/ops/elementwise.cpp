// src/ops/elementwise.cpp
//
// Elementwise ops: y = f(x) or y = f(a, b) value by value, and their derivatives. Each op below gives f and
// what its backward multiplies dY by; the loops over the elements (broadcasting, threads) are
// kernels::unary_map and kernels::binary_map (src/kernels/map.hpp).
#include "ops/elementwise.hpp"

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "kernels/map.hpp"
#include "ops/reduce.hpp"

namespace convlab {
namespace {

// y = f(a, b) over the broadcast shape of a and b.
template <typename F>
Tensor binary_map(const Tensor& a, const Tensor& b, const char* op, F f) {
    Tensor y = Tensor::empty(broadcast_shapes(a.shape(), b.shape(), op));
    kernels::binary_map(a, b, y, f);
    return y;
}

// y = f(x) elementwise.
template <typename F>
Tensor unary_map(const Tensor& x_in, F f) {
    const Tensor x = x_in.contiguous();
    Tensor y = Tensor::empty(x.shape());
    kernels::unary_map(x, y, f);
    return y;
}

// What the derivative of a unary op reads, and so what its backward keeps: the input x (log, square, ...)
// or the output y (ReLU, exp, sigmoid, tanh, sqrt: y is usually kept anyway, as the next op's input).
enum class Reads { x, y };

// A differentiable unary op: y = f(x), dX = dY * df(v) with v = x or y elementwise, as `reads` says.
template <typename F, typename DF>
Tensor unary_op(const Tensor& x_in, const char* name, Reads reads, F f, DF df) {
    const Tensor x = x_in.contiguous();
    Tensor y = unary_map(x, f);
    return record(y, name, {x_in}, [v = (reads == Reads::x ? x : y).detach(), df, name](const Tensor& dY) {
        return std::vector<Tensor>{binary_map(dY.contiguous(), v, name, [df](float g, float u) { return g * df(u); })};
    });
}

// A unary op with a constant slope: y = f(x), dX = slope * dY (keeps nothing).
template <typename F>
Tensor linear_op(const Tensor& x, const char* name, F f, float slope) {
    return record(unary_map(x, f), name, {x}, [slope](const Tensor& dY) {
        return std::vector<Tensor>{dY * slope};
    });
}

// t itself for a backward that reads it, else an undefined tensor (nothing kept).
Tensor kept_if(bool read, const Tensor& t) { return read ? t.detach() : Tensor(); }

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

// d(ab)/da = b, d(ab)/db = a: each factor is kept only if the other one needs its gradient.
Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "mul", [](float u, float v) { return u * v; });
    return record(y, "mul", {a, b}, [sa = a.shape(), sb = b.shape(), a = kept_if(b.requires_grad(), a),
                                     b = kept_if(a.requires_grad(), b)](const Tensor& dY) {
        return std::vector<Tensor>{b.defined() ? sum_to(mul(dY, b), sa) : Tensor(),
                                   a.defined() ? sum_to(mul(dY, a), sb) : Tensor()};
    });
}

// d(a/b)/da = 1/b, d(a/b)/db = -a/b^2: a is kept only if b needs its gradient.
Tensor div(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "div", [](float u, float v) { return u / v; });
    const bool da = a.requires_grad(), db = b.requires_grad();
    return record(y, "div", {a, b}, [sa = a.shape(), da, db, a = kept_if(db, a), b = b.detach()](const Tensor& dY) {
        return std::vector<Tensor>{da ? sum_to(div(dY, b), sa) : Tensor(),
                                   db ? sum_to(neg(div(mul(dY, a), mul(b, b))), b.shape()) : Tensor()};
    });
}

Tensor maximum(const Tensor& a, const Tensor& b) {
    Tensor y = binary_map(a, b, "maximum", [](float u, float v) { return u >= v ? u : v; });
    return record(y, "maximum", {a, b}, [a = a.detach(), b = b.detach()](const Tensor& dY) {
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

Tensor operator+(const Tensor& a, float c) { return linear_op(a, "add_scalar", [c](float x) { return x + c; }, 1.0f); }
Tensor operator+(float c, const Tensor& a) { return a + c; }
Tensor operator-(const Tensor& a, float c) { return a + (-c); }
Tensor operator-(float c, const Tensor& a) {
    return linear_op(a, "rsub_scalar", [c](float x) { return c - x; }, -1.0f);
}
Tensor operator*(const Tensor& a, float c) { return linear_op(a, "mul_scalar", [c](float x) { return x * c; }, c); }
Tensor operator*(float c, const Tensor& a) { return a * c; }
Tensor operator/(const Tensor& a, float c) { return a * (1.0f / c); }
Tensor operator/(float c, const Tensor& a) {
    return unary_op(a, "rdiv_scalar", Reads::x, [c](float x) { return c / x; }, [c](float x) { return -c / (x * x); });
}

Tensor neg(const Tensor& x) { return linear_op(x, "neg", [](float v) { return -v; }, -1.0f); }
Tensor exp(const Tensor& x) {
    return unary_op(x, "exp", Reads::y, [](float v) { return std::exp(v); }, [](float y) { return y; });
}
Tensor log(const Tensor& x) {
    return unary_op(x, "log", Reads::x, [](float v) { return std::log(v); }, [](float v) { return 1.0f / v; });
}
Tensor sqrt(const Tensor& x) {
    return unary_op(x, "sqrt", Reads::y, [](float v) { return std::sqrt(v); }, [](float y) { return 0.5f / y; });
}
Tensor pow(const Tensor& x, float p) {
    return unary_op(x, "pow", Reads::x, [p](float v) { return std::pow(v, p); },
                    [p](float v) { return p * std::pow(v, p - 1.0f); });
}
Tensor square(const Tensor& x) {
    return unary_op(x, "square", Reads::x, [](float v) { return v * v; }, [](float v) { return 2.0f * v; });
}
Tensor abs(const Tensor& x) {
    return unary_op(x, "abs", Reads::x, [](float v) { return std::fabs(v); },
                    [](float v) { return v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f); });
}
Tensor clamp(const Tensor& x, float lo, float hi) {
    check(lo <= hi, "clamp: lo ", lo, " > hi ", hi);
    return unary_op(x, "clamp", Reads::x, [lo, hi](float v) { return std::min(std::max(v, lo), hi); },
                    [lo, hi](float v) { return (v >= lo && v <= hi) ? 1.0f : 0.0f; });
}
// y > 0 exactly where x > 0, so the slope comes from the output (which the next layer keeps anyway), and
// the pre-activation is freed once ReLU has read it.
Tensor relu(const Tensor& x) {
    return unary_op(x, "relu", Reads::y, [](float v) { return v > 0 ? v : 0.0f; },
                    [](float y) { return y > 0 ? 1.0f : 0.0f; });
}
Tensor leaky_relu(const Tensor& x, float slope) {  // from x: with slope <= 0 the output's sign says nothing
    return unary_op(x, "leaky_relu", Reads::x, [slope](float v) { return v > 0 ? v : slope * v; },
                    [slope](float v) { return v > 0 ? 1.0f : slope; });
}
Tensor sigmoid(const Tensor& x) {
    return unary_op(x, "sigmoid", Reads::y,
                    [](float v) { return v >= 0 ? 1.0f / (1.0f + std::exp(-v)) : std::exp(v) / (1.0f + std::exp(v)); },
                    [](float y) { return y * (1.0f - y); });
}
Tensor tanh(const Tensor& x) {
    return unary_op(x, "tanh", Reads::y, [](float v) { return std::tanh(v); }, [](float y) { return 1.0f - y * y; });
}

}  // namespace convlab
