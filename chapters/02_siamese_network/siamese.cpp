// chapters/02_siamese_network/siamese.cpp
//
// The Siamese network (DeepFace, Taigman et al., 2014).                     [lecture: "Siamese Network"]
//
// A ConvNet ends not in a softmax but in 128 numbers, f(x^(i)), the encoding of the photo. Two photos are
// compared by running the same network, with the same parameters, on each and measuring
//
//   d(x^(1), x^(2)) = ||f(x^(1)) - f(x^(2))||^2
//
// Learning goal: small d when x^(i), x^(j) are the same person, large d when they are different persons.
#include "chapters/02_siamese_network/siamese.hpp"

#include "chapters/01_one_shot_learning/one_shot.hpp"
#include "core/error.hpp"
#include "io/image.hpp"

namespace convlab {

// image: (C, H, W), C = 1 or 3  ->  f(x): (dim,)
Tensor img_to_encoding(FaceEncoder& f, const Tensor& image) {
    check(image.ndim() == 3 && (image.dim(0) == 1 || image.dim(0) == 3),
          "img_to_encoding: expected a photo (1, H, W) or (3, H, W), got ", image.shape_str());
    // BEGIN SOLUTION ch02.img_to_encoding
    const EncoderConfig& c = f.config();
    const Tensor x = resize_bilinear(to_grey(image), c.height, c.width).reshape({1, 1, c.height, c.width});
    return encode_all(f, x).reshape({c.dim});
    // END SOLUTION
}

float siamese_distance(FaceEncoder& f, const Tensor& x1, const Tensor& x2) {
    return face_distance(img_to_encoding(f, x1), img_to_encoding(f, x2));
}

}  // namespace convlab
