// src/data/faces.hpp
//
// A face data set: photos with the identity of the person in each, read from a folder with one subfolder
// per person (ORL / AT&T layout: att_faces/s1/1.pgm ... att_faces/s40/10.pgm), or made by the synthetic
// generator (data/synthetic_faces.hpp).
//
// Every photo is converted to the model's input: grey, resized (bilinear) to height x width, values in
// [0, 1]. People and files are taken in natural sort order (s1, s2, ..., s10, not s1, s10, s2), so
// "people 1..10" means the same persons on every machine.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

struct FaceDataset {
    std::vector<std::string> people;  // person names (subfolder names), in natural order
    Tensor images;                    // (N, 1, height, width), values in [0, 1]
    std::vector<int> labels;          // labels[i] = index into people of image i
    std::vector<std::string> files;   // where image i came from (a path, or "synthetic:<person>/<i>")
    std::string source;               // the folder, or a description of the synthetic set

    int64_t size() const { return static_cast<int64_t>(labels.size()); }
    int height() const { return static_cast<int>(images.dim(2)); }
    int width() const { return static_cast<int>(images.dim(3)); }
    // Indices of the images of person p.
    std::vector<int64_t> images_of(int p) const;
};

// a < b in natural order: runs of digits compare as numbers ("s2" < "s10").
bool natural_less(const std::string& a, const std::string& b);

// True for the image file types load_face_folder reads: .pgm .ppm .png .jpg .jpeg .bmp (any case).
bool is_image_file(const std::string& path);

// Reads dir/<person>/<image>. Files at the top level (a README) are ignored; inside a person folder every
// file must be a readable image (else convlab::Error naming the file). A folder with no person
// subfolders, or a person with no images, is an error naming the folder.
FaceDataset load_face_folder(const std::string& dir, int height, int width);

// The images of the given people only (indices into ds.people), relabelled 0..people.size()-1 in the
// given order.
FaceDataset select_people(const FaceDataset& ds, const std::vector<int>& people);

// The smallest photo taken for a face: 12 pixels a side, the smallest window face detectors search (MTCNN's
// first stage). Below it no face is left to see: a 1 x 1 photo stretched to the model's input is one flat
// grey, which the encoder (it standardises its input) maps to the same point as every other flat photo, so
// any two such photos "match" at d = 0.
constexpr int kMinFaceSide = 12;

// A photo from disk at its own size: (1, H, W), grey, values in [0, 1] (channels 3: (3, H, W) in colour, a
// grey file copied into R, G and B). Any format load_image reads, colour or grey, with or without alpha; an
// Error naming the file and its size if H or W is under kMinFaceSide.
Tensor load_face_photo(const std::string& path, int channels = 1);

// A single photo from disk as model input: (1, 1, height, width), grey, values in [0, 1]. The file must have
// one of the extensions of is_image_file, and pass load_face_photo.
Tensor load_face_image(const std::string& path, int height, int width);

}  // namespace convlab
