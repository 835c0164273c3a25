// tests/chapters/test_04_face_tool.cpp
//
// The enrolment database (format 2: the model's fingerprint, each photo's content hash) and the face tool's
// commands as functions (chapters/04_face_verification/face_tool.hpp), with a small untrained encoder: the
// whole photo is the face, and a photo is at d = 0 from itself, which is all the bookkeeping needs.
// The same with the pretrained networks, on ORL photos: test_04_face_tool_pretrained.cpp.
#include <filesystem>

#include "chapters/04_face_verification/face_output.hpp"
#include "chapters/04_face_verification/face_tool.hpp"
#include "data/synthetic_faces.hpp"
#include "face/fingerprint.hpp"
#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "io/fnv1a.hpp"
#include "io/image.hpp"
#include "io/json.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"
#include "tests/support/tiny_encoder.hpp"

using namespace convlab;
using convlab::testing::tiny_encoder_file;
namespace fs = std::filesystem;

namespace {

// Six synthetic photos (3 people x 2), written as PNG files 0.png .. 5.png of another size than the model's.
struct Photos {
    std::string dir;
    std::string operator()(int i) const { return dir + "/" + std::to_string(i) + ".png"; }
};
Photos six_photos(const std::string& dir) {
    const FaceDataset people = synthetic_faces({3, 2, 24, 20, /*seed=*/11});
    for (int i = 0; i < 6; ++i) save_png(dir + "/" + std::to_string(i) + ".png", people.images[i]);
    return {dir};
}

}  // namespace

TEST_CASE("face database: format 2 round trip (model, fingerprint, content hashes); a corrupted file and format 1 "
          "are refused" * doctest::test_suite("ch04.database")) {
    const std::string path = testing::scratch_dir("facedb") + "/faces.db";
    CHECK(load_database(path, /*allow_missing=*/true).size() == 0);
    CHECK_THROWS_AS(load_database(path), Error);
    FaceDatabase db;
    db.fingerprint = "0123456789abcdef";
    db.model = "from-scratch encoder e.ckpt (d = ||f1 - f2||^2)";
    db.add("kian", "kian1.png", Tensor::from({3}, {0.1f, -0.2f, 1.0f / 3}), "00000000000000aa");
    db.add("anna", "a b.png", Tensor::from({1, 3}, {1, 0, 0}));
    db.add("kian", "kian2.png", Tensor::from({3}, {0, 1, 0}), "00000000000000bb");
    CHECK_THROWS_AS(db.add("bob", "b.png", Tensor::zeros({4})), Error);
    CHECK_THROWS_AS(db.add("bad\tname", "b.png", Tensor::zeros({3})), Error);
    CHECK_THROWS_AS(db.add("bob", "b.png", Tensor::zeros({3}), "two words"), Error);
    save_database(path, db);
    const std::string text = read_file(path);
    CHECK(text.rfind("convlab-face-db 2\nmodel 0123456789abcdef from-scratch encoder e.ckpt (d = ||f1 - f2||^2)\n"
                     "dim 3\nentries 3\nkian\tkian1.png\t00000000000000aa\t0.100000001 -0.200000003 0.333333343\n"
                     "anna\ta b.png\t-\t1 0 0\n", 0) == 0);
    const FaceDatabase back = load_database(path);
    CHECK(back.fingerprint == db.fingerprint);
    CHECK(back.model == db.model);
    CHECK(back.names == db.names);
    CHECK(back.sources == db.sources);
    CHECK(back.contents == std::vector<std::string>{"00000000000000aa", "-", "00000000000000bb"});
    CHECK(back.encodings().values() == db.encodings().values());  // exact: %.9g reads back the same float
    CHECK(back.people() == std::vector<std::string>{"kian", "anna"});
    CHECK(back.photos_of("kian") == 2);
    // remove: every row of the person, the others in order
    FaceDatabase fewer = back;
    CHECK(fewer.remove("kian") == 2);
    CHECK(fewer.remove("bob") == 0);
    CHECK(fewer.names == std::vector<std::string>{"anna"});
    CHECK(fewer.rows == std::vector<std::vector<float>>{{1, 0, 0}});
    // a database with no one yet and no model
    save_database(path, FaceDatabase{});
    CHECK(read_file(path).rfind("convlab-face-db 2\nmodel -\ndim 0\nentries 0\nchecksum ", 0) == 0);
    CHECK(load_database(path).fingerprint.empty());
    // flip one digit: the checksum no longer matches
    std::string bytes = text;
    bytes[bytes.find("0.100000001")] = '9';
    write_file_atomic(path, bytes);
    CHECK_THROWS_WITH_AS(load_database(path), doctest::Contains("checksum mismatch"), Error);
    write_file_atomic(path, "hello\n");
    CHECK_THROWS_WITH_AS(load_database(path), doctest::Contains("bad header"), Error);
    // format 1 (no model named): one line saying what to do
    write_file_atomic(path, "convlab-face-db 1\ndim 2\nentries 1\nkian\tk.png\t0.6 0.8\nchecksum 0\n");
    const std::string message = testing::error_of([&] { load_database(path); });
    CHECK(message == "face database " + path + " is in format 1, which does not name the model that made its "
                     "encodings: enrol its people again into a new database (format 2)");
}

