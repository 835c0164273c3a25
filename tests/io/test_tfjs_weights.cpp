// tests/io/test_tfjs_weights.cpp
//
// tfjs weights (io/tfjs_weights.hpp): a hand-made manifest and .bin files written by the test, read back
// value by value (uint8, uint16 and float16 quantisation, raw float32 and int32, a group split over two
// files), the [kh, kw, in, out] -> (out, in, kh, kw) and depthwise layouts checked element by element, and
// one error per kind of bad input.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "io/tfjs_weights.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::error_of;

namespace {

void put_u16(std::string& out, uint16_t v) {
    out.push_back(char(v & 0xFF));
    out.push_back(char(v >> 8));
}
void put_u32(std::string& out, uint32_t v) {
    put_u16(out, uint16_t(v & 0xFFFF));
    put_u16(out, uint16_t(v >> 16));
}
void put_f32(std::string& out, float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    put_u32(out, bits);
}

// Group 0 (a.bin, 110 bytes):
//   dense/bias              float32 [3]           uint8 q {0, 2, 255}, scale 0.5, min -1   -> -1, 0, 126.5
//   conv/filters            float32 [1, 2, 2, 3]  raw, F[0, j, c, o] = 6 j + 3 c + o (0..11 in order)
//   block/depthwise_filter  float32 [2, 2, 3, 1]  raw, F[i, j, c, 0] = 3 (2 i + j) + c (0..11 in order)
//   stack/size              int32   [2]           raw {-3, 7}
//   slice/begin             int32   [3]           uint8 q {1, 3, 6}, scale 0.5, min -2 -> round(-1.5, -0.5, 1)
// Group 1 (b1.bin + b2.bin, 14 bytes, cut inside fc):
//   fc                      float32 [2, 2]        uint16 q {0, 1, 256, 65535}, scale 0.25, min 1
//   h                       float32 [3]           float16 {0x3C00, 0xC000, 0x3555} = 1, -2, 1365/4096
const char* kManifest = R"([
 {"paths": ["a.bin"], "weights": [
  {"name": "dense/bias", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}},
  {"name": "conv/filters", "shape": [1, 2, 2, 3], "dtype": "float32"},
  {"name": "block/depthwise_filter", "shape": [2, 2, 3, 1], "dtype": "float32"},
  {"name": "stack/size", "shape": [2], "dtype": "int32"},
  {"name": "slice/begin", "shape": [3], "dtype": "int32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -2}}
 ]},
 {"paths": ["b1.bin", "b2.bin"], "weights": [
  {"name": "fc", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "uint16", "scale": 0.25, "min": 1}},
  {"name": "h", "shape": [3], "dtype": "float32", "quantization": {"dtype": "float16"}}
 ]}
])";

std::map<std::string, std::string> hand_made_files() {
    std::string a = {char(0), char(2), char(255)};
    for (int k = 0; k < 12; ++k) put_f32(a, float(k));  // conv/filters
    for (int k = 0; k < 12; ++k) put_f32(a, float(k));  // block/depthwise_filter
    put_u32(a, uint32_t(-3));
    put_u32(a, 7);
    a += std::string{char(1), char(3), char(6)};
    std::string b;
    for (uint16_t q : {0, 1, 256, 65535}) put_u16(b, q);
    for (uint16_t h : {0x3C00, 0xC000, 0x3555}) put_u16(b, h);
    return {{"a.bin", a}, {"b1.bin", b.substr(0, 5)}, {"b2.bin", b.substr(5)}};
}

// Writes the manifest and the files into a fresh folder; returns the manifest's path.
std::string write_model(const std::string& dir, const std::string& manifest, const std::map<std::string, std::string>& files) {
    const std::string path = dir + "/net-weights_manifest.json";
    std::ofstream(path, std::ios::binary) << manifest;
    for (const auto& [name, bytes] : files) std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    return path;
}

const Tensor& find(const NamedTensors& tensors, const std::string& name) {
    for (const auto& [n, t] : tensors)
        if (n == name) return t;
    FAIL("no tensor " << name);
    static const Tensor none;
    return none;
}

