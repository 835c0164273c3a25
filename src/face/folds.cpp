// src/face/folds.cpp
#include "face/folds.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "data/synthetic_faces.hpp"

namespace convlab {

std::vector<int> fold_people(int n_people, int folds, int k) {
    check(folds >= 2 && n_people >= 2 * folds, "fold_people: need at least 2 people per fold, got ", n_people,
          " people for ", folds, " folds");
    check(k >= 0 && k < folds, "fold_people: fold ", k, " out of range [0, ", folds, ")");
    std::vector<int> people;
    for (int p = k * n_people / folds; p < (k + 1) * n_people / folds; ++p) people.push_back(p);
    return people;
}

Split split_fold(const FaceDataset& ds, int folds, int k) {
    const int n = static_cast<int>(ds.people.size());
    const std::vector<int> test = fold_people(n, folds, k);
    std::vector<int> train;
    for (int p = 0; p < n; ++p)
        if (std::find(test.begin(), test.end(), p) == test.end()) train.push_back(p);
    return {select_people(ds, train), select_people(ds, test)};
}

Split split_validation(const FaceDataset& ds, int folds, int k, int held_out) {
    const Split outer = split_fold(ds, folds, k);
    std::vector<int> train, validation;
    for (size_t p = 0; p < outer.train.people.size(); ++p) {
        const bool held = p + held_out >= outer.train.people.size();
        (held ? validation : train).push_back(static_cast<int>(p));
    }
    check(held_out >= 2 && train.size() >= 2, "split_validation: need 2 or more held-out and training people, got ",
          held_out, " held out of ", outer.train.people.size());
    return {select_people(outer.train, train), select_people(outer.train, validation)};
}

FaceDataset chapter_faces(const std::string& data_dir, bool quick) {
    constexpr int kHeight = 56, kWidth = 46;  // ORL's 112 x 92 halved: enough detail, 4x less compute
    FaceDataset ds;
    if (!data_dir.empty()) {
        ds = load_face_folder(data_dir, kHeight, kWidth);
        std::printf("data: %s: %zu people, %lld photos, resized to %d x %d grey\n", data_dir.c_str(),
                    ds.people.size(), static_cast<long long>(ds.size()), kHeight, kWidth);
    } else {
        SyntheticFacesSpec spec;
        spec.height = kHeight;
        spec.width = kWidth;
        if (quick) spec.people = 24, spec.per_person = 6;
        ds = synthetic_faces(spec);
        std::printf("data: SYNTHETIC faces (procedural drawings, not photos): %s\n"
                    "      use --data DIR (one subfolder per person) for real faces, e.g. --data ../shared/data/att_faces\n",
                    ds.source.c_str());
    }
    return ds;
}

}  // namespace convlab