TEST_CASE("fnv1a and fingerprints: the published test vectors; a weight or the preprocessing changes a model's, "
          "its tau does not" * doctest::test_suite("ch04.face_tool")) {
    CHECK(hex16(fnv1a("")) == "cbf29ce484222325");  // FNV's own test vectors
    CHECK(hex16(fnv1a("a")) == "af63dc4c8601ec8c");
    CHECK(hex16(fnv1a("foobar")) == "85944171f73967e8");
    CHECK(fnv1a("bar", fnv1a("foo")) == fnv1a("foobar"));  // hashing in pieces
    const std::string dir = testing::scratch_dir("fingerprint");
    write_file_atomic(dir + "/a.txt", "foobar");
    CHECK(file_fingerprint(dir + "/a.txt") == "85944171f73967e8");

    const std::string a = tiny_encoder_file(dir, 1, 0.5f), a_other_tau = tiny_encoder_file(dir, 1, 0.9f);
    const std::string b = tiny_encoder_file(dir, 2);
    const std::string fa = model_fingerprint({a}, "grey", {"tau"});
    CHECK(fa.size() == 16);
    CHECK(model_fingerprint({a_other_tau}, "grey", {"tau"}) == fa);   // tau does not change f(x)
    CHECK(model_fingerprint({a_other_tau}, "grey") != fa);            // unless it is hashed
    CHECK(model_fingerprint({b}, "grey", {"tau"}) != fa);             // other weights
    CHECK(model_fingerprint({a}, "colour", {"tau"}) != fa);           // other preprocessing
    // one weight nudged by one float step
    NamedTensors t = load_checkpoint(a);
    t[0].second.data()[0] = std::nextafter(t[0].second.data()[0], 1.0f);
    save_checkpoint(dir + "/nudged.ckpt", t);
    CHECK(model_fingerprint({dir + "/nudged.ckpt"}, "grey", {"tau"}) != fa);
    CHECK(FaceMethod::from_scratch(a).fingerprint() == FaceMethod::from_scratch(a_other_tau).fingerprint());
}

TEST_CASE("expand_photos and people_folder: files, folders at any depth in natural order, both people layouts" *
          doctest::test_suite("ch04.face_tool")) {
    const std::string dir = testing::scratch_dir("photo_args");
    const Tensor grey = Tensor::full({1, 16, 16}, 0.5f);
    for (const char* f : {"q/s10.png", "q/s2.png", "q/deeper/s1.pgm", "q/.hidden/x.png", "q/notes.txt",
                          "people/kian/2.png", "people/kian/10.png", "people/kian/old/1.png", "people/anna.jpg",
                          "people/bob.png", "people/bob.pgm", "people/README.md", "empty/notes.txt"}) {
        fs::create_directories(fs::path(dir + "/" + f).parent_path());
        if (is_image_file(f)) save_png(dir + "/" + f, grey);
        else write_file_atomic(dir + "/" + f, "not a photo\n");
    }
    // a folder: every image below it, natural order of the path ("deeper/s1" < "s2" < "s10"), hidden ones left out
    CHECK(expand_photos({dir + "/q", dir + "/q/notes.txt"}) ==
          std::vector<std::string>{dir + "/q/deeper/s1.pgm", dir + "/q/s2.png", dir + "/q/s10.png", dir + "/q/notes.txt"});
    CHECK(testing::error_of([&] { expand_photos({dir + "/none.png"}); }) == dir + "/none.png: no such photo or folder");
    CHECK(testing::error_of([&] { expand_photos({dir + "/empty"}); }).find(dir + "/empty: a folder with no photos") == 0);
    // people: subfolders and files named after the person, in natural order; files of one person together
    const std::vector<PersonPhotos> people = people_folder(dir + "/people");
    REQUIRE(people.size() == 3);
    CHECK(people[0].name == "anna");
    CHECK(people[1].name == "bob");
    CHECK(people[1].photos == std::vector<std::string>{dir + "/people/bob.pgm", dir + "/people/bob.png"});
    CHECK(people[2].name == "kian");
    CHECK(people[2].photos == std::vector<std::string>{dir + "/people/kian/2.png", dir + "/people/kian/10.png",
                                                       dir + "/people/kian/old/1.png"});
    CHECK_THROWS_WITH_AS(people_folder(dir + "/empty"), doctest::Contains("no people in it"), Error);
    CHECK_THROWS_WITH_AS(people_folder(dir + "/people/bob.png"), doctest::Contains("not a folder"), Error);
}