// decode_tfjs_weights on the hand-made files with one manifest entry replaced.
std::string decode_error(const std::string& from, const std::string& to) {
    std::string manifest = kManifest;
    const size_t at = manifest.find(from);
    REQUIRE(at != std::string::npos);
    manifest.replace(at, from.size(), to);
    const auto files = hand_made_files();
    return error_of([&] { decode_tfjs_weights(manifest, "m.json", [&](const std::string& p) { return files.at(p); }); });
}

}  // namespace

TEST_CASE("load_tfjs_weights: a hand-made manifest, value by value, in convlab's layout" *
          doctest::test_suite("io.tfjs_weights")) {
    const std::string dir = convlab::testing::scratch_dir("tfjs_weights");
    const NamedTensors w = load_tfjs_weights(write_model(dir, kManifest, hand_made_files()));
    REQUIRE(w.size() == 7);
    CHECK(w[0].first == "dense/bias");  // manifest order
    CHECK(w[6].first == "h");
    CHECK(find(w, "dense/bias").values() == std::vector<float>{-1, 0, 126.5f});
    // W[o, c, 0, j] = F[0, j, c, o] = 6 j + 3 c + o, in the order (o, c, j)
    const Tensor& W = find(w, "conv/filters");
    CHECK(W.shape() == Shape{3, 2, 1, 2});
    CHECK(W.values() == std::vector<float>{0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11});
    // depthwise: W[c, 0, i, j] = F[i, j, c, 0] = 3 (2 i + j) + c, in the order (c, i, j)
    const Tensor& D = find(w, "block/depthwise_filter");
    CHECK(D.shape() == Shape{3, 1, 2, 2});
    CHECK(D.values() == std::vector<float>{0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11});
    CHECK(find(w, "stack/size").values() == std::vector<float>{-3, 7});
    CHECK(find(w, "slice/begin").values() == std::vector<float>{-1, 0, 1});  // Math.round: halves go up
    // uint16 across the two files: q * 0.25 + 1; the 2-D dense weight keeps its shape
    CHECK(find(w, "fc").shape() == Shape{2, 2});
    CHECK(find(w, "fc").values() == std::vector<float>{1, 1.25f, 65, 16384.75f});
    CHECK(find(w, "h").values() == std::vector<float>{1, -2, 1365.0f / 4096});
    std::filesystem::remove_all(dir);
}

TEST_CASE("decode_tfjs_weights: q * scale + min as JavaScript computes it, in double, then rounded to float32" *
          doctest::test_suite("io.tfjs_weights")) {
    // conv32_down/conv/filters of face-api's recognition net: q = 135 gives 0 in JavaScript, because
    // 135 * scale rounds to exactly -min; a fused multiply-add would give 6.5e-18 instead. q = 200: the
    // double result, rounded once to float32.
    const std::string manifest = R"([{"paths": ["x"], "weights": [{"name": "v", "shape": [2], "dtype": "float32",
        "quantization": {"dtype": "uint8", "scale": 0.0005260649557207145, "min": -0.07101876902229645}}]}])";
    const NamedTensors w = decode_tfjs_weights(manifest, "m.json", [](const std::string&) {
        return std::string{char(135), char(200)};
    });
    REQUIRE(w.size() == 1);
    const double product = 200 * 0.0005260649557207145;  // a separate statement: rounded before the sum
    CHECK(w[0].second.values() == std::vector<float>{0.0f, static_cast<float>(product + -0.07101876902229645)});
}

TEST_CASE("tfjs_to_convlab_layout: filters, depthwise with a multiplier, and everything else" *
          doctest::test_suite("io.tfjs_weights")) {
    // [kh, kw, C, M] = [1, 1, 2, 2]: F[0, 0, c, m] = 2 c + m  ->  W[2 c + m, 0, 0, 0], the same order
    const Tensor F = Tensor::from({1, 1, 2, 2}, {0, 1, 2, 3});
    const Tensor D = tfjs_to_convlab_layout("x/depthwise_weights", F);
    CHECK(D.shape() == Shape{4, 1, 1, 1});
    CHECK(D.values() == std::vector<float>{0, 1, 2, 3});
    // the same numbers as an ordinary 1x1 filter [1, 1, in 2, out 2]: W[o, c] = F[c, o], transposed
    CHECK(tfjs_to_convlab_layout("x/weights", F).values() == std::vector<float>{0, 2, 1, 3});
    CHECK(tfjs_to_convlab_layout("fc", Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6})).shape() == Shape{2, 3});
    CHECK(error_of([] { tfjs_to_convlab_layout("a/depthwise_filter", Tensor::zeros({3, 3, 4})); }) ==
          "tfjs weight 'a/depthwise_filter': expected a depthwise filter [kh, kw, C, M], found shape (3, 3, 4)");
}

