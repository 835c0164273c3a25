// chapters/04_face_verification/face_tool.cpp
#include "chapters/04_face_verification/face_tool.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "face/fingerprint.hpp"

namespace convlab {

FaceDatabase open_database(const std::string& path, const FaceMethod& method, bool allow_missing) {
    FaceDatabase db = load_database(path, allow_missing);
    if (db.size() == 0) {  // nothing to be inconsistent with: it takes this model
        db.fingerprint = method.fingerprint();
        db.model = method.description();
    }
    check(db.fingerprint == method.fingerprint(), "face database ", path, " was made by ", db.model, " (fingerprint ",
          db.fingerprint, "), not by ", method.description(), " (fingerprint ", method.fingerprint(),
          "): its encodings cannot be compared; use that model, or another --db");
    return db;
}

// The row of db (or -1) holding the photo with this content hash.
static int64_t row_with_content(const FaceDatabase& db, const std::string& content) {
    for (int64_t m = 0; m < db.size(); ++m)
        if (db.contents[m] == content) return m;
    return -1;
}

// The face to enrol from a photo: its only one, or with `largest` the largest box.
static const FaceRecord& the_face(const std::vector<FaceRecord>& faces, const std::string& photo, bool largest) {
    check(!faces.empty(), "no face found in ", photo);
    check(faces.size() == 1 || largest, photo, ": ", faces.size(), " faces found, expected 1 (--largest enrols the "
          "largest)");
    return *std::max_element(faces.begin(), faces.end(), [](const FaceRecord& a, const FaceRecord& b) {
        return a.detection.box.area() < b.detection.box.area();
    });
}

EnrollResult enroll_people(const std::string& db_path, const std::vector<PersonPhotos>& people,
                           const FaceMethod& method, const EnrollOptions& options, const PhotoProgress& progress) {
    EnrollResult r;
    r.db = open_database(db_path, method, /*allow_missing=*/true);
    // First what needs no network: the names, and which photos are enrolled already (by their bytes).
    struct Job {
        std::string name, photo, content;
    };
    std::vector<Job> jobs;
    FaceDatabase seen = r.db;  // the database plus this run's photos, for their content hashes only
    for (const PersonPhotos& person : people) {
        check(person.name != kUnknown, "enroll: \"", kUnknown, "\" is what the tool answers for a face it does not "
              "know, and cannot be a person's name");
        check(!person.photos.empty(), "enroll: no photos given for ", person.name);
        for (const std::string& photo : person.photos) {
            const std::string content = file_fingerprint(photo);
            const int64_t m = row_with_content(seen, content);
            const bool same = m >= 0 && seen.names[m] == person.name;
            check(m < 0 || same || options.force, photo, " is already enrolled as ", m < 0 ? "" : seen.names[m], " (",
                  m < 0 ? "" : seen.sources[m], ", the same bytes), not as ", person.name, ": --force enrols it as ",
                  person.name, " too");
            if (same) {
                r.warnings.push_back(photo + " is already enrolled as " + person.name + " (" + seen.sources[m] +
                                     ", the same bytes): passed over");
                continue;
            }
            if (m >= 0)
                r.warnings.push_back(photo + " is already enrolled as " + seen.names[m] + "; enrolled as " +
                                     person.name + " too (--force)");
            seen.names.push_back(person.name), seen.sources.push_back(photo), seen.contents.push_back(content);
            jobs.push_back({person.name, photo, content});
        }
    }
    // Then every photo through the model; nothing is written until all of them passed.
    for (size_t i = 0; i < jobs.size(); ++i) {
        const std::vector<FaceRecord> faces = method.faces(jobs[i].photo);
        const std::vector<float>& f = the_face(faces, jobs[i].photo, options.largest).descriptor;
        r.db.add(jobs[i].name, jobs[i].photo, Tensor::from({int64_t(f.size())}, f), jobs[i].content);
        ++r.added;
        if (progress) progress(i + 1, jobs.size());
    }
    if (r.added > 0) save_database(db_path, r.db);
    return r;
}

// Every face of every photo, paired with the database by `judge`, which fills name, distance and match.
static std::vector<FaceMatch> query(const std::vector<std::string>& photos, const FaceMethod& method,
                                    const PhotoProgress& progress, const std::function<void(FaceMatch&)>& judge) {
    std::vector<FaceMatch> out;
    for (size_t i = 0; i < photos.size(); ++i) {
        const std::vector<FaceRecord> faces = method.faces(photos[i]);
        FaceMatch m;
        m.photo = photos[i];
        if (faces.empty()) out.push_back(m);
        for (size_t k = 0; k < faces.size(); ++k) {
            m.face = int(k);
            m.record = faces[k];
            m.ranking.clear();
            judge(m);
            out.push_back(m);
        }
        if (progress) progress(i + 1, photos.size());
    }
    return out;
}

std::vector<FaceMatch> identify_photos(const std::string& db_path, const std::vector<std::string>& photos,
                                       const FaceMethod& method, const PhotoProgress& progress) {
    const FaceDatabase db = open_database(db_path, method);
    check(db.size() > 0, "identify: no one is enrolled in ", db_path);
    return query(photos, method, progress, [&](FaceMatch& m) {
        for (int64_t r = 0; r < db.size(); ++r) {  // each person's closest photo
            const float d = method.distance(m.record.descriptor, db.rows[r]);
            auto it = std::find_if(m.ranking.begin(), m.ranking.end(),
                                   [&](const Candidate& c) { return c.name == db.names[r]; });
            if (it == m.ranking.end()) m.ranking.push_back({db.names[r], d});
            else it->distance = std::min(it->distance, d);
        }
        std::stable_sort(m.ranking.begin(), m.ranking.end(),
                         [](const Candidate& a, const Candidate& b) { return a.distance < b.distance; });
        m.distance = m.ranking[0].distance;
        m.match = m.distance <= method.tau;
        m.name = m.match ? m.ranking[0].name : kUnknown;
    });
}

std::vector<FaceMatch> verify_photos(const std::string& db_path, const std::string& name,
                                     const std::vector<std::string>& photos, const FaceMethod& method,
                                     const PhotoProgress& progress) {
    const FaceDatabase db = open_database(db_path, method);
    check(db.photos_of(name) > 0, "verify: ", name, " is not enrolled in ", db_path);
    return query(photos, method, progress, [&](FaceMatch& m) {
        bool first = true;
        for (int64_t r = 0; r < db.size(); ++r)
            if (db.names[r] == name) {
                const float d = method.distance(m.record.descriptor, db.rows[r]);
                m.distance = first ? d : std::min(m.distance, d);
                first = false;
            }
        m.match = m.distance <= method.tau;
        m.name = m.match ? name : kUnknown;
    });
}

int query_status(const std::vector<FaceMatch>& matches) {
    for (const FaceMatch& m : matches)
        if (!m.match) return 1;
    return 0;
}

FaceDatabase remove_person(const std::string& db_path, const std::string& name) {
    FaceDatabase db = load_database(db_path);
    std::string enrolled;
    for (const std::string& p : db.people()) enrolled += (enrolled.empty() ? "" : ", ") + p;
    check(db.remove(name) > 0, "remove: ", name, " is not enrolled in ", db_path, " (enrolled: ",
          enrolled.empty() ? "no one" : enrolled, ")");
    save_database(db_path, db);
    return db;
}

}  // namespace convlab
