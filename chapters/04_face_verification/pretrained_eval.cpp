// chapters/04_face_verification/pretrained_eval.cpp
#include "chapters/04_face_verification/pretrained_eval.hpp"

#include <chrono>
#include <cstdio>

#include "face/folds.hpp"
#include "io/image.hpp"
#include "io/progress.hpp"

namespace convlab {

PhotoDescriptors describe_photos(const FacePipeline& pipeline, const std::vector<std::string>& files) {
    const auto start = std::chrono::steady_clock::now();
    PhotoDescriptors out;
    Progress progress("describe", int64_t(files.size()), 20);
    for (size_t i = 0; i < files.size(); ++i) {
        FaceFound found;
        out.f.push_back(pretrained_encoding(pipeline, load_image(files[i], 3), &found));
        switch (found) {
            case FaceFound::AsItIs: ++out.found; break;
            case FaceFound::InFrame: ++out.framed; break;
            case FaceFound::InFrameTwice: ++out.framed_twice; break;
            case FaceFound::Whole: ++out.whole; break;
        }
        progress.update(int64_t(i + 1), "faces " + std::to_string(out.found + out.framed + out.framed_twice) + "/" + std::to_string(i + 1));
    }
    progress.done();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

Tensor descriptor_distances(const std::vector<std::vector<float>>& f, const std::vector<int64_t>& index) {
    const int64_t n = int64_t(index.size());
    Tensor D = Tensor::zeros({n, n});
    float* d = D.data();
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = i + 1; j < n; ++j)
            d[i * n + j] = d[j * n + i] = descriptor_distance(f[size_t(index[i])], f[size_t(index[j])]);
    return D;
}

// The photos and labels of fold k's test people and of the others, relabelled 0.. in order of first
// appearance, as select_people does.
struct FoldSides {
    std::vector<int64_t> test_index, train_index;
    std::vector<int> test_labels, train_labels;
};
static FoldSides fold_sides(const FaceDataset& ds, int folds, int k) {
    const std::vector<int> test_people = fold_people(int(ds.people.size()), folds, k);
    std::vector<int> is_test(ds.people.size(), 0);
    for (int p : test_people) is_test[size_t(p)] = 1;
    FoldSides s;
    std::vector<int> relabel(ds.people.size(), -1);
    int next_test = 0, next_train = 0;
    for (int64_t i = 0; i < ds.size(); ++i) {
        const int p = ds.labels[size_t(i)];
        if (relabel[size_t(p)] < 0) relabel[size_t(p)] = is_test[size_t(p)] ? next_test++ : next_train++;
        (is_test[size_t(p)] ? s.test_index : s.train_index).push_back(i);
        (is_test[size_t(p)] ? s.test_labels : s.train_labels).push_back(relabel[size_t(p)]);
    }
    return s;
}

Scores score_pretrained_fold(const FaceDataset& ds, const PhotoDescriptors& photos, int folds, int k,
                             double target_far) {
    const FoldSides s = fold_sides(ds, folds, k);
    return score_distances(descriptor_distances(photos.f, s.test_index), s.test_labels,
                           descriptor_distances(photos.f, s.train_index), s.train_labels, target_far);
}

Rates pretrained_fold_rates(const FaceDataset& ds, const PhotoDescriptors& photos, int folds, int k, float tau) {
    const FoldSides s = fold_sides(ds, folds, k);
    return rates_at(pair_distances(descriptor_distances(photos.f, s.test_index), s.test_labels), tau);
}

}  // namespace convlab