TEST_CASE("load_tfjs_weights: a missing, short or long .bin is named with expected and actual bytes" *
          doctest::test_suite("io.tfjs_weights")) {
    const std::string dir = convlab::testing::scratch_dir("tfjs_weights_files");
    auto files = hand_made_files();
    files.erase("a.bin");
    std::string manifest = write_model(dir, kManifest, files);
    CHECK(error_of([&] { load_tfjs_weights(manifest); }) == manifest + ": missing weights file " + dir + "/a.bin");

    files = hand_made_files();
    files["a.bin"].pop_back();
    manifest = write_model(dir, kManifest, files);
    CHECK(error_of([&] { load_tfjs_weights(manifest); }) ==
          "a.bin: expected 110 bytes (the weights of group 0 in " + manifest + "), found 109 (too short)");

    files = hand_made_files();
    files["b2.bin"] += "x";
    manifest = write_model(dir, kManifest, files);
    CHECK(error_of([&] { load_tfjs_weights(manifest); }) ==
          "b1.bin + b2.bin: expected 14 bytes (the weights of group 1 in " + manifest + "), found 15 (too long)");

    CHECK(error_of([&] { load_tfjs_weights(dir + "/none.json"); }).find(dir + "/none.json: cannot open") == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("decode_tfjs_weights: each bad manifest entry gives one line naming the manifest and the weight" *
          doctest::test_suite("io.tfjs_weights")) {
    const std::string stack_size = "\"shape\": [2], \"dtype\": \"int32\"";  // line 6 of the manifest
    const std::string shape = "\"shape\": ", int32 = ", \"dtype\": \"int32\"";
    struct Case {
        std::string from, to, message;
    };
    const std::vector<Case> cases{
        {stack_size, shape + "[2], \"dtype\": \"bool\"",
         "m.json: weight 'stack/size': unsupported dtype 'bool' (expected float32 or int32)"},
        {"{\"dtype\": \"uint16\"", "{\"dtype\": \"int8\"",
         "m.json: weight 'fc': unsupported quantization dtype 'int8' (expected uint8, uint16 or float16)"},
        {"\"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.5, \"min\": -2}", "\"quantization\": {\"dtype\": \"float16\"}",
         "m.json: weight 'slice/begin': an int32 weight cannot be quantised to float16"},
        {stack_size, shape + "[-2]" + int32, "m.json:6:36: expected a size >= 0 in the shape of 'stack/size', found -2"},
        {stack_size, shape + "[2.5]" + int32, "m.json:6:36: expected an integer (at most 2^53), found 2.5"},
        {stack_size, shape + "2" + int32, "m.json:6:35: expected an array or an object, found a number"},
        {stack_size, shape + "[1,1,1,1,1,1,2]" + int32, "m.json: weight 'stack/size': expected a shape of at most 6 dims, found 7"},
        {stack_size, shape + "[65536,65536,65536]" + int32,
         "m.json: weight 'stack/size': shape (65536, 65536, 65536) is too large (more than 2^40 bytes)"},
        {stack_size, shape + "[3]" + int32, "a.bin: expected 114 bytes (the weights of group 0 in m.json), found 110 (too short)"},
        {"\"stack/size\"", "\"dense/bias\"", "m.json:6:3: weight 'dense/bias' appears twice in the manifest"},
        {"\"name\": \"stack/size\", ", "", "m.json:6:3: expected a key 'name' in this object, found only: shape, dtype"},
        {"\"scale\": 0.5, \"min\": -1", "\"scale\": 0.5", "m.json:3:76: expected a key 'min' in this object, found only: dtype, scale"},
        {"[\"b1.bin\", \"b2.bin\"]", "[]", "m.json:9:12: expected at least one file in \"paths\", found none"},
        {"]}\n]", "]}\n", "m.json:13:1: expected ',' or ']' after an array element, found end of input"},
    };
    for (const Case& c : cases) {
        INFO(c.from << " -> " << c.to);
        CHECK(decode_error(c.from, c.to) == c.message);
    }
}
