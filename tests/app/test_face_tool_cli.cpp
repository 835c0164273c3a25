// tests/app/test_face_tool_cli.cpp
//
// build/bin/face as a user runs it, with a small untrained encoder (tests/support/tiny_encoder.hpp; the
// whole photo is the face and a photo is at d = 0 from itself): a people folder enrolled, folders
// identified and verified, CSV and JSON that parse and name the right people, list and remove, and the
// exit status: 0 every face matched, 1 some did not, 2 an error (one line). With the pretrained networks
// (make face-models; skipped without them): describe and detect against face-api's reference numbers.
#include <cmath>
#include <filesystem>
#include <sstream>

#include "data/synthetic_faces.hpp"
#include "io/atomic_file.hpp"
#include "io/image.hpp"
#include "io/json.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"
#include "tests/support/face_reference.hpp"
#include "tests/support/programs.hpp"
#include "tests/support/tiny_encoder.hpp"

using namespace convlab;
using namespace convlab::testing;
namespace fs = std::filesystem;

namespace {

// The rows of CSV text without its header; fields split at commas (these tests' paths have none).
std::vector<std::vector<std::string>> csv_rows(const std::string& text, const std::string& header) {
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    CHECK(line == header);
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> fields(1);
        for (char c : line)
            if (c == ',') fields.emplace_back();
            else fields.back().push_back(c);
        rows.push_back(fields);
    }
    return rows;
}

// The face tool run in `dir`; checks the status, and for an error that stderr is the one error line.
Run face(const std::string& dir, const std::string& args, int status) {
    Run r = run_program("face", args, dir);
    INFO("face " << args << "\n  stdout: " << r.stdout << "\n  stderr: " << r.stderr);
    CHECK(r.status == status);
    if (status == 2) {
        if (r.stderr.rfind("face: model: ", 0) == 0) r.stderr.erase(0, r.stderr.find('\n') + 1);
        CHECK(r.stderr_lines() == 1);
        CHECK(r.stderr.rfind("face: error: ", 0) == 0);
    }
    return r;
}

}  // namespace

TEST_CASE("face tool from the command line: enrol a people folder, identify and verify folders, list, remove; "
          "CSV and JSON; exit 0, 1, 2" * doctest::test_suite("app.integration")) {
    const std::string dir = scratch_dir("face_cli");
    // people/kian/1.png, people/kian/2.png, people/anna.png (named after her), a README; other/5.png, a stranger
    const FaceDataset faces = synthetic_faces({3, 2, 24, 20, /*seed=*/13});
    fs::create_directories(dir + "/people/kian");
    fs::create_directories(dir + "/other");
    save_png(dir + "/people/kian/1.png", faces.images[0]);
    save_png(dir + "/people/kian/2.png", faces.images[1]);
    save_png(dir + "/people/anna.png", faces.images[2]);
    save_png(dir + "/other/5.png", faces.images[5]);
    write_file_atomic(dir + "/people/README.txt", "kian and anna\n");
    fs::rename(tiny_encoder_file(dir, 21), dir + "/m.ckpt");
    fs::rename(tiny_encoder_file(dir, 22), dir + "/m2.ckpt");
    const std::string m = " --model m.ckpt --db x.db ";

    Run r = face(dir, "enroll --people people" + m, 0);
    CHECK(r.stderr.rfind("face: model: from-scratch encoder m.ckpt (no detector: the whole photo is the face;", 0) == 0);
    CHECK(r.stdout.find("enrolled anna: 1 photo(s)") != std::string::npos);
    CHECK(r.stdout.find("enrolled kian: 2 photo(s)") != std::string::npos);
    r = face(dir, "list --db x.db", 0);
    CHECK(r.stdout.find("x.db: 2 people, 3 photos; model: from-scratch encoder m.ckpt") == 0);
    CHECK(r.stdout.find("\nname,photos\nanna,1\nkian,2\n") != std::string::npos);
    const JsonValue listed = parse_json(face(dir, "list --json --db x.db", 0).stdout, "list --json");
    CHECK(listed.at("people").at(1).at("name").as_string() == "kian");
    CHECK(listed.at("people").at(1).at("photos").as_integer() == 2);

    // identify a folder: every photo is the person it was enrolled as, at d = 0; exit 0
    r = face(dir, "identify" + m + "people", 0);
    const auto rows = csv_rows(r.stdout, "photo,face_index,name,distance");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"people/anna.png", "0", "anna", "0.0000"});
    CHECK(rows[1] == std::vector<std::string>{"people/kian/1.png", "0", "kian", "0.0000"});
    CHECK(rows[2] == std::vector<std::string>{"people/kian/2.png", "0", "kian", "0.0000"});
    CHECK(r.stderr.find("face: 3 of 3 faces identified (tau 0.500); 3 photos in ") != std::string::npos);
    CHECK(r.stderr.find(" s per photo\n") != std::string::npos);
    const JsonValue json = parse_json(face(dir, "identify --json" + m + "people/kian people/anna.png", 0).stdout, "json");
    REQUIRE(json.size() == 3);
    CHECK(json.at(0).at("name").as_string() == "kian");
    CHECK(json.at(1).at("photo").as_string() == "people/kian/2.png");
    CHECK(json.at(2).at("name").as_string() == "anna");
    CHECK(json.at(2).at("match").as_bool());
    // a stranger beyond tau (--tolerance 0: only d = 0 matches): unknown, exit 1
    r = face(dir, "identify --tolerance 0" + m + "people/kian/1.png other", 1);
    const auto some = csv_rows(r.stdout, "photo,face_index,name,distance");
    REQUIRE(some.size() == 2);
    CHECK(some[0][2] == "kian");
    CHECK(some[1][0] == "other/5.png");
    CHECK(some[1][2] == "unknown");
    // verify: NAME then photos and folders
    face(dir, "verify kian" + m + "people/kian", 0);
    r = face(dir, "verify kian --tau 0" + m + "people/kian other/5.png", 1);
    CHECK(csv_rows(r.stdout, "photo,face_index,name,distance")[2][2] == "unknown");

    // errors: exit 2, one line, the database untouched
    const std::string before = read_file(dir + "/x.db");
    CHECK(face(dir, "identify" + m + "people/none.png", 2).stderr ==
          "face: error: people/none.png: no such photo or folder\n");
    CHECK(face(dir, "enroll bob" + m + "people/kian/1.png", 2).stderr.find("is already enrolled as kian") !=
          std::string::npos);
    r = face(dir, "identify --model m2.ckpt --db x.db people", 2);
    CHECK(r.stderr.find("was made by from-scratch encoder m.ckpt") != std::string::npos);
    CHECK(r.stderr.find("not by from-scratch encoder m2.ckpt") != std::string::npos);
    CHECK(face(dir, "verify bob" + m + "people", 2).stderr.find("bob is not enrolled in x.db") != std::string::npos);
    CHECK(face(dir, "list --db x.db extra", 2).stderr ==
          "face: error: list: unexpected argument \"extra\" (usage: face [options] list; see --help)\n");
    CHECK(face(dir, "identify --largest" + m + "people", 2).stderr.find("for enroll only") != std::string::npos);
    CHECK(face(dir, "detect --model m.ckpt people", 2).stderr.find("finds no faces") != std::string::npos);
    CHECK(face(dir, "eval --model pretrained", 2).stderr.find("needs --data DIR") != std::string::npos);
    CHECK(face(dir, "verify" + m, 2).stderr.find("expected a NAME and photos") != std::string::npos);
    CHECK(face(dir, "enroll kian" + m, 2).stderr.find("expected photos or folders") != std::string::npos);
    CHECK(read_file(dir + "/x.db") == before);
    // a photo enrolled again under the same name: a warning, exit 0, nothing written
    r = face(dir, "enroll kian" + m + "people/kian/1.png", 0);
    CHECK(r.stderr.find("face: warning: people/kian/1.png is already enrolled as kian") != std::string::npos);
    CHECK(read_file(dir + "/x.db") == before);

    // remove, then list
    CHECK(face(dir, "remove anna --db x.db", 0).stdout == "removed anna (1 photos); x.db: 2 photos of 1 people\n");
    CHECK(face(dir, "list --db x.db", 0).stdout.find("\nname,photos\nkian,2\n") != std::string::npos);
    face(dir, "remove anna --db x.db", 2);
    // a database of format 1: one line
    write_file_atomic(dir + "/old.db", "convlab-face-db 1\ndim 2\nentries 0\nchecksum 0\n");
    CHECK(face(dir, "list --db old.db", 2).stderr.find("format 1") != std::string::npos);
    // --help documents the commands and the exit status
    r = face(dir, "--help", 0);
    CHECK(r.stdout.find("enroll --people DIR") != std::string::npos);
    CHECK(r.stdout.find("Exit status: 0 when every face matched") != std::string::npos);
}

