// src/face/fingerprint.cpp
#include "face/fingerprint.hpp"

#include <algorithm>

#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "io/fnv1a.hpp"

namespace convlab {

std::string model_fingerprint(const std::vector<std::string>& checkpoints, const std::string& preprocessing,
                              const std::vector<std::string>& skip) {
    uint64_t h = kFnv1aStart;
    for (const std::string& path : checkpoints)
        for (const auto& [name, t] : load_checkpoint(path)) {
            if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
            h = fnv1a(name + " " + t.shape_str() + "\n", h);
            const Tensor x = t.contiguous();
            h = fnv1a_bytes(x.data(), size_t(x.numel()) * sizeof(float), h);
        }
    return hex16(fnv1a(preprocessing, h));
}

std::string file_fingerprint(const std::string& path) { return hex16(fnv1a(read_file(path))); }

}  // namespace convlab
