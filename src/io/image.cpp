// src/io/image.cpp
#include "io/image.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/atomic_file.hpp"
#include "io/stb_guards.hpp"

namespace convlab {
namespace {

constexpr int64_t kMaxPixels = int64_t(1) << 26;  // 67 M pixels: far above any image here; a corrupt header
                                                   // must not make the decoder allocate gigabytes
constexpr int64_t kResizeRowsPerTask = 16;        // output rows per parallel task: ~a few microseconds each

// The (C, H, W) of an image to encode: (C, H, W) with C = 1 or 3, or (H, W) read as C = 1.
struct ImageDims {
    int64_t C, H, W;
};

ImageDims image_dims(const Tensor& image, const char* op) {
    check(image.defined(), op, ": the image tensor is undefined");
    const bool ok = (image.ndim() == 2 || (image.ndim() == 3 && (image.dim(0) == 1 || image.dim(0) == 3))) &&
                    image.dim(-1) >= 1 && image.dim(-2) >= 1;
    check(ok, op, ": expected an image (C, H, W) with C = 1 or 3, or (H, W), got ", image.shape_str());
    return {image.ndim() == 3 ? image.dim(0) : 1, image.dim(-2), image.dim(-1)};
}

// The channel count of a (C, H, W) or (N, C, H, W) image, checked to be 1 or 3.
int64_t channel_count(const Tensor& image, const char* op) {
    check(image.defined(), op, ": the image tensor is undefined");
    const bool ok = (image.ndim() == 3 || image.ndim() == 4) && (image.dim(-3) == 1 || image.dim(-3) == 3);
    check(ok, op, ": expected (C, H, W) or (N, C, H, W) with C = 1 or 3, got ", image.shape_str());
    return image.dim(-3);
}

// Interleaved 8-bit pixels, row by row with the channels of a pixel together, as image files store them:
//   byte = round(255 * clamp(x, 0, 1)),  NaN -> 0.
std::vector<unsigned char> to_bytes(const Tensor& image, const ImageDims& d) {
    const Tensor src = image.contiguous();
    const float* x = src.data();
    const int64_t plane = d.H * d.W;
    std::vector<unsigned char> bytes(static_cast<size_t>(plane * d.C));
    for (int64_t c = 0; c < d.C; ++c)
        for (int64_t i = 0; i < plane; ++i) {
            const float v = x[c * plane + i];
            const float clamped = std::isnan(v) ? 0.0f : std::min(std::max(v, 0.0f), 1.0f);
            bytes[i * d.C + c] = static_cast<unsigned char>(std::lround(clamped * 255.0f));
        }
    return bytes;
}

// Writing into a missing directory is a mistake worth naming (rather than "cannot create temporary file").
void check_directory_exists(const std::string& path, const char* op) {
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    check(dir.empty() || std::filesystem::is_directory(dir, ec), op, ": cannot write ", path, ": directory ",
          dir.string(), " does not exist (create it first, e.g. with app::ensure_dir)");
}

void append_to_string(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

// One axis of a bilinear resize: output index i reads input indices i0 and i1 = i0 + 1 (clamped at the
// edge) with weights 1 - w1 and w1.
struct Taps {
    int64_t i0, i1;
    float w1;
};

// half_pixel: s = (i + 0.5) in/out - 0.5 (resize_bilinear); else TF's s = i in/out (resize_bilinear_tf).
std::vector<Taps> bilinear_taps(int64_t in, int64_t out, bool half_pixel) {
    std::vector<Taps> taps(static_cast<size_t>(out));
    const double scale = static_cast<double>(in) / static_cast<double>(out);
    for (int64_t i = 0; i < out; ++i) {
        const double s = half_pixel ? std::max(0.0, (static_cast<double>(i) + 0.5) * scale - 0.5)
                                    : static_cast<double>(i) * scale;
        const int64_t i0 = std::min(static_cast<int64_t>(s), in - 1);
        taps[i] = {i0, std::min(i0 + 1, in - 1), static_cast<float>(s - static_cast<double>(i0))};
    }
    return taps;
}

// Why stb's last call failed, never a null pointer (which would end the message where it is printed).
const char* decoder_reason() {
    const char* reason = stbi_failure_reason();
    return reason != nullptr ? reason : "unknown reason";
}

}  // namespace

Tensor load_image(const std::string& path, int channels) {
    check(channels == 0 || channels == 1 || channels == 3,
          "load_image: channels must be 0 (keep the file's), 1 (grey) or 3 (RGB), got ", channels);
    std::string bytes;
    try {
        bytes = read_file(path);
    } catch (const Error& e) {
        fail("load_image: ", e.what());
    }
    check(!bytes.empty(), "load_image: ", path, ": empty file (0 bytes)");
    check(bytes.size() <= static_cast<size_t>(INT_MAX), "load_image: ", path, ": file too large (",
          bytes.size(), " bytes)");
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int len = static_cast<int>(bytes.size());
    check_jpeg_huffman_tables(path, data, bytes.size());  // before stb sees a table it would overrun
    check_pnm_header_numbers(path, data, bytes.size());   // before stb reads a number it would overflow
    int w = 0, h = 0, n = 0;
    // stb's reason is read after the call that failed (as an argument of the same check it could be read
    // first, and name the previous file's failure).
    const bool known = stbi_info_from_memory(data, len, &w, &h, &n) == 1;
    check(known, "load_image: ", path, ": cannot decode (", decoder_reason(), "); PNG, JPEG, BMP, PGM and PPM are supported");
    // (a BMP whose rows run top-down reports h < 0)
    check(std::abs(static_cast<int64_t>(w) * h) <= kMaxPixels, "load_image: ", path, ": ", w, " x ", h,
          " pixels is more than the ", kMaxPixels, " allowed");
    check_pnm_complete(path, data, bytes.size());  // stb would decode a cut-short PGM/PPM
    check_bmp_complete(path, data, bytes.size());  // or BMP
    const std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, len, &w, &h, &n, 0),
                                                           stbi_image_free);
    if (pixels == nullptr) fail("load_image: ", path, ": cannot decode (", decoder_reason(), ")");