TEST_CASE("face describe and detect with the pretrained networks: every face of every photo, face-api's numbers; "
          "a photo with no face is named and the exit status is 1" * doctest::test_suite("app.face_tool")) {
    if (!face_models_present()) {
        require_face_models_or_skip();
        return;
    }
    const std::string dir = scratch_dir("face_describe"), ref = face_reference_dir();
    const std::string two = ref + "/det_two_s2_1_s17_4.png", none = ref + "/det_none.png";
    Run r = face(dir, "describe --json " + two + " " + none, 1);
    CHECK(r.stderr.find("face: model: pretrained face-api networks from ") == 0);
    CHECK(r.stderr.find("\nface: no face found in " + none + "\n") != std::string::npos);
    const JsonValue photos = parse_json(r.stdout, "describe --json");
    REQUIRE(photos.size() == 2);
    CHECK(photos.at(1).at("photo").as_string() == none);
    CHECK(photos.at(1).at("faces").size() == 0);
    const JsonValue& faces = photos.at(0).at("faces");
    const JsonValue& expected = face_reference_item("det_two_s2_1_s17_4.png").at("pipeline");
    REQUIRE(faces.size() == 2);
    for (size_t k = 0; k < 2; ++k) {
        CHECK(faces.at(k).at("landmarks").size() == 68);
        CHECK(faces.at(k).at("score").as_number() ==
              doctest::Approx(expected.at(k).at("score").as_number()).epsilon(1e-3));
        CHECK(faces.at(k).at("box").at("x").as_number() ==
              doctest::Approx(expected.at(k).at("box").at("x").as_number()).epsilon(1e-3));
        REQUIRE(faces.at(k).at("descriptor").size() == 128);
        double worst = 0;
        for (size_t i = 0; i < 128; ++i)
            worst = std::max(worst, std::fabs(faces.at(k).at("descriptor").at(i).as_number() -
                                              expected.at(k).at("descriptor").at(i).as_number()));
        CHECK(worst < 1e-3);
    }
    // detect: the same boxes as CSV; a photo with faces only: exit 0
    r = face(dir, "detect " + two, 0);
    const auto rows = csv_rows(r.stdout, "photo,face_index,x,y,width,height,score");
    REQUIRE(rows.size() == 2);
    CHECK(rows[1][1] == "1");
    CHECK(std::stod(rows[1][2]) == doctest::Approx(expected.at(1).at("box").at("x").as_number()).epsilon(1e-3));
}
