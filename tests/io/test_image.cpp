// tests/io/test_image.cpp: image files (round trips, errors), grey/RGB, bilinear resize, crop, normalize.
#include "io/image.hpp"

#include <cmath>

#include "io/atomic_file.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::scratch_dir;

namespace {

// A (C, H, W) image whose values are exact 8-bit levels k / 255, as a file stores them.
Tensor byte_image(const Shape& shape, uint64_t seed) {
    Rng rng(seed);
    Tensor t = Tensor::empty(shape);
    for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] = static_cast<float>(rng.randint(256)) / 255.0f;
    return t;
}

// The message of the convlab::Error that f throws ("" if it throws none).
using convlab::testing::error_of;

}  // namespace

TEST_CASE("PNG round trip is exact for 8-bit values, grey and RGB" * doctest::test_suite("io.image")) {
    const std::string dir = scratch_dir("png");
    const Tensor rgb = byte_image({3, 7, 5}, 1), grey = byte_image({1, 4, 9}, 2);
    save_png(dir + "/rgb.png", rgb);
    save_png(dir + "/grey.png", grey);
    const Tensor rgb_back = load_image(dir + "/rgb.png"), grey_back = load_image(dir + "/grey.png");
    CHECK(rgb_back.shape() == Shape{3, 7, 5});
    CHECK(rgb_back.values() == rgb.values());
    CHECK(grey_back.shape() == Shape{1, 4, 9});
    CHECK(grey_back.values() == grey.values());
    save_png(dir + "/hw.png", grey[0]);  // (H, W) is saved as grey
    CHECK(load_image(dir + "/hw.png").values() == grey.values());
}

TEST_CASE("PGM and PPM round trip, with the header the format prescribes" * doctest::test_suite("io.image")) {
    const std::string dir = scratch_dir("pnm");
    const Tensor grey = byte_image({1, 2, 3}, 3), rgb = byte_image({3, 4, 2}, 4);
    save_pnm(dir + "/a.pgm", grey);
    save_pnm(dir + "/b.ppm", rgb);
    const std::string bytes = read_file(dir + "/a.pgm");
    CHECK(bytes.substr(0, 11) == "P5\n3 2\n255\n");
    CHECK(bytes.size() == 11 + 6);
    CHECK(static_cast<unsigned char>(bytes[11]) == std::lround(grey.values()[0] * 255));
    CHECK(read_file(dir + "/b.ppm").substr(0, 3) == "P6\n");
    CHECK(load_image(dir + "/a.pgm").values() == grey.values());
    CHECK(load_image(dir + "/b.ppm").values() == rgb.values());
}

TEST_CASE("save clamps to [0, 1] and rounds to the nearest level; NaN is black" * doctest::test_suite("io.image")) {
    const std::string dir = scratch_dir("clamp");
    save_pnm(dir + "/c.pgm", Tensor::from({1, 1, 5}, {-0.5f, 1.5f, NAN, 0.5f, 0.1f}));
    const std::string px = read_file(dir + "/c.pgm").substr(11);
    // 0.5 * 255 = 127.5 -> 128;  0.1 * 255 = 25.5 -> 26 (25.500000372 in float)
    CHECK(std::vector<unsigned char>(px.begin(), px.end()) == std::vector<unsigned char>{0, 255, 0, 128, 26});
}

TEST_CASE("load_image converts channels on request" * doctest::test_suite("io.image")) {
    const std::string dir = scratch_dir("channels");
    const Tensor rgb = byte_image({3, 3, 4}, 5);
    save_png(dir + "/rgb.png", rgb);
    CHECK(load_image(dir + "/rgb.png", 1).values() == to_grey(rgb).values());
    CHECK(load_image(dir + "/rgb.png", 3).values() == rgb.values());
    save_png(dir + "/grey.png", rgb.slice(0, 0, 1));
    const Tensor as_rgb = load_image(dir + "/grey.png", 3);
    CHECK(as_rgb.shape() == Shape{3, 3, 4});
    CHECK(as_rgb[2].values() == rgb[0].values());
    CHECK(error_of([&] { load_image(dir + "/rgb.png", 2); }) ==
          "load_image: channels must be 0 (keep the file's), 1 (grey) or 3 (RGB), got 2");
}

TEST_CASE("load_image errors name the file and never crash" * doctest::test_suite("io.image")) {
    const std::string dir = scratch_dir("bad");
    const std::string missing = dir + "/missing.png";
    CHECK(error_of([&] { load_image(missing); }).find("load_image: " + missing + ": cannot open") == 0);

    Rng rng(9);
    std::string garbage(300, '\0');
    for (char& c : garbage) c = static_cast<char>(rng.randint(256));
    write_file_atomic(dir + "/garbage.png", garbage);
    CHECK(error_of([&] { load_image(dir + "/garbage.png"); }).find(dir + "/garbage.png: cannot decode") !=
          std::string::npos);

    write_file_atomic(dir + "/empty.png", "");
    CHECK(error_of([&] { load_image(dir + "/empty.png"); }).find(dir + "/empty.png") != std::string::npos);

    save_png(dir + "/whole.png", byte_image({3, 32, 32}, 6));  // random pixels barely compress
    const std::string png = read_file(dir + "/whole.png");
    write_file_atomic(dir + "/half.png", png.substr(0, png.size() / 2));
    CHECK(error_of([&] { load_image(dir + "/half.png"); }).find(dir + "/half.png: cannot decode") !=
          std::string::npos);

    // A header that claims 10^10 pixels must be refused before anything is allocated.
    write_file_atomic(dir + "/huge.pgm", "P5\n100000 100000\n255\nxyz");
    CHECK(error_of([&] { load_image(dir + "/huge.pgm"); }).find("100000 x 100000 pixels is more than") !=
          std::string::npos);
}

