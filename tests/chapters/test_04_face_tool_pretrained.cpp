// tests/chapters/test_04_face_tool_pretrained.cpp
//
// The face tool with the pretrained networks (make face-models; skipped without them), on ORL photos
// (../shared/data/att_faces) and face-api's reference canvases (../shared/reference/face-api): a people
// folder enrolled, other photos (one a colour, resized copy) identified by name, a photo with no face and
// one with two faces.
#include <filesystem>

#include "chapters/04_face_verification/face_output.hpp"
#include "chapters/04_face_verification/face_tool.hpp"
#include "face/pretrained/models.hpp"
#include "io/atomic_file.hpp"
#include "io/image.hpp"
#include "io/json.hpp"
#include "ops/elementwise.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"
#include "tests/support/face_reference.hpp"

using namespace convlab;
using namespace convlab::testing;
namespace fs = std::filesystem;

namespace {

// ORL's grey photo as a colour one (R, G, B scaled by 1, 0.85, 0.7: a warm tint) at 1.5 times its size.
void colour_resized_copy(const std::string& from, const std::string& to) {
    const Tensor grey = load_image(from, 3);
    const Tensor tint = Tensor::from({3, 1, 1}, {1.0f, 0.85f, 0.7f});
    save_png(to, resize_bilinear(mul(grey, tint), grey.dim(1) * 3 / 2, grey.dim(2) * 3 / 2));
}

}  // namespace

TEST_CASE("face tool, pretrained: ORL people enrolled from a folder are named in other photos; no face, two faces" *
          doctest::test_suite("ch04.face_tool_pretrained")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const std::string data = shared_data_dir();
    if (data.empty()) {
        MESSAGE("skipped: the ORL faces are not in $CONVLAB_SHARED_DATA or ../shared/data");
        return;
    }
    const std::string orl = data + "/att_faces", ref = face_reference_dir(), dir = scratch_dir("facetool_pretrained");
    // people/s1/1.pgm, people/s2/1.pgm, and s3 as a colour, resized photo named after him: people/s3.png
    for (const char* p : {"s1", "s2"}) {
        fs::create_directories(dir + "/people/" + p);
        fs::copy_file(orl + "/" + p + "/1.pgm", dir + "/people/" + p + "/1.pgm");
    }
    colour_resized_copy(orl + "/s3/1.pgm", dir + "/people/s3.png");
    colour_resized_copy(orl + "/s2/2.pgm", dir + "/s2_2_colour.png");
    const FaceMethod method = FaceMethod::pretrained(face_models_dir());
    CHECK(method.detects());
    CHECK(method.tau == 0.6f);
    const std::string db = dir + "/faces.db";
    CHECK(enroll_people(db, people_folder(dir + "/people"), method).added == 3);

    const std::string none = ref + "/det_none.png", two = ref + "/det_two_s2_1_s17_4.png";
    const std::vector<FaceMatch> m =
        identify_photos(db, {orl + "/s1/2.pgm", dir + "/s2_2_colour.png", two, none}, method);
    REQUIRE(m.size() == 5);  // two lines for the photo with two faces, one for the one with none
    CHECK(m[0].name == "s1");
    CHECK(m[1].name == "s2");
    CHECK(m[0].distance < 0.6f);
    CHECK(m[1].distance < 0.6f);
    CHECK(m[0].ranking.size() == 3);
    // det_two: s17/4 (not enrolled) on the right, the better score, then s2/1 (enrolled) on the left
    CHECK(m[2].photo == two);
    CHECK(m[2].face == 0);
    CHECK(m[2].name == kUnknown);
    CHECK(m[2].record.detection.box.x > 200);
    CHECK(m[3].face == 1);
    CHECK(m[3].name == "s2");
    CHECK(m[3].distance < 0.2f);  // the enrolled photo itself, enlarged on a canvas
    CHECK(m[4].photo == none);
    CHECK(m[4].face == -1);
    CHECK(query_status(m) == 1);
    CHECK(match_csv(m[3]).rfind(two + ",1,s2,0.", 0) == 0);
    CHECK(match_csv(m[4]) == none + ",,,");
    const JsonValue j = parse_json(match_json(m[3], true), "match");
    CHECK(j.at("name").as_string() == "s2");
    CHECK(j.at("box").at("width").as_number() > 100);

    // enrolling: no face is refused, two faces need --largest; the database is left as it was
    const std::string before = read_file(db);
    CHECK(error_of([&] { enroll_people(db, {{"nobody", {none}}}, method); }) == "no face found in " + none);
    CHECK(error_of([&] { enroll_people(db, {{"pair", {two}}}, method); }) ==
          two + ": 2 faces found, expected 1 (--largest enrols the largest)");
    CHECK(read_file(db) == before);
    const EnrollResult r = enroll_people(db, {{"s17", {two}}}, method, {/*largest=*/true, /*force=*/false});
    CHECK(r.db.photos_of("s17") == 1);
    CHECK(r.db.rows.back() == m[2].record.descriptor);  // the larger box is s17's
}
