// src/face/folds.cpp
#include "face/folds.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

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

// People of ds with fewer than 2 photos (load_face_folder refuses a person with none: so exactly 1).
static std::vector<int> single_photo_people(const FaceDataset& ds) {
    std::vector<int> count(ds.people.size(), 0), single;
    for (int label : ds.labels) ++count[label];
    for (size_t p = 0; p < count.size(); ++p)
        if (count[p] < 2) single.push_back(static_cast<int>(p));
    return single;
}

void check_pairs(const FaceDataset& ds, const std::string& what) {
    const std::vector<int> single = single_photo_people(ds);
    const size_t n = ds.people.size(), with_pairs = n - single.size();
    if (with_pairs >= 2) return;
    std::string first;  // the first person with a single photo, by folder (the path of their photo's folder)
    if (!single.empty())
        first = "; " + std::filesystem::path(ds.files[ds.images_of(single[0])[0]]).parent_path().string() +
                " has 1 photo" +
                (single.size() > 1 ? " (and " + std::to_string(single.size() - 1) + " more people have 1)" : "");
    fail(what, ": need at least 2 people with 2 or more photos each (one to enrol or anchor, one to compare), got ",
         with_pairs, " of ", n, first);
}

// The split by person index, both halves checked by check_pairs.
static Split split_people(const FaceDataset& ds, const std::vector<int>& train, const std::vector<int>& test,
                          const std::string& what) {
    Split s{select_people(ds, train), select_people(ds, test)};
    check_pairs(s.train, what + ": the training people");
    check_pairs(s.test, what + ": the test people (" + s.test.people.front() + " .. " + s.test.people.back() + ")");
    return s;
}

// The people of ds not in `out`.
static std::vector<int> all_but(int n, const std::vector<int>& out) {
    std::vector<int> rest;
    for (int p = 0; p < n; ++p)
        if (std::find(out.begin(), out.end(), p) == out.end()) rest.push_back(p);
    return rest;
}

Split split_fold(const FaceDataset& ds, int folds, int k) {
    const int n = static_cast<int>(ds.people.size());
    const std::vector<int> test = fold_people(n, folds, k);
    return split_people(ds, all_but(n, test), test,
                        "split_fold: fold " + std::to_string(k + 1) + " of " + std::to_string(folds));
}

// The last `held_out` people of ds (in natural order) as the test set, the others as the training set.
static Split split_held_out(const FaceDataset& ds, int held_out, const std::string& what) {
    const size_t n = ds.people.size();
    check(held_out >= 2 && size_t(held_out) + 2 <= n, what, ": need 2 or more held-out and training people, got ",
          held_out, " held out of ", n);
    std::vector<int> train, held;
    for (size_t p = 0; p < n; ++p) (p + held_out >= n ? held : train).push_back(static_cast<int>(p));
    return split_people(ds, train, held, what);
}

std::optional<Split> split_calibration(const FaceDataset& train, int wanted, const std::string& what) {
    const std::vector<int> single = single_photo_people(train);
    const int n = static_cast<int>(train.people.size()), with_pairs = n - static_cast<int>(single.size());
    const int n_held = std::min({wanted, n / 3, with_pairs - 2});  // 2 people with pairs stay to train on
    if (n_held < 2) return std::nullopt;
    // the last n_held people who have a genuine pair; people with a single photo stay in training (negatives)
    std::vector<int> held;
    for (int p = n - 1; p >= 0 && static_cast<int>(held.size()) < n_held; --p)
        if (std::find(single.begin(), single.end(), p) == single.end()) held.insert(held.begin(), p);
    return split_people(train, all_but(n, held), held, what);
}

Split split_validation(const FaceDataset& ds, int folds, int k, int held_out) {
    // fold k's training people (its test people may be anyone: they are not used)
    const int n = static_cast<int>(ds.people.size());
    return split_held_out(select_people(ds, all_but(n, fold_people(n, folds, k))), held_out,
                          "split_validation: fold " + std::to_string(k + 1) + " of " + std::to_string(folds));
}

FaceDataset chapter_faces(const std::string& data_dir, bool quick) {
    constexpr int kHeight = 56, kWidth = 46;  // ORL's 112 x 92 halved: enough detail, 4x less compute
    FaceDataset ds;
    if (!data_dir.empty()) {
        ds = load_face_folder(data_dir, kHeight, kWidth);
        std::printf("data: %s: %zu people, %lld photos, resized to %d x %d grey\n", data_dir.c_str(),
                    ds.people.size(), static_cast<long long>(ds.size()), kHeight, kWidth);
        const std::vector<int> single = single_photo_people(ds);
        if (!single.empty()) {
            std::string names;
            for (size_t k = 0; k < single.size() && k < 5; ++k) names += (k ? ", " : "") + ds.people[single[k]];
            std::printf("      %zu %s a single photo (%s%s): only ever the other person of a pair (a negative, an "
                        "impostor), never an anchor, an enrolled photo or a probe\n",
                        single.size(), single.size() == 1 ? "person has" : "people have", names.c_str(),
                        single.size() > 5 ? ", ..." : "");
        }
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
