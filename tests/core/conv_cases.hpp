// tests/core/conv_cases.hpp: a convolution case (the shapes of x and W, the params) and the checks of the
// fast kernels against the naive ones (ops/conv_naive.cpp) that tests/core/test_conv*.cpp run over their lists.
#pragma once

#include "ops/conv.hpp"
#include "tests/support/check.hpp"

namespace convlab::testing {

struct ConvCase {
    Shape x, W;
    ConvParams p;
};

// conv_forward == conv_forward_naive (to 1e-4), with a bias and without.
inline void check_forward_matches_naive(const ConvCase& c) {
    CAPTURE(shape_str(c.x));
    CAPTURE(shape_str(c.W));
    const Tensor x = random_tensor(c.x, 21), W = random_tensor(c.W, 22), b = random_tensor({c.W[0]}, 23);
    CHECK(conv_forward(x, W, b, c.p).shape() == conv_output_shape(c.x, c.W, c.p));
    CHECK(max_relative_error(conv_forward(x, W, b, c.p).values(), conv_forward_naive(x, W, b, c.p).values()) <= 1e-4);
    CHECK(max_relative_error(conv_forward(x, W, {}, c.p).values(), conv_forward_naive(x, W, {}, c.p).values()) <=
          1e-4);
}

// conv_backward_input and conv_backward_weight == their naive twins (to 1e-4).
inline void check_backwards_match_naive(const ConvCase& c) {
    CAPTURE(shape_str(c.x));
    CAPTURE(shape_str(c.W));
    const Tensor x = random_tensor(c.x, 21), W = random_tensor(c.W, 22);
    const Tensor dY = random_tensor(conv_output_shape(c.x, c.W, c.p), 24);
    CHECK(max_relative_error(conv_backward_input(dY, W, c.x, c.p).values(),
                             conv_backward_input_naive(dY, W, c.x, c.p).values()) <= 1e-4);
    CHECK(max_relative_error(conv_backward_weight(dY, x, c.W, c.p).values(),
                             conv_backward_weight_naive(dY, x, c.W, c.p).values()) <= 1e-4);
}

// The forward and both backwards (and db), one after the other, for check_same_bits_for_1_and_2_threads.
inline std::vector<float> conv_passes(const ConvCase& c) {
    const Tensor x = random_tensor(c.x, 41), W = random_tensor(c.W, 42), b = random_tensor({c.W[0]}, 43);
    const Tensor dY = random_tensor(conv_output_shape(c.x, c.W, c.p), 44);
    std::vector<float> all = conv_forward(x, W, b, c.p).values();
    for (float v : conv_backward_input(dY, W, c.x, c.p).values()) all.push_back(v);
    for (float v : conv_backward_weight(dY, x, c.W, c.p).values()) all.push_back(v);
    for (float v : conv_backward_bias(dY).values()) all.push_back(v);
    return all;
}

}  // namespace convlab::testing
