// chapters/04_face_verification/face_tool.cpp
//
// The precomputed-database trick of the lecture ("Face Verification"): the encodings of the enrolled
// photos are computed once, at enrolment, and stored; a camera image then costs one forward pass and one
// distance per stored photo.
#include "chapters/04_face_verification/face_tool.hpp"

#include "chapters/02_siamese_network/siamese.hpp"
#include "core/error.hpp"
#include "data/faces.hpp"
#include "face/whitening.hpp"

namespace convlab {

// The photo at `path` as the database holds it: f(x), or P f(x) with a whitening. (dim)
static Tensor encode_photo(FaceEncoder& f, const std::string& path, const Tensor& P) {
    const Tensor e = img_to_encoding(f, load_face_photo(path));
    return P.defined() ? whiten(e.reshape({1, e.numel()}), P).reshape({e.numel()}) : e;
}

FaceDatabase enroll_photos(const std::string& db_path, const std::string& name, const std::vector<std::string>& images,
                           FaceEncoder& f, const Tensor& P) {
    check(!images.empty(), "enroll: no photos given for ", name);
    FaceDatabase db = load_database(db_path, /*allow_missing=*/true);
    for (const std::string& path : images) db.add(name, path, encode_photo(f, path, P));
    save_database(db_path, db);
    return db;
}

Verdict verify_photo(const std::string& db_path, const std::string& name, const std::string& image, FaceEncoder& f,
                     float tau, const Tensor& P) {
    const FaceDatabase db = load_database(db_path);
    const Tensor f_camera = encode_photo(f, image, P);
    Verdict best{0, tau, false};
    bool found = false;
    for (int64_t m = 0; m < db.size(); ++m) {
        if (db.names[m] != name) continue;
        const Verdict v = verify(f_camera, Tensor::from({db.dim}, db.rows[m]), tau);
        if (!found || v.distance < best.distance) best = v;
        found = true;
    }
    check(found, "verify: ", name, " is not enrolled in ", db_path);
    return best;
}

Identification identify_photo(const std::string& db_path, const std::string& image, FaceEncoder& f, float tau,
                              const Tensor& P) {
    const FaceDatabase db = load_database(db_path);
    return who_is_it(encode_photo(f, image, P), db.encodings(), db.names, tau);
}

}  // namespace convlab