TEST_CASE("face tool: enroll, identify, verify with an encoder (the whole photo is the face)" *
          doctest::test_suite("ch04.integration")) {
    const std::string dir = testing::scratch_dir("facetool");
    const Photos photo = six_photos(dir);
    FaceMethod method = FaceMethod::from_scratch(tiny_encoder_file(dir, 2));
    CHECK_FALSE(method.detects());
    CHECK(method.tau == 0.5f);
    const std::string db = dir + "/office.db";
    std::vector<size_t> progress;
    const EnrollResult r = enroll_people(db, {{"kian", {photo(0), photo(1)}}, {"anna", {photo(2)}}}, method, {},
                                         [&](size_t done, size_t total) { progress.push_back(done * 10 + total); });
    CHECK(r.added == 3);
    CHECK(r.warnings.empty());
    CHECK(progress == std::vector<size_t>{13, 23, 33});
    CHECK(r.db.people() == std::vector<std::string>{"kian", "anna"});
    CHECK(r.db.fingerprint == method.fingerprint());
    CHECK(r.db.contents[0] == file_fingerprint(photo(0)));
    CHECK(load_database(db).rows == r.db.rows);

    // identify: an enrolled photo is its person at d = 0; the ranking has everyone, closest first
    std::vector<FaceMatch> m = identify_photos(db, {photo(2), photo(0)}, method);
    REQUIRE(m.size() == 2);
    CHECK(m[0].photo == photo(2));
    CHECK(m[0].face == 0);
    CHECK(m[0].name == "anna");
    CHECK(m[0].distance == doctest::Approx(0.0).epsilon(1e-6));
    CHECK(m[0].match);
    CHECK(m[0].ranking.size() == 2);
    CHECK(m[0].ranking[0].distance <= m[0].ranking[1].distance);
    CHECK(m[0].record.detection.box.width == 20);  // the whole photo, 20 x 24
    CHECK(m[1].name == "kian");
    CHECK(query_status(m) == 0);
    // with tau = 0 a photo no one enrolled is unknown, at the distance of the closest person
    method.tau = 0;
    m = identify_photos(db, {photo(0), photo(4)}, method);
    CHECK(m[0].match);
    CHECK(m[1].name == kUnknown);
    CHECK_FALSE(m[1].match);
    CHECK(m[1].distance == m[1].ranking[0].distance);
    CHECK(m[1].distance > 0);
    CHECK(query_status(m) == 1);
    // verify: the closest enrolled photo of the claimed person
    method.tau = 0.5f;
    m = verify_photos(db, "kian", {photo(1), photo(5)}, method);
    CHECK(m[0].name == "kian");
    CHECK(m[0].distance == doctest::Approx(0.0).epsilon(1e-6));
    CHECK(m[1].distance == doctest::Approx(std::min(method.distance(m[1].record.descriptor, r.db.rows[0]),
                                                    method.distance(m[1].record.descriptor, r.db.rows[1]))));
    CHECK(m[1].name == (m[1].distance <= 0.5f ? "kian" : kUnknown));
    CHECK(testing::error_of([&] { verify_photos(db, "bob", {photo(0)}, method); }) ==
          "verify: bob is not enrolled in " + db);
    CHECK_THROWS_WITH_AS(identify_photos(dir + "/none.db", {photo(0)}, method), doctest::Contains("none.db"), Error);
}