    const int64_t C = n >= 3 ? 3 : 1;  // grey + alpha -> grey, RGBA -> RGB: the alpha channel is dropped
    const int64_t plane = static_cast<int64_t>(w) * h;
    Tensor image = Tensor::empty({C, h, w});
    float* out = image.data();
    for (int64_t c = 0; c < C; ++c)
        for (int64_t i = 0; i < plane; ++i) out[c * plane + i] = pixels.get()[i * n + c] / 255.0f;
    if (channels == 1) return to_grey(image);
    if (channels == 3) return to_rgb(image);
    return image;
}

void save_png(const std::string& path, const Tensor& image) {
    const ImageDims d = image_dims(image, "save_png");
    check(d.H * d.W <= kMaxPixels, "save_png: ", path, ": image ", image.shape_str(), " is too large");
    check_directory_exists(path, "save_png");
    const std::vector<unsigned char> bytes = to_bytes(image, d);
    std::string png;
    const int ok = stbi_write_png_to_func(append_to_string, &png, static_cast<int>(d.W), static_cast<int>(d.H),
                                          static_cast<int>(d.C), bytes.data(), static_cast<int>(d.W * d.C));
    check(ok != 0, "save_png: ", path, ": the PNG encoder failed for an image of shape ", image.shape_str());
    write_file_atomic(path, png);
}

void save_pnm(const std::string& path, const Tensor& image) {
    const ImageDims d = image_dims(image, "save_pnm");
    check_directory_exists(path, "save_pnm");
    const std::vector<unsigned char> bytes = to_bytes(image, d);
    std::string pnm = (d.C == 1 ? "P5\n" : "P6\n") + std::to_string(d.W) + " " + std::to_string(d.H) + "\n255\n";
    pnm.append(bytes.begin(), bytes.end());
    write_file_atomic(path, pnm);
}

Tensor to_grey(const Tensor& image) {
    if (channel_count(image, "to_grey") == 1) return image;
    const Tensor src = image.contiguous();
    Shape shape = image.shape();
    shape[shape.size() - 3] = 1;
    Tensor grey = Tensor::empty(shape);
    const int64_t plane = image.dim(-2) * image.dim(-1), n = image.numel() / (3 * plane);
    const float* x = src.data();
    float* y = grey.data();
    for (int64_t b = 0; b < n; ++b) {
        const float *R = x + 3 * b * plane, *G = R + plane, *B = G + plane;
        for (int64_t i = 0; i < plane; ++i) y[b * plane + i] = 0.299f * R[i] + 0.587f * G[i] + 0.114f * B[i];
    }
    return grey;
}

