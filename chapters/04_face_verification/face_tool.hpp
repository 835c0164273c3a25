// chapters/04_face_verification/face_tool.hpp
//
// What the face tool's commands do, without the printing (tool_face.cpp prints; the tests call these).
//
// The precomputed-database trick of the lecture ("Face Verification"): the encodings of the enrolled photos
// are computed once, at enrolment, and stored (face/database.hpp); a camera photo then costs one pass of
// the model (face_method.hpp) and one distance per stored photo.
//
//   enroll     every photo must show exactly one face (or --largest: its largest); its encoding is stored
//              under the person's name with the photo's content hash
//   identify   1:K: each face of each photo against everyone: the closest person, or "unknown" beyond tau
//   verify     1:1: each face of each photo against one person's closest photo: within tau or not
//
// The database names the model that filled it; a command with another model is refused, naming both.
// Every command that changes the database writes it once, atomically, after everything else succeeded:
// a failed command leaves the file byte for byte as it was.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "chapters/01_one_shot_learning/one_shot.hpp"
#include "chapters/04_face_verification/face_method.hpp"
#include "chapters/04_face_verification/photo_args.hpp"
#include "face/database.hpp"

namespace convlab {

constexpr const char* kUnknown = "unknown";  // the name of a face that matched no one; no person may be called so

// Called after each photo: (photos done, photos in all).
using PhotoProgress = std::function<void(size_t done, size_t total)>;

// The database at `path` for `method`: an Error naming both models when it was made by another one (an
// empty database takes the model of its next enrolment). A missing file is an empty database if
// allow_missing, else an Error.
FaceDatabase open_database(const std::string& path, const FaceMethod& method, bool allow_missing = false);

struct EnrollOptions {
    bool largest = false;  // a photo with several faces: enrol the largest (else it is an error)
    bool force = false;    // a photo already enrolled under another name: enrol it under this one too
};
struct EnrollResult {
    FaceDatabase db;                    // as saved
    int added = 0;                      // photos added
    std::vector<std::string> warnings;  // photos passed over (already enrolled), --force used
};

// Adds everyone's photos and saves the database once. Errors (the database is then left as it was):
// no photos, a reserved or malformed name, a photo with no face ("no face found in FILE") or with several
// without --largest, a photo already enrolled under another name without --force, another model's database.
// A photo already enrolled under the same name (same bytes, any path) is passed over with a warning.
EnrollResult enroll_people(const std::string& db_path, const std::vector<PersonPhotos>& people,
                           const FaceMethod& method, const EnrollOptions& options = {},
                           const PhotoProgress& progress = {});

// The answer for one face of one photo.
struct FaceMatch {
    std::string photo;
    int face = -1;                   // index among the photo's faces, best detector score first; -1: no face found
    FaceRecord record;               // where the face is and its encoding (face < 0: empty)
    std::string name;                // who it is ("unknown" when no one is within tau; "" when no face)
    float distance = 0;              // d to the closest photo of `name` (of the closest person when unknown)
    bool match = false;              // within tau: identified as someone enrolled / is the claimed person
    std::vector<Candidate> ranking;  // identify: every enrolled person, closest first
};

// 1:K for every face of every photo. Error when the database is empty or another model's.
std::vector<FaceMatch> identify_photos(const std::string& db_path, const std::vector<std::string>& photos,
                                       const FaceMethod& method, const PhotoProgress& progress = {});

// 1:1 against `name` for every face of every photo. Error when `name` is not enrolled.
std::vector<FaceMatch> verify_photos(const std::string& db_path, const std::string& name,
                                     const std::vector<std::string>& photos, const FaceMethod& method,
                                     const PhotoProgress& progress = {});

// The exit status of a query: 0 when every face matched (and every photo had one), else 1.
int query_status(const std::vector<FaceMatch>& matches);

// Removes every photo of `name` and saves; returns the database as saved. Error when `name` is not enrolled.
FaceDatabase remove_person(const std::string& db_path, const std::string& name);

}  // namespace convlab