TEST_CASE("load_image: each bad file gets its own complete reason" * doctest::test_suite("io.image")) {
    const std::string dir = scratch_dir("reasons");
    CHECK(error_of([&] { load_image(dir); }) == "load_image: " + dir + ": is a folder, not a file");
    write_file_atomic(dir + "/empty.jpg", "");
    CHECK(error_of([&] { load_image(dir + "/empty.jpg"); }) == "load_image: " + dir + "/empty.jpg: empty file (0 bytes)");
    // A corrupt JPEG first, then a text file: the second message names the text file's own reason, not the
    // JPEG's (stb keeps its last reason in a global).
    write_file_atomic(dir + "/corrupt.jpg", std::string("\xff\xd8\xff\xdb\x00\x02", 6) + std::string(40, '\x01'));
    CHECK(error_of([&] { load_image(dir + "/corrupt.jpg"); }).rfind("load_image: " + dir + "/corrupt.jpg: cannot decode (", 0) == 0);
    write_file_atomic(dir + "/text.png", "just some words, not a picture\n");
    CHECK(error_of([&] { load_image(dir + "/text.png"); }) ==
          "load_image: " + dir + "/text.png: cannot decode (Image not of any known type, or corrupt); PNG, JPEG, BMP, PGM and PPM are supported");
}

TEST_CASE("save_png errors: missing directory, shape" * doctest::test_suite("io.image")) {
    const std::string dir = scratch_dir("save_errors");
    CHECK(error_of([&] { save_png(dir + "/no/such/x.png", Tensor::zeros({1, 2, 2})); }) ==
          "save_png: cannot write " + dir + "/no/such/x.png: directory " + dir +
              "/no/such does not exist (create it first, e.g. with app::ensure_dir)");
    CHECK(error_of([&] { save_png(dir + "/x.png", Tensor::zeros({2, 4, 4})); }) ==
          "save_png: expected an image (C, H, W) with C = 1 or 3, or (H, W), got (2, 4, 4)");
}

TEST_CASE("to_grey uses BT.601 luma; to_rgb copies grey into R, G, B" * doctest::test_suite("io.image")) {
    // pixels: red, green, blue, white, (0.5, 0.25, 1)
    const Tensor rgb = Tensor::from({3, 1, 5}, {1, 0, 0, 1, 0.5f, 0, 1, 0, 1, 0.25f, 0, 0, 1, 1, 1});
    const std::vector<float> y = to_grey(rgb).values();
    CHECK(y[0] == doctest::Approx(0.299));
    CHECK(y[1] == doctest::Approx(0.587));
    CHECK(y[2] == doctest::Approx(0.114));
    CHECK(y[3] == doctest::Approx(1.0));
    CHECK(y[4] == doctest::Approx(0.299 * 0.5 + 0.587 * 0.25 + 0.114));
    // batched (N, C, H, W), and grey comes back as it is
    const Tensor batch = Tensor::from({2, 3, 1, 1}, {1, 0, 0, 0, 1, 0});  // a red pixel, a green pixel
    CHECK(to_grey(batch).shape() == Shape{2, 1, 1, 1});
    CHECK(to_grey(batch).values()[1] == doctest::Approx(0.587));
    const Tensor grey = Tensor::from({1, 1, 2}, {0.25f, 0.75f});
    CHECK(to_grey(grey).shares_storage(grey));
    CHECK(to_rgb(grey).values() == std::vector<float>{0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f});
    CHECK(to_rgb(rgb).shares_storage(rgb));
    CHECK_THROWS_WITH_AS(to_grey(Tensor::zeros({2, 3, 3})),
                         "to_grey: expected (C, H, W) or (N, C, H, W) with C = 1 or 3, got (2, 3, 3)", Error);
}

TEST_CASE("resize_bilinear: 2x2 -> 4x4 by hand (align_corners = false)" * doctest::test_suite("io.image")) {
    // Output column j samples input x = (j + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (-> 1).
    const Tensor x = Tensor::from({1, 2, 2}, {0, 1, 2, 3});
    CHECK(resize_bilinear(x, 4, 4).values() == std::vector<float>{0.0f, 0.25f, 0.75f, 1.0f,    //
                                                                   0.5f, 0.75f, 1.25f, 1.5f,   //
                                                                   1.5f, 1.75f, 2.25f, 2.5f,   //
                                                                   2.0f, 2.25f, 2.75f, 3.0f});
}

