// src/io/tfjs_weights.cpp
//
// Two passes over the manifest: first every entry is read and checked (name, shape, dtype, quantisation)
// and the bytes it takes are added up per group, so that a file of the wrong size is reported before any
// value is decoded; then each group's files are cut into the entries in order.
#include "io/tfjs_weights.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/json.hpp"

namespace convlab {
namespace {

constexpr int kMaxDims = 6;                          // what a convlab checkpoint holds
constexpr uint64_t kMaxBytes = uint64_t(1) << 40;    // far above any real weights file; keeps sums exact

// One weight of the manifest: where it is and how its values are stored.
struct Entry {
    std::string name;
    Shape shape;
    bool int32 = false;      // dtype "int32" (else "float32")
    std::string quantised;   // "" (4-byte values), "uint8", "uint16" or "float16"
    double scale = 1, min = 0;
    uint64_t bytes = 0;
};

uint64_t bytes_per_value(const std::string& quantised) {
    if (quantised.empty()) return 4;
    return quantised == "uint8" ? 1 : 2;
}

Entry read_entry(const JsonValue& w, const std::string& source) {
    Entry e;
    e.name = w.at("name").as_string();
    check(!e.name.empty(), w.where(), ": expected a non-empty weight name, found \"\"");
    const std::string what = source + ": weight '" + e.name + "'";
    const std::string& dtype = w.at("dtype").as_string();
    check(dtype == "float32" || dtype == "int32", what, ": unsupported dtype '", dtype, "' (expected float32 or int32)");
    e.int32 = dtype == "int32";
    if (w.has("quantization")) {
        const JsonValue& q = w.at("quantization");
        e.quantised = q.at("dtype").as_string();
        check(e.quantised == "uint8" || e.quantised == "uint16" || e.quantised == "float16", what,
              ": unsupported quantization dtype '", e.quantised, "' (expected uint8, uint16 or float16)");
        check(!(e.int32 && e.quantised == "float16"), what, ": an int32 weight cannot be quantised to float16");
        if (e.quantised != "float16") {
            e.scale = q.at("scale").as_number();
            e.min = q.at("min").as_number();
        }
    }
    const JsonValue& shape = w.at("shape");
    check(shape.size() <= kMaxDims, what, ": expected a shape of at most ", kMaxDims, " dims, found ", shape.size());
    uint64_t n = 1;
    for (const JsonValue& d : shape.elements()) {
        const int64_t k = d.as_integer();
        check(k >= 0, d.where(), ": expected a size >= 0 in the shape of '", e.name, "', found ", k);
        e.shape.push_back(k);
        if (k > 0 && n > kMaxBytes / uint64_t(k)) n = kMaxBytes + 1;  // saturate: reported just below
        else n *= uint64_t(k);
    }
    e.bytes = n * bytes_per_value(e.quantised);
    check(n <= kMaxBytes && e.bytes <= kMaxBytes, what, ": shape ", shape_str(e.shape), " is too large (more than 2^40 bytes)");
    return e;
}

uint32_t get_u32(const unsigned char* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }

// IEEE 754 half precision: sign, 5 exponent bits (bias 15), 10 mantissa bits.
float half_to_float(uint16_t h) {
    const int exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    float v;
    if (exponent == 0) v = std::ldexp(float(mantissa), -24);                              // zero, subnormal
    else if (exponent == 31) v = mantissa == 0 ? INFINITY : NAN;
    else v = std::ldexp(float(mantissa | 0x400), exponent - 25);
    return (h & 0x8000) ? -v : v;
}

// The entry's values from its bytes at p (e.bytes of them).
Tensor decode(const Entry& e, const unsigned char* p) {
    Tensor t = Tensor::empty(e.shape);
    float* out = t.data();
    const int64_t n = t.numel();
    for (int64_t i = 0; i < n; ++i) {
        if (e.quantised == "float16") {
            out[i] = half_to_float(uint16_t(p[2 * i] | p[2 * i + 1] << 8));
        } else if (!e.quantised.empty()) {
            const double q = e.quantised == "uint8" ? p[i] : double(p[2 * i] | p[2 * i + 1] << 8);
            // q * scale is rounded before min is added, as in JavaScript: a fused multiply-add (which the
            // compiler may make of it) keeps the exact product and can land elsewhere, e.g. 6.5e-18 for 0
            const volatile double product = q * e.scale;
            const double w = product + e.min;
            out[i] = static_cast<float>(e.int32 ? std::floor(w + 0.5) : w);  // JavaScript's Math.round
        } else {
            const uint32_t bits = get_u32(p + 4 * i);
            if (e.int32) {
                out[i] = static_cast<float>(static_cast<int32_t>(bits));
            } else {
                std::memcpy(&out[i], &bits, 4);
            }
        }
    }
    return t;
}

}  // namespace

NamedTensors decode_tfjs_weights(const std::string& manifest_text, const std::string& source,
                                 const std::function<std::string(const std::string&)>& read_bin) {
    const JsonValue manifest = parse_json(manifest_text, source);
    std::set<std::string> names;
    NamedTensors out;
    for (size_t g = 0; g < manifest.size(); ++g) {
        const JsonValue& group = manifest.at(g);
        std::vector<Entry> entries;
        uint64_t expected = 0;
        for (const JsonValue& w : group.at("weights").elements()) {
            entries.push_back(read_entry(w, source));
            check(names.insert(entries.back().name).second, w.where(), ": weight '", entries.back().name,
                  "' appears twice in the manifest");
            expected += entries.back().bytes;
            check(expected <= kMaxBytes, source, ": group ", g, " needs more than 2^40 bytes");
        }
        std::string bytes, files;
        const JsonValue& paths = group.at("paths");
        check(paths.size() > 0, paths.where(), ": expected at least one file in \"paths\", found none");
        for (const JsonValue& p : paths.elements()) {
            bytes += read_bin(p.as_string());
            files += (files.empty() ? "" : " + ") + p.as_string();
        }
        check(bytes.size() == expected, files, ": expected ", expected, " bytes (the weights of group ", g, " in ",
              source, "), found ", bytes.size(), bytes.size() < expected ? " (too short)" : " (too long)");
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
        for (const Entry& e : entries) {
            out.emplace_back(e.name, decode(e, p));
            p += e.bytes;
        }
    }
    return out;
}

Tensor tfjs_to_convlab_layout(const std::string& name, const Tensor& t) {
    const auto ends_with = [&](const std::string& suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with("depthwise_filter") || ends_with("depthwise_weights")) {
        check(t.ndim() == 4, "tfjs weight '", name, "': expected a depthwise filter [kh, kw, C, M], found shape ",
              shape_str(t.shape()));
        const Shape& s = t.shape();
        return t.permute({2, 3, 0, 1}).contiguous().reshape({s[2] * s[3], 1, s[0], s[1]});
    }
    if (t.ndim() == 4) return t.permute({3, 2, 0, 1}).contiguous();
    return t;
}

NamedTensors load_tfjs_weights(const std::string& manifest_path) {
    namespace fs = std::filesystem;
    const fs::path folder = fs::path(manifest_path).parent_path();
    const auto read_bin = [&](const std::string& name) {
        const std::string path = (folder / name).string();
        check(fs::is_regular_file(path), manifest_path, ": missing weights file ", path);
        return read_file(path);
    };
    NamedTensors tensors = decode_tfjs_weights(read_file(manifest_path), manifest_path, read_bin);
    for (auto& [name, t] : tensors) t = tfjs_to_convlab_layout(name, t);
    return tensors;
}

}  // namespace convlab
