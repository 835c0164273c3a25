// src/face/pretrained/face_input.cpp: face-api's input preparation (see face_input.hpp).
#include "face/pretrained/face_input.hpp"

#include <algorithm>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/image.hpp"
#include "ops/elementwise.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

SquarePadding square_padding(int64_t H, int64_t W) {
    const int64_t d = H > W ? H - W : W - H, after = (d + 1) / 2, before = d - after;
    SquarePadding p;
    if (H > W) {
        p.left = before, p.right = after;
    } else {
        p.top = before, p.bottom = after;
    }
    return p;
}

Tensor pad_to_square(const Tensor& image) {
    check(image.ndim() == 3, "pad_to_square: expected an image (C, H, W), got ", image.shape_str());
    if (image.dim(1) == image.dim(2)) return image;
    const SquarePadding p = square_padding(image.dim(1), image.dim(2));
    return pad(image, {p.top, p.bottom, p.left, p.right});
}

Tensor face_net_input(const Tensor& face, int64_t size) {
    check(face.ndim() == 3 && face.dim(0) == 3 && face.dim(1) > 0 && face.dim(2) > 0,
          "face network input: expected an RGB face (3, H, W), got ", face.shape_str());
    NoGradGuard no_grad;
    Tensor x = pad_to_square(face * 255.0f);                                // (3, n, n), 0..255
    if (x.dim(1) != size) x = resize_bilinear_tf(x, size, size);            // (3, size, size)
    return x.reshape({1, 3, size, size});
}

Tensor normalise_face_input(const Tensor& x_in) {
    check(x_in.ndim() == 4 && x_in.dim(1) == 3, "normalise_face_input: expected (N, 3, H, W), got ", x_in.shape_str());
    const Tensor x = x_in.contiguous();
    Tensor y = Tensor::empty(x.shape());
    const int64_t planes = x.dim(0) * 3, plane = x.dim(2) * x.dim(3);
    const float* in = x.data();
    float* out = y.data();
    parallel_for(planes, [&](int64_t q0, int64_t q1) {
        for (int64_t q = q0; q < q1; ++q) {
            const float mean = kFaceMeanRgb[q % 3];
            for (int64_t i = q * plane; i < (q + 1) * plane; ++i) out[i] = (in[i] - mean) / 255.0f;
        }
    }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(plane, 1)));
    return y;
}

}  // namespace convlab
