// src/kernels/map.cpp
#include "kernels/map.hpp"

namespace convlab::kernels {

Shape broadcast_strides(const Tensor& t, const Shape& out) {
    Shape strides(out.size(), 0);
    const int shift = static_cast<int>(out.size()) - t.ndim();
    for (int d = 0; d < t.ndim(); ++d)
        if (t.shape()[d] != 1) strides[d + shift] = t.strides()[d];
    return strides;
}

}  // namespace convlab::kernels
