// src/data/faces.cpp
#include "data/faces.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/error.hpp"
#include "io/image.hpp"
#include "ops/shape_ops.hpp"

namespace convlab {

namespace fs = std::filesystem;

std::vector<int64_t> FaceDataset::images_of(int p) const {
    std::vector<int64_t> out;
    for (int64_t i = 0; i < size(); ++i)
        if (labels[i] == p) out.push_back(i);
    return out;
}

bool natural_less(const std::string& a, const std::string& b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
            size_t ie = i, je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
            // compare the numbers without leading zeros: first by length, then digit by digit
            std::string x = a.substr(i, ie - i), y = b.substr(j, je - j);
            x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
            y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
            if (x.size() != y.size()) return x.size() < y.size();
            if (x != y) return x < y;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

bool is_image_file(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* known : {".pgm", ".ppm", ".png", ".jpg", ".jpeg", ".bmp"})
        if (ext == known) return true;
    return false;
}

Tensor load_face_photo(const std::string& path, int channels) {
    const Tensor photo = load_image(path, channels);  // (channels, H, W) in [0, 1]
    check(photo.dim(1) >= kMinFaceSide && photo.dim(2) >= kMinFaceSide, "load_face_photo: ", path, ": ",
          photo.dim(2), " x ", photo.dim(1), " pixels is too small for a face, expected at least ", kMinFaceSide,
          " x ", kMinFaceSide);
    return photo;
}

Tensor load_face_image(const std::string& path, int height, int width) {
    check(is_image_file(path), "load_face_image: ", path,
          ": not an image file (expected .pgm .ppm .png .jpg .jpeg or .bmp)");
    return resize_bilinear(load_face_photo(path), height, width).reshape({1, 1, height, width});
}

// Entries of a folder in natural order, skipping hidden ones (".DS_Store").
static std::vector<fs::path> sorted_entries(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string()[0] != '.') out.push_back(e.path());
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return natural_less(a.filename().string(), b.filename().string()); });
    return out;
}

FaceDataset load_face_folder(const std::string& dir, int height, int width) {
    check(fs::is_directory(dir), "load_face_folder: ", dir, " is not a folder (expected one subfolder per person)");
    FaceDataset ds;
    ds.source = dir;
    std::vector<Tensor> images;
    for (const fs::path& person : sorted_entries(dir)) {
        if (!fs::is_directory(person)) continue;  // a README beside the person folders
        const int label = static_cast<int>(ds.people.size());
        ds.people.push_back(person.filename().string());
        for (const fs::path& file : sorted_entries(person)) {
            check(fs::is_regular_file(file) && is_image_file(file.string()), "load_face_folder: ", file.string(),
                  ": not an image file (expected .pgm .ppm .png .jpg .jpeg or .bmp)");
            images.push_back(load_face_image(file.string(), height, width));
            ds.labels.push_back(label);
            ds.files.push_back(file.string());
        }
        check(!ds.labels.empty() && ds.labels.back() == label, "load_face_folder: ", person.string(),
              " holds no images");
    }
    check(ds.people.size() >= 2, "load_face_folder: ", dir, " has ", ds.people.size(),
          " person subfolders, expected at least 2");
    ds.images = concat(images, 0);
    return ds;
}

FaceDataset select_people(const FaceDataset& ds, const std::vector<int>& people) {
    FaceDataset out;
    out.source = ds.source;
    std::vector<Tensor> images;
    for (size_t k = 0; k < people.size(); ++k) {
        const int p = people[k];
        check(p >= 0 && p < static_cast<int>(ds.people.size()), "select_people: person index ", p,
              " out of range [0, ", ds.people.size(), ")");
        out.people.push_back(ds.people[p]);
        for (int64_t i : ds.images_of(p)) {
            images.push_back(ds.images.slice(0, i, i + 1));
            out.labels.push_back(static_cast<int>(k));
            out.files.push_back(ds.files[i]);
        }
    }
    check(!images.empty(), "select_people: no images selected");
    out.images = concat(images, 0).contiguous();
    return out;
}

}  // namespace convlab