TEST_CASE("resize_bilinear: 4x4 -> 2x2 averages 2x2 blocks; 3x3 -> 2x2" * doctest::test_suite("io.image")) {
    // 4 -> 2 samples x = 0.5 and 2.5: each output is the mean of a 2x2 block.
    const Tensor x = Tensor::arange(16).reshape({1, 4, 4});
    CHECK(resize_bilinear(x, 2, 2).values() == std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f});
    // 3 -> 2 samples 0.25 and 1.75; on the plane v = 3 r + c bilinear is exact: 3 r + c at those points.
    const Tensor y = Tensor::arange(9).reshape({1, 3, 3});
    CHECK(resize_bilinear(y, 2, 2).values() == std::vector<float>{1.0f, 2.5f, 5.5f, 7.0f});
    CHECK(resize_bilinear(y, 3, 3).values() == y.values());  // same size: unchanged
}

TEST_CASE("resize_bilinear: batches, odd shapes, same bits for any thread count" * doctest::test_suite("io.image")) {
    const Tensor x = byte_image({2, 3, 37, 23}, 7);
    const Tensor one = resize_bilinear(x, 50, 11);
    CHECK(one.shape() == Shape{2, 3, 50, 11});
    convlab::testing::check_same_bits_for_1_and_2_threads([&] { return resize_bilinear(x, 50, 11).values(); });
    // plane (1, 2) resized alone is the same as inside the batch
    CHECK(resize_bilinear(x[1][2].reshape({1, 37, 23}), 50, 11).values() == one[1][2].values());
    CHECK_THROWS_WITH_AS(resize_bilinear(x, 0, 4), "resize_bilinear: output size must be at least 1 x 1, got 0 x 4",
                         Error);
}

TEST_CASE("resize_bilinear_tf: TF's rule src = dst * in / out, by hand" * doctest::test_suite("io.image")) {
    // 2x2 -> 3x3: rows and columns sample 0, 2/3 and 4/3, the last clamped to pixel 1 (y1 = min(y0 + 1, 1)).
    // On v = 2 r + c the blend is exact: rows at 0, 2/3, 1 and columns at 0, 2/3, 1.
    const Tensor x = Tensor::from({1, 2, 2}, {0, 1, 2, 3});
    const std::vector<float> wanted{0, 2.0f / 3, 1, 4.0f / 3, 2, 7.0f / 3, 2, 8.0f / 3, 3};
    CHECK(convlab::testing::max_relative_error(resize_bilinear_tf(x, 3, 3).values(), wanted) <= 1e-6);
    // 4x4 -> 3x3: samples 0, 4/3, 8/3, all inside; on v = 4 r + c: 4 r + c at those points
    const Tensor y = Tensor::arange(16).reshape({1, 4, 4});
    const std::vector<float> thirds{0, 4, 8, 16, 20, 24, 32, 36, 40};  // three times the values
    std::vector<float> got = resize_bilinear_tf(y, 3, 3).values();
    for (float& v : got) v *= 3;
    CHECK(convlab::testing::max_relative_error(got, thirds) <= 1e-6);
    // (PyTorch's rule samples 1/6, 3/2, 17/6 instead: another picture)
    CHECK(resize_bilinear(y, 3, 3).values()[0] != doctest::Approx(0.0));
    // 1 x 4 -> 1 x 2 samples 0 and 2: every other pixel; a batch, and the same size unchanged
    CHECK(resize_bilinear_tf(Tensor::from({1, 1, 1, 4}, {1, 2, 3, 4}), 1, 2).values() == std::vector<float>{1, 3});
    const Tensor batch = Tensor::arange(2 * 3 * 5 * 4).reshape({2, 3, 5, 4});
    CHECK(resize_bilinear_tf(batch, 5, 4).values() == batch.values());
    CHECK(resize_bilinear_tf(batch, 7, 2).shape() == Shape{2, 3, 7, 2});
    CHECK_THROWS_WITH_AS(resize_bilinear_tf(x, 2, 0),
                         "resize_bilinear_tf: output size must be at least 1 x 1, got 2 x 0", Error);
}

TEST_CASE("crop takes a window of the last two dims" * doctest::test_suite("io.image")) {
    const Tensor x = Tensor::arange(2 * 4 * 5).reshape({2, 4, 5});
    const Tensor c = crop(x, 1, 2, 2, 3);
    CHECK(c.shape() == Shape{2, 2, 3});
    CHECK(c.values() == std::vector<float>{7, 8, 9, 12, 13, 14, 27, 28, 29, 32, 33, 34});
    CHECK_FALSE(c.shares_storage(x));
    CHECK_THROWS_WITH_AS(crop(x, 3, 0, 2, 2),
                         "crop: window of 2 x 2 at row 3, column 0 does not fit in an image of shape (2, 4, 5)", Error);
}

TEST_CASE("normalize_to_unit maps min..max to 0..1" * doctest::test_suite("io.image")) {
    CHECK(normalize_to_unit(Tensor::from({3}, {2, 4, 6})).values() == std::vector<float>{0, 0.5f, 1});
    CHECK(normalize_to_unit(Tensor::full({2, 2}, 3)).values() == std::vector<float>(4, 0.5f));
}