Tensor to_rgb(const Tensor& image) {
    if (channel_count(image, "to_rgb") == 3) return image;
    const Tensor src = image.contiguous();
    Shape shape = image.shape();
    shape[shape.size() - 3] = 3;
    Tensor rgb = Tensor::empty(shape);
    const int64_t plane = image.dim(-2) * image.dim(-1), n = image.numel() / plane;
    for (int64_t b = 0; b < n; ++b)
        for (int c = 0; c < 3; ++c) std::copy_n(src.data() + b * plane, plane, rgb.data() + (3 * b + c) * plane);
    return rgb;
}

namespace {

// Both resizes: each output pixel blends the two rows and two columns its taps name.
Tensor resize_with_taps(const Tensor& image, int64_t H, int64_t W, const char* op, bool half_pixel) {
    check(image.defined() && (image.ndim() == 3 || image.ndim() == 4), op, ": expected (C, H, W) or (N, C, H, W), got ",
          image.defined() ? image.shape_str() : std::string("an undefined tensor"));
    check(H >= 1 && W >= 1, op, ": output size must be at least 1 x 1, got ", H, " x ", W);
    const int64_t in_H = image.dim(-2), in_W = image.dim(-1);
    check(in_H >= 1 && in_W >= 1, op, ": empty input image ", image.shape_str());
    const Tensor src = image.contiguous();
    Shape shape = image.shape();
    shape[shape.size() - 2] = H;
    shape[shape.size() - 1] = W;
    Tensor out = Tensor::empty(shape);
    const std::vector<Taps> ty = bilinear_taps(in_H, H, half_pixel), tx = bilinear_taps(in_W, W, half_pixel);
    const int64_t planes = image.numel() / (in_H * in_W);
    const float* x = src.data();
    float* y = out.data();
    parallel_for(planes * H, [&](int64_t lo, int64_t hi) {
        for (int64_t row = lo; row < hi; ++row) {
            const int64_t p = row / H, i = row % H;
            const float* top = x + (p * in_H + ty[i].i0) * in_W;
            const float* bottom = x + (p * in_H + ty[i].i1) * in_W;
            const float wy = ty[i].w1;
            for (int64_t j = 0; j < W; ++j) {
                const float wx = tx[j].w1;
                const float upper = (1 - wx) * top[tx[j].i0] + wx * top[tx[j].i1];
                const float lower = (1 - wx) * bottom[tx[j].i0] + wx * bottom[tx[j].i1];
                y[row * W + j] = (1 - wy) * upper + wy * lower;
            }
        }
    }, kResizeRowsPerTask);
    return out;
}

}  // namespace

Tensor resize_bilinear(const Tensor& image, int64_t H, int64_t W) {
    return resize_with_taps(image, H, W, "resize_bilinear", /*half_pixel=*/true);
}

Tensor resize_bilinear_tf(const Tensor& image, int64_t H, int64_t W) {
    return resize_with_taps(image, H, W, "resize_bilinear_tf", /*half_pixel=*/false);
}

Tensor crop(const Tensor& image, int64_t top, int64_t left, int64_t h, int64_t w) {
    check(image.defined() && image.ndim() >= 2, "crop: expected a tensor of at least 2 dims, got ",
          image.defined() ? image.shape_str() : std::string("an undefined tensor"));
    const int nd = image.ndim();
    const int64_t H = image.dim(-2), W = image.dim(-1);
    check(h >= 1 && w >= 1 && top >= 0 && left >= 0 && top + h <= H && left + w <= W, "crop: window of ", h,
          " x ", w, " at row ", top, ", column ", left, " does not fit in an image of shape ", image.shape_str());
    return image.detach().slice(nd - 2, top, top + h).slice(nd - 1, left, left + w).clone();
}

Tensor normalize_to_unit(const Tensor& x) {
    check(x.defined() && x.numel() > 0, "normalize_to_unit: expected a non-empty tensor");
    const std::vector<float> v = x.values();
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    const float min = *lo, range = *hi - *lo;
    Tensor out = Tensor::empty(x.shape());
    for (size_t i = 0; i < v.size(); ++i) out.data()[i] = range > 0 ? (v[i] - min) / range : 0.5f;
    return out;
}

}  // namespace convlab