TEST_CASE("face tool: duplicates warn, under another name need --force; a failed command leaves the database byte "
          "for byte" * doctest::test_suite("ch04.integration")) {
    const std::string dir = testing::scratch_dir("facetool_dup");
    const Photos photo = six_photos(dir);
    const FaceMethod method = FaceMethod::from_scratch(tiny_encoder_file(dir, 3));
    const std::string db = dir + "/office.db";
    enroll_people(db, {{"kian", {photo(0)}}, {"anna", {photo(2)}}}, method);
    const std::string before = read_file(db);
    // the same photo (the same bytes under another path) under the same name: a warning, nothing written
    fs::copy_file(photo(0), dir + "/copy.png");
    EnrollResult r = enroll_people(db, {{"kian", {dir + "/copy.png"}}}, method);
    CHECK(r.added == 0);
    CHECK(r.warnings == std::vector<std::string>{dir + "/copy.png is already enrolled as kian (" + photo(0) +
                                                 ", the same bytes): passed over"});
    CHECK(read_file(db) == before);
    // ... under another name: an error, unless --force
    CHECK(testing::error_of([&] { enroll_people(db, {{"bob", {photo(4), dir + "/copy.png"}}}, method); }) ==
          dir + "/copy.png is already enrolled as kian (" + photo(0) + ", the same bytes), not as bob: --force "
          "enrols it as bob too");
    CHECK(read_file(db) == before);
    // a photo that cannot be read, a reserved name, no photos: errors, the file as it was
    CHECK_THROWS_WITH_AS(enroll_people(db, {{"bob", {photo(4), dir + "/missing.png"}}}, method),
                         doctest::Contains("missing.png"), Error);
    CHECK_THROWS_WITH_AS(enroll_people(db, {{kUnknown, {photo(4)}}}, method), doctest::Contains("cannot be a person"),
                         Error);
    CHECK_THROWS_WITH_AS(enroll_people(db, {{"bob", {}}}, method), doctest::Contains("no photos given for bob"), Error);
    CHECK(testing::error_of([&] { remove_person(db, "bob"); }) ==
          "remove: bob is not enrolled in " + db + " (enrolled: kian, anna)");
    CHECK(read_file(db) == before);
    // a photo given twice in one run counts once
    r = enroll_people(db, {{"bob", {photo(4), photo(4)}}}, method);
    CHECK(r.added == 1);
    CHECK(r.warnings.size() == 1);
    r = enroll_people(db, {{"bob", {dir + "/copy.png"}}}, method, {/*largest=*/false, /*force=*/true});
    CHECK(r.added == 1);
    CHECK(r.warnings == std::vector<std::string>{dir + "/copy.png is already enrolled as kian; enrolled as bob too "
                                                 "(--force)"});
    CHECK(r.db.photos_of("bob") == 2);
    // remove: every photo of the person, saved
    const FaceDatabase after = remove_person(db, "bob");
    CHECK(after.people() == std::vector<std::string>{"kian", "anna"});
    CHECK(read_file(db) == before);  // back to what it was before bob
}

TEST_CASE("face tool: a database made by another model is refused, naming both" * doctest::test_suite("ch04.integration")) {
    const std::string dir = testing::scratch_dir("facetool_model");
    const Photos photo = six_photos(dir);
    const FaceMethod a = FaceMethod::from_scratch(tiny_encoder_file(dir, 4));
    const FaceMethod b = FaceMethod::from_scratch(tiny_encoder_file(dir, 5));
    REQUIRE(a.fingerprint() != b.fingerprint());
    const std::string db = dir + "/office.db";
    enroll_people(db, {{"kian", {photo(0)}}}, a);
    const std::string before = read_file(db);
    const std::string refusal = "face database " + db + " was made by " + a.description() + " (fingerprint " +
                                a.fingerprint() + "), not by " + b.description() + " (fingerprint " + b.fingerprint() +
                                "): its encodings cannot be compared; use that model, or another --db";
    CHECK(testing::error_of([&] { identify_photos(db, {photo(0)}, b); }) == refusal);
    CHECK(testing::error_of([&] { verify_photos(db, "kian", {photo(0)}, b); }) == refusal);
    CHECK(testing::error_of([&] { enroll_people(db, {{"anna", {photo(2)}}}, b); }) == refusal);
    CHECK(read_file(db) == before);
    // a database with no one left takes the model of its next enrolment
    enroll_people(db, {{"anna", {photo(2)}}}, a);
    remove_person(db, "kian");
    remove_person(db, "anna");
    CHECK(enroll_people(db, {{"anna", {photo(2)}}}, b).db.fingerprint == b.fingerprint());
}

