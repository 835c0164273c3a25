// src/nets/weights_file.cpp: the format is described in weights_file.hpp.
#include "nets/weights_file.hpp"

#include <cstdint>
#include <cstring>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace convlab {
namespace {

constexpr char kMagic[8] = {'C', 'L', 'W', 'E', 'I', 'G', 'H', 'T'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kMaxDimsInFile = 8;  // more than any layer needs; guards against garbage sizes

template <typename T>
void put(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

// Reads fixed-size fields from the file's bytes; every read is bounds-checked against the end.
class Reader {
public:
    Reader(const std::string& path, const std::string& bytes) : path_(path), bytes_(bytes) {}

    void take(void* dst, size_t n, const char* what) {
        check(n <= bytes_.size() - pos_, path_, ": truncated weights file: needed ", n, " more bytes for ", what,
              " at offset ", pos_, ", the file has ", bytes_.size());
        std::memcpy(dst, bytes_.data() + pos_, n);
        pos_ += n;
    }
    template <typename T>
    T get(const char* what) {
        T value;
        take(&value, sizeof(T), what);
        return value;
    }
    size_t remaining() const { return bytes_.size() - pos_; }

private:
    const std::string& path_;
    const std::string& bytes_;
    size_t pos_ = 0;
};

}  // namespace

void save_weights(const std::string& path, const NamedWeights& weights) {
    std::string out(kMagic, sizeof(kMagic));
    put<uint32_t>(out, kVersion);
    put<uint32_t>(out, static_cast<uint32_t>(weights.size()));
    for (const auto& [name, tensor] : weights) {
        put<uint32_t>(out, static_cast<uint32_t>(name.size()));
        out += name;
        put<uint32_t>(out, static_cast<uint32_t>(tensor.ndim()));
        for (int64_t size : tensor.shape()) put<int64_t>(out, size);
        const Tensor dense = tensor.contiguous();
        out.append(reinterpret_cast<const char*>(dense.data()), sizeof(float) * size_t(dense.numel()));
    }
    write_file_atomic(path, out);
}

NamedWeights load_weights(const std::string& path) {
    const std::string bytes = read_file(path);
    Reader in(path, bytes);
    char magic[sizeof(kMagic)];
    in.take(magic, sizeof(magic), "the magic");
    check(std::memcmp(magic, kMagic, sizeof(kMagic)) == 0, path,
          ": not a convlab weights file (expected it to start with \"CLWEIGHT\")");
    const auto version = in.get<uint32_t>("the version");
    check(version == kVersion, path, ": weights file version ", version, ", this program reads version ", kVersion);
    const auto count = in.get<uint32_t>("the tensor count");
    NamedWeights weights;
    for (uint32_t t = 0; t < count; ++t) {
        const auto name_length = in.get<uint32_t>("a name length");
        check(name_length <= in.remaining(), path, ": truncated weights file: tensor ", t, "'s name is ",
              name_length, " bytes, only ", in.remaining(), " left");
        std::string name(name_length, '\0');
        in.take(name.data(), name_length, "a name");
        const auto ndim = in.get<uint32_t>("a dimension count");
        check(ndim <= kMaxDimsInFile, path, ": tensor ", name, " claims ", ndim, " dims (at most ", kMaxDimsInFile,
              ")");
        // sizes and their running product stay <= the floats left, so the product cannot overflow
        const int64_t floats_left = int64_t(in.remaining() / sizeof(float));
        Shape shape(ndim);
        int64_t numel = 1;
        for (auto& size : shape) {
            size = in.get<int64_t>("a size");
            check(size >= 0 && size <= floats_left + 1, path, ": tensor ", name, " has an impossible size ", size);
            numel *= size;
            check(numel <= floats_left, path, ": truncated weights file: tensor ", name, " needs more than the ",
                  in.remaining(), " bytes left");
        }
        Tensor tensor = Tensor::empty(shape);
        in.take(tensor.data(), sizeof(float) * size_t(numel), "values");
        weights.emplace_back(std::move(name), tensor);
    }
    check(in.remaining() == 0, path, ": ", in.remaining(), " unexpected bytes after the last of ", count, " tensors");
    return weights;
}

}  // namespace convlab
