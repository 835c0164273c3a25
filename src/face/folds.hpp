// src/face/folds.hpp
//
// Which faces a face program learns from and which it is tested on.
//
// Identity-disjoint folds: fold k of F holds people k*P/F .. (k+1)*P/F - 1 in natural order (ORL with
// F = 4: s1..s10, s11..s20, ...). Training uses the other people only, so every test face belongs to
// someone the encoder has never seen: exactly the one-shot situation of a new employee.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/faces.hpp"

namespace convlab {

// Person indices of fold k of `folds` over n people.
std::vector<int> fold_people(int n_people, int folds, int k);

struct Split {
    FaceDataset train, test;
};
// Both halves are checked with check_pairs: the training people give the triplet loss its anchors and
// positives, the test people give one-shot rank-1 a photo to enrol and another to probe.
Split split_fold(const FaceDataset& ds, int folds, int k);

// For choosing hyperparameters without the test people: fold k's training people only, the last
// `held_out` of them (in natural order) as the test set and the others as the training set. Fold k's own
// test people are not in either. (ORL fold 1, held_out 5: train on s11..s35, validate on s36..s40.)
Split split_validation(const FaceDataset& ds, int folds, int k, int held_out);

// Where a model's tau is chosen: of the model's training people, the last min(wanted, a third of them)
// who have 2 or more photos are held out (in natural order), so that a calibration encoder still learns
// from most of them; people with a single photo stay on the training side, as negatives. A tau chosen on
// the model's own training pairs is too strict for new people (training pulled their genuine pairs
// together); one chosen on people an encoder like it has never seen transfers. No split (nullopt) when
// fewer than 2 people could be held out with 2 people with two photos left to train on.
std::optional<Split> split_calibration(const FaceDataset& train, int wanted, const std::string& what);
constexpr int kCalibrationPeople = 10;  // ORL: 20 of a fold's 30 training people still train the calibration encoder

// A person with one photo can only ever be "someone else": a negative, one side of an impostor pair. Checks
// that at least 2 people of ds have 2 or more photos; else an Error naming `what`, the people with a single
// photo (their folders) and what is needed.
void check_pairs(const FaceDataset& ds, const std::string& what);

// The data of a face chapter program: load_face_folder(data_dir) at 56 x 46 if data_dir is given, else
// the synthetic faces (60 people x 10 photos; 24 x 6 when quick). Prints one line saying which, and one
// more naming the people with a single photo, if any.
FaceDataset chapter_faces(const std::string& data_dir, bool quick);

}  // namespace convlab