TEST_CASE("face tool: with the model's whitening P the database holds P f(x) and d is d_W" *
          doctest::test_suite("ch04.integration")) {
    const std::string dir = testing::scratch_dir("facetool_whiten");
    const Photos photo = six_photos(dir);
    std::vector<float> twice(64, 0.0f);
    for (int k = 0; k < 8; ++k) twice[k * 8 + k] = 2.0f;
    // the same weights (seed 6) with and without P = 2 I: every d_W is 4 times the plain d
    const FaceMethod plain = FaceMethod::from_scratch(tiny_encoder_file(dir, 6, 4.0f));
    const FaceMethod whitened = FaceMethod::from_scratch(tiny_encoder_file(dir, 6, 4.0f, Tensor::from({8, 8}, twice)));
    CHECK(plain.fingerprint() != whitened.fingerprint());
    enroll_people(dir + "/plain.db", {{"kian", {photo(0)}}}, plain);
    enroll_people(dir + "/whitened.db", {{"kian", {photo(0)}}}, whitened);
    const float d = verify_photos(dir + "/plain.db", "kian", {photo(4)}, plain)[0].distance;
    const float d_W = verify_photos(dir + "/whitened.db", "kian", {photo(4)}, whitened)[0].distance;
    CHECK(d > 0);
    CHECK(d_W == doctest::Approx(4 * d).epsilon(1e-5));
    CHECK(identify_photos(dir + "/whitened.db", {photo(4)}, whitened)[0].distance == doctest::Approx(d_W));
}

TEST_CASE("face tool output: CSV fields quoted as RFC 4180 says; JSON objects that parse" *
          doctest::test_suite("ch04.face_tool")) {
    CHECK(csv_field("s1/2.pgm") == "s1/2.pgm");
    CHECK(csv_field("a,b.png") == "\"a,b.png\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    FaceMatch none;
    none.photo = "empty, room.png";
    CHECK(match_csv(none) == "\"empty, room.png\",,,");
    FaceMatch kian;
    kian.photo = "door.png";
    kian.face = 1;
    kian.name = "kian";
    kian.distance = 0.41234f;
    kian.match = true;
    kian.record.detection = {0.9f, Box{10, 20, 30, 40}};
    kian.ranking = {{"kian", 0.41234f}, {"anna", 0.7f}, {"bob", 0.8f}, {"eve", 0.9f}};
    CHECK(match_csv(kian) == "door.png,1,kian,0.4123");
    const JsonValue j = parse_json(json_array({match_json(kian, true), match_json(none, false)}), "matches");
    REQUIRE(j.size() == 2);
    CHECK(j.at(0).at("name").as_string() == "kian");
    CHECK(j.at(0).at("face").as_integer() == 1);
    CHECK(float(j.at(0).at("distance").as_number()) == 0.41234f);  // %.9g: the same float back
    CHECK(j.at(0).at("match").as_bool());
    CHECK(j.at(0).at("box").at("height").as_number() == 40);
    CHECK(j.at(0).at("candidates").size() == 3);  // the 3 closest
    CHECK(j.at(1).at("photo").as_string() == "empty, room.png");
    CHECK(j.at(1).at("face").is_null());
    CHECK_FALSE(j.at(1).at("match").as_bool());
    FaceRecord face;
    face.detection = {0.5f, Box{1, 2, 3, 4}};
    face.landmarks = {{1.5f, 2.5f}, {3, 4}};
    face.descriptor = {0.25f, -1};
    const JsonValue d = parse_json(photo_faces_json("x.png", {face}, true), "describe");
    CHECK(d.at("faces").at(0).at("landmarks").at(1).at(0).as_number() == 3);
    CHECK(d.at("faces").at(0).at("descriptor").at(1).as_number() == -1);
    CHECK_FALSE(parse_json(face_json(face, false), "detect").has("descriptor"));
    CHECK(detection_csv("x.png", 0, face) == "x.png,0,1.00,2.00,3.00,4.00,0.5000");
    CHECK(json_array({}) == "[]\n");
}
