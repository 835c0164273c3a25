// src/face/batches.cpp
#include "face/batches.hpp"

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "ops/matmul.hpp"

namespace convlab {

// Fisher-Yates with our own Rng (std::shuffle's draws differ between standard libraries).
template <class T>
static void shuffle(std::vector<T>& v, Rng& rng) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.randint(static_cast<int64_t>(i))]);
}

std::vector<std::vector<int64_t>> pk_batches(const std::vector<int>& labels, int P, int K, Rng& rng) {
    check(P >= 2 && K >= 2, "pk_batches: need P >= 2 people and K >= 2 photos per batch, got P = ", P, ", K = ", K);
    std::map<int, std::vector<int64_t>> photos;
    for (size_t i = 0; i < labels.size(); ++i) photos[labels[i]].push_back(static_cast<int64_t>(i));
    check(photos.size() >= 2, "pk_batches: need at least 2 people, got ", photos.size());
    std::vector<int> people;
    for (const auto& [person, list] : photos) people.push_back(person);
    shuffle(people, rng);
    std::vector<std::vector<int64_t>> batches;
    for (size_t start = 0, end = 0; start < people.size(); start = end) {
        end = std::min(people.size(), start + P);
        if (people.size() - end == 1) end = people.size();  // never leave a lone person for the last batch
        std::vector<int64_t> batch;
        for (size_t k = start; k < end; ++k) {
            std::vector<int64_t> list = photos[people[k]];
            shuffle(list, rng);
            batch.insert(batch.end(), list.begin(), list.begin() + std::min<size_t>(K, list.size()));
        }
        batches.push_back(batch);
    }
    return batches;
}

Tensor take_rows(const Tensor& E, const std::vector<int64_t>& idx) {
    check(E.ndim() == 2, "take_rows: expected (N, D), got ", E.shape_str());
    Tensor one_hot = Tensor::zeros({static_cast<int64_t>(idx.size()), E.dim(0)});
    for (size_t r = 0; r < idx.size(); ++r) {
        check(idx[r] >= 0 && idx[r] < E.dim(0), "take_rows: index ", idx[r], " out of range [0, ", E.dim(0), ")");
        one_hot.data()[r * E.dim(0) + idx[r]] = 1.0f;
    }
    return matmul(one_hot, E);
}

Tensor take_copy(const Tensor& images, const std::vector<int64_t>& idx) {
    const Tensor src = images.contiguous();
    Shape shape = src.shape();
    const int64_t per = src.numel() / shape[0];
    shape[0] = static_cast<int64_t>(idx.size());
    Tensor out = Tensor::empty(shape);
    for (size_t r = 0; r < idx.size(); ++r) {
        check(idx[r] >= 0 && idx[r] < src.dim(0), "take_copy: index ", idx[r], " out of range [0, ", src.dim(0), ")");
        std::copy(src.data() + idx[r] * per, src.data() + (idx[r] + 1) * per, out.data() + r * per);
    }
    return out;
}

}  // namespace convlab
