// src/ops/elementwise.hpp
//
// Elementwise ops. Binary ops broadcast as NumPy does: shapes are aligned at the right, and a size-1 (or
// missing) dim is repeated to match, so (N, C, H, W) + (C, 1, 1) adds one value per channel. Their
// backward sums the gradient back over the repeated dims (sum_to).
#pragma once

#include "core/tensor.hpp"

namespace convlab {

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// y = a + b, a - b, a * b, a / b (broadcasting)
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
// with a constant: a + c, c * a, ...
Tensor operator+(const Tensor& a, float c);
Tensor operator+(float c, const Tensor& a);
Tensor operator-(const Tensor& a, float c);
Tensor operator-(float c, const Tensor& a);
Tensor operator*(const Tensor& a, float c);
Tensor operator*(float c, const Tensor& a);
Tensor operator/(const Tensor& a, float c);
Tensor operator/(float c, const Tensor& a);

// Unary ops; each comment gives y(x) and dy/dx.
Tensor neg(const Tensor& x);                    // -x;                 -1
Tensor exp(const Tensor& x);                    // e^x;                y
Tensor log(const Tensor& x);                    // ln x;               1/x
Tensor sqrt(const Tensor& x);                   // sqrt x;             1/(2y)
Tensor pow(const Tensor& x, float p);           // x^p;                p x^(p-1)
Tensor square(const Tensor& x);                 // x^2;                2x
Tensor abs(const Tensor& x);                    // |x|;                sign(x)
Tensor clamp(const Tensor& x, float lo, float hi);  // min(max(x, lo), hi);  1 inside, 0 outside
Tensor relu(const Tensor& x);                   // max(x, 0);          1 if x > 0
Tensor leaky_relu(const Tensor& x, float slope = 0.01f);  // x if x > 0 else slope x
Tensor sigmoid(const Tensor& x);                // 1/(1+e^-x);         y(1-y)
Tensor tanh(const Tensor& x);                   // tanh x;             1-y^2

// max(a, b) elementwise (broadcasting); the gradient goes to a where a >= b, else to b.
Tensor maximum(const Tensor& a, const Tensor& b);

}  // namespace convlab
