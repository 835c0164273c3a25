// src/io/checkpoint.cpp
//
// The layout (all integers little-endian; docs/checkpoint-format.md has the full description):
//   "CONVCKPT"  u32 version  u32 count  u64 file_size
//   count x { u32 name_length, name bytes, u32 ndim, i64 dims[ndim], f32 values[prod dims] }
//   u32 CRC-32 of every byte before it
#include "io/checkpoint.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace convlab {
namespace {

constexpr char kMagic[8] = {'C', 'O', 'N', 'V', 'C', 'K', 'P', 'T'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8;
constexpr size_t kChecksumBytes = 4;

// CRC-32 as in zip and PNG (IEEE 802.3 polynomial, reflected 0xEDB88320, initial and final XOR 0xFFFFFFFF).
uint32_t crc32(const char* data, size_t n) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) c = table[(c ^ static_cast<uint8_t>(data[i])) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

// Little-endian integers and floats, byte by byte, whatever the host's byte order.
void put_uint(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

uint64_t get_uint(const char* p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t(static_cast<uint8_t>(p[i])) << (8 * i);
    return v;
}

// True when a tensor of this shape has at most `room` elements (checked without overflowing).
bool fits(const Shape& shape, uint64_t room) {
    for (int64_t d : shape)
        if (d == 0) return true;
    uint64_t n = 1;
    for (int64_t d : shape) {
        if (n > room / uint64_t(d)) return false;
        n *= uint64_t(d);
    }
    return true;
}

// Reads the entries after the header, each read checked against the end of the payload.
class Reader {
public:
    Reader(const std::string& bytes, size_t end, const std::string& path) : bytes_(bytes), end_(end), path_(path) {}

    uint64_t uint(int n, const std::string& what) { return get_uint(take(size_t(n), what), n); }
    const char* take(size_t n, const std::string& what) {
        check(n <= end_ - pos_, "checkpoint '", path_, "': malformed (", what, " runs past the end of the data)");
        const char* p = bytes_.data() + pos_;
        pos_ += n;
        return p;
    }
    size_t pos() const { return pos_; }
    void seek(size_t pos) { pos_ = pos; }

private:
    const std::string& bytes_;
    size_t end_, pos_ = 0;
    const std::string& path_;
};

}  // namespace

void save_checkpoint(const std::string& path, const NamedTensors& tensors) {
    std::set<std::string> seen;
    size_t size = kHeaderBytes + kChecksumBytes;
    for (const auto& [name, t] : tensors) {
        check(!name.empty(), "save_checkpoint '", path, "': a tensor has an empty name");
        check(seen.insert(name).second, "save_checkpoint '", path, "': tensor name '", name, "' appears twice");
        check(t.defined(), "save_checkpoint '", path, "': tensor '", name, "' is undefined");
        size += 4 + name.size() + 4 + 8 * size_t(t.ndim()) + 4 * size_t(t.numel());
    }
    std::string out;
    out.reserve(size);
    out.append(kMagic, sizeof kMagic);
    put_uint(out, kVersion, 4);
    put_uint(out, tensors.size(), 4);
    put_uint(out, size, 8);
    for (const auto& [name, t] : tensors) {
        put_uint(out, name.size(), 4);
        out += name;
        put_uint(out, uint64_t(t.ndim()), 4);
        for (int64_t d : t.shape()) put_uint(out, uint64_t(d), 8);
        for (float v : t.values()) {
            uint32_t bits;
            std::memcpy(&bits, &v, 4);
            put_uint(out, bits, 4);
        }
    }
    put_uint(out, crc32(out.data(), out.size()), 4);
    write_file_atomic(path, out);
}

// Bytes from a file, shown in a one-line message: printable ASCII as it is, anything else as \xNN.
static std::string printable(const std::string& bytes) {
    std::string shown;
    for (unsigned char c : bytes) {
        if (c >= ' ' && c <= '~') {
            shown += static_cast<char>(c);
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            shown += hex;
        }
    }
    return shown;
}

NamedTensors load_checkpoint(const std::string& path) {
    const std::string bytes = read_file(path);
    const size_t got = bytes.size();
    check(got < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0, "checkpoint '", path,
          "': not a convlab checkpoint (bad magic '", printable(bytes.substr(0, sizeof kMagic)), "', expected 'CONVCKPT')");
    check(got >= kHeaderBytes + kChecksumBytes, "checkpoint '", path, "': truncated file (expected at least ",
          kHeaderBytes + kChecksumBytes, " bytes, got ", got, ")");
    const uint64_t version = get_uint(bytes.data() + 8, 4);
    check(version == kVersion, "checkpoint '", path, "': unsupported version ", version, " (this build reads version ",
          kVersion, ")");
    const uint64_t count = get_uint(bytes.data() + 12, 4), expected = get_uint(bytes.data() + 16, 8);
    check(got >= expected, "checkpoint '", path, "': truncated file (expected ", expected, " bytes, got ", got, ")");
    check(got == expected, "checkpoint '", path, "': corrupted (", got - expected, " bytes after the declared end at ",
          expected, ")");
    const uint32_t stored = static_cast<uint32_t>(get_uint(bytes.data() + got - kChecksumBytes, 4));
    const uint32_t computed = crc32(bytes.data(), got - kChecksumBytes);
    check(stored == computed, "checkpoint '", path, "': corrupted (checksum mismatch: stored CRC-32 ", stored,
          ", computed ", computed, ")");

    Reader in(bytes, got - kChecksumBytes, path);
    in.seek(kHeaderBytes);
    NamedTensors out;
    std::set<std::string> seen;
    for (uint64_t e = 0; e < count; ++e) {
        const std::string entry = "entry " + std::to_string(e);
        const size_t name_length = in.uint(4, entry + " name length");
        const std::string name(in.take(name_length, entry + " name"), name_length);
        check(!name.empty() && seen.insert(name).second, "checkpoint '", path, "': malformed (", entry,
              " has an empty or repeated name '", name, "')");
        const uint64_t ndim = in.uint(4, "tensor '" + name + "' ndim");
        check(ndim <= uint64_t(kMaxDims), "checkpoint '", path, "': malformed (tensor '", name, "' has ", ndim,
              " dims, at most ", kMaxDims, ")");
        Shape shape;
        for (uint64_t d = 0; d < ndim; ++d) {
            const uint64_t size = in.uint(8, "tensor '" + name + "' dims");
            check(size < (uint64_t(1) << 40), "checkpoint '", path, "': malformed (tensor '", name, "' dim ", d,
                  " of size ", size, ")");
            shape.push_back(int64_t(size));
        }
        const std::string what = "tensor '" + name + "' of shape " + shape_str(shape);
        check(fits(shape, (got - kChecksumBytes - in.pos()) / 4), "checkpoint '", path, "': malformed (", what,
              " runs past the end of the data)");
        const int64_t n = shape_numel(shape);
        const char* p = in.take(4 * size_t(n), what);
        Tensor t = Tensor::empty(shape);
        float* v = t.data();
        for (int64_t i = 0; i < n; ++i) {
            const uint32_t bits = static_cast<uint32_t>(get_uint(p + 4 * i, 4));
            std::memcpy(v + i, &bits, 4);
        }
        out.emplace_back(name, t);
    }
    check(in.pos() == got - kChecksumBytes, "checkpoint '", path, "': malformed (", got - kChecksumBytes - in.pos(),
          " unread bytes after the last of ", count, " tensors)");
    return out;
}

void load_into(const std::string& path, const NamedTensors& targets) {
    const NamedTensors saved = load_checkpoint(path);
    std::map<std::string, Tensor> by_name(saved.begin(), saved.end());
    for (const auto& [name, target] : targets) {  // check everything before changing anything
        const auto found = by_name.find(name);
        check(found != by_name.end(), "checkpoint '", path, "': missing tensor '", name, "' (the file holds ",
              saved.size(), " tensors)");
        check(found->second.shape() == target.shape(), "checkpoint '", path, "': tensor '", name, "' has shape ",
              found->second.shape_str(), " in the file, expected ", target.shape_str());
    }
    NoGradGuard no_grad;
    for (auto [name, target] : targets) target.copy_(by_name.at(name));
}

NamedTensors prefixed(const std::string& prefix, const NamedTensors& tensors) {
    NamedTensors out;
    for (const auto& [name, t] : tensors) out.emplace_back(prefix + name, t);
    return out;
}

}  // namespace convlab
