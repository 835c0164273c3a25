// tests/app/test_bad_inputs.cpp
//
// Every program, fed bad input, stops with ONE clear line on stderr naming the problem and a non-zero exit
// status (1: an error it reported, never a crash or a signal), and leaves files already on disk alone.
// The programs are the ones built beside this test binary (build/bin or build-san/bin).
#include <stb/stb_image_write.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "face/database.hpp"
#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "io/image.hpp"
#include "io/json.hpp"
#include "tests/support/check.hpp"
#include "tests/support/programs.hpp"

namespace fs = std::filesystem;
using namespace convlab;
using convlab::testing::Run;
using convlab::testing::run_program;

namespace {

const std::vector<std::string> kPrograms{"01_one_shot_learning", "02_siamese_network", "03_triplet_loss",
                                         "04_face_verification",  "05_what_convnets_learn", "06_nst_cost_function",
                                         "07_content_cost",      "08_style_cost",       "09_neural_style_transfer",
                                         "10_conv1d_ecg",        "11_conv3d_volumes",   "face"};

// A scratch folder for this process, removed at exit.
const fs::path& scratch() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("convlab_bad_inputs_" + std::to_string(::getpid()));
        fs::create_directories(d);
        std::atexit([] { std::error_code ec; fs::remove_all(fs::temp_directory_path() / ("convlab_bad_inputs_" + std::to_string(::getpid())), ec); });
        return d;
    }();
    return dir;
}

// Runs `program args` from a scratch working directory so that nothing of the repository (out/) is touched.
// The programs run here see no pretrained face models (CONVLAB_MODELS names a missing folder while they run):
// bad inputs are not about them, and with them the face chapters also score the pretrained networks, which
// under the sanitizers takes minutes.
Run run(const std::string& program, const std::string& args) {
    const char* models = std::getenv("CONVLAB_MODELS");
    const std::string saved = models ? models : "";
    setenv("CONVLAB_MODELS", "/nonexistent", 1);
    const Run r = run_program(program, args, scratch().string());
    models ? setenv("CONVLAB_MODELS", saved.c_str(), 1) : unsetenv("CONVLAB_MODELS");
    return r;
}

void expect_success(const std::string& program, const std::string& args, const std::string& stdout_fragment) {
    const Run r = run(program, args);
    INFO(program << " " << args << "\n  stderr: " << r.stderr);
    CHECK(r.status == 0);
    CHECK(r.stdout.find(stdout_fragment) != std::string::npos);
}

// One error line (the face tool may say which model it loaded first), and status 1 (the face tool: 2, its 1
// meaning "some face did not match").
void expect_one_line_error(const std::string& program, const std::string& args, const std::string& fragment) {
    Run r = run(program, args);
    INFO(program << " " << args << "\n  stderr: " << r.stderr);
    if (program == "face" && r.stderr.rfind("face: model: ", 0) == 0) r.stderr.erase(0, r.stderr.find('\n') + 1);
    CHECK(r.status == (program == "face" ? 2 : 1));
    CHECK(r.stderr_lines() == 1);
    CHECK(r.stderr.rfind(program + ": error: ", 0) == 0);
    CHECK(r.stderr.find(fragment) != std::string::npos);
}

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

// Folders of faces: `people` people s1, s2, ... with 2 photos each (1 for those in `single`), drawn as small
// random grey images.
fs::path face_folder(const std::string& name, int people, const std::vector<int>& single = {}) {
    const fs::path dir = scratch() / name;
    Rng rng(5);
    for (int p = 1; p <= people; ++p) {
        fs::create_directories(dir / ("s" + std::to_string(p)));
        const int photos = std::count(single.begin(), single.end(), p) ? 1 : 2;
        for (int k = 1; k <= photos; ++k)
            save_pnm((dir / ("s" + std::to_string(p)) / (std::to_string(k) + ".pgm")).string(),
                     Tensor::rand({1, 56, 46}, rng));
    }
    return dir;
}

// A PNG of random pixels with `channels` = 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA), 8 bits each.
void write_png(const fs::path& path, int width, int height, int channels) {
    Rng rng(7);
    std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * channels);
    for (unsigned char& v : pixels) v = static_cast<unsigned char>(rng.randint(256));
    std::string png;
    auto append = [](void* to, void* data, int size) { static_cast<std::string*>(to)->append(static_cast<char*>(data), size); };
    stbi_write_png_to_func(append, &png, width, height, channels, pixels.data(), width * channels);
    write_text(path, png);
}

// A 16-bit grey PGM (maxval 65535: two bytes a sample, most significant first) of random pixels.
void write_pgm16(const fs::path& path, int width, int height) {
    Rng rng(8);
    std::string pgm = "P5\n" + std::to_string(width) + " " + std::to_string(height) + "\n65535\n";
    for (int i = 0; i < 2 * width * height; ++i) pgm += static_cast<char>(rng.randint(256));
    write_text(path, pgm);
}

// Every file below dir with its bytes: to show that a refused run left --out as it was.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) files[e.path().string()] = read_file(e.path().string());
    return files;
}

// An --out folder holding what an earlier run left there: numbers, a training checkpoint, a database.
fs::path earlier_out(const std::string& name) {
    const fs::path out = scratch() / name;
    write_text(out / "metrics.json", "{\n  \"auc\": 0.97\n}\n");
    save_checkpoint((out / "train_encoder.ckpt").string(), {{"model.net.0.weight", Tensor::ones({8, 1, 3, 3})}});
    write_text(out / "office.db", "convlab-face-db 2\nmodel -\ndim 2\nentries 1\nkian\tk.png\t-\t0.6 0.8\n");
    return out;
}

// metrics.json of a --quick run into `out`: the provenance Metrics::set_run writes first (docs/metrics.md).
void expect_provenance(const fs::path& out, const std::string& program) {
    INFO(program << ": " << (out / "metrics.json").string());
    const JsonValue m = parse_json(read_file((out / "metrics.json").string()), "metrics.json");
    REQUIRE(m.members().size() >= 5);
    CHECK(m.members()[0].first == "program");
    CHECK(m.at("program").as_string() == program);
    CHECK_FALSE(m.at("version").as_string().empty());  // app::version() of the program's build
    CHECK(m.at("seed").as_integer() == 0);
    CHECK(m.at("threads").as_integer() >= 1);
    const JsonValue& options = m.at("options");
    CHECK(options.at("out").as_string() == out.string());
    CHECK(options.at("quick").as_bool());
    CHECK(options.at("seed").as_integer() == 0);
    CHECK(options.at("threads").as_integer() == 0);
}

}  // namespace

TEST_CASE("every program: unknown option, malformed and out-of-range values" * doctest::test_suite("app.bad_inputs")) {
    for (const std::string& p : kPrograms) {
        expect_one_line_error(p, "--no-such-option", "unknown option --no-such-option");
        expect_one_line_error(p, "--threads 5000", "--threads");
        expect_one_line_error(p, "--seed twelve", "--seed");
        if (p != "face") expect_one_line_error(p, "extra", "unexpected argument 'extra': " + p + " takes only options");
    }
}

TEST_CASE("every program: each bad option value or stray argument stops it before any work; --out never made" *
          doctest::test_suite("app.bad_inputs")) {
    // program and arguments, the whole error line after "<program>: error: "
    const std::vector<std::pair<std::string, std::string>> cases{
        {"01_one_shot_learning --epochs 0", "--epochs: expected an integer in [1, 10000], got '0'"},
        {"01_one_shot_learning --models /no/such/models",
         "--models /no/such/models: expected the three networks of make face-models there, missing "
         "face_recognition.ckpt, face_landmark_68.ckpt, ssd_mobilenetv1.ckpt"},
        {"02_siamese_network --epochs many", "--epochs: expected an integer in [1, 10000], got 'many'"},
        {"03_triplet_loss --mining random,bogus",
         "--mining: expected a comma-separated list of random|hard|semi-hard, got 'bogus' in 'random,bogus'"},
        {"03_triplet_loss --mining hard,hard",
         "--mining: expected each of random|hard|semi-hard at most once, got 'hard' twice"},
        {"03_triplet_loss --far 1", "--far: expected a number in [0, 0.999], got '1'"},
        {"04_face_verification --fold 5", "--fold: expected an integer in [1, 4], got '5'"},
        {"05_what_convnets_learn --units 65", "--units: expected an integer in [1, 64], got '65'"},
        {"06_nst_cost_function --optimizer sgd", "--optimizer: expected one of lbfgs|adam, got 'sgd'"},
        {"07_content_cost --image-size 8", "--image-size: expected an integer in [16, 2048], got '8'"},
        {"08_style_cost --iterations 0", "--iterations: expected an integer in [1, 100000], got '0'"},
        {"09_neural_style_transfer --style-blend 1,x", "--style-blend: expected numbers, got 'x'"},
        {"09_neural_style_transfer --style-blend 0.5,0.5",
         "--style-blend: expected one weight per --style image (1), got 2"},
        {"10_conv1d_ecg --weight-decay 2", "--weight-decay: expected a number in [0, 1], got '2'"},
        {"11_conv3d_volumes --size 16 --frames 16", "--frames: expected at most --size - 4 = 12, got 16"},
        {"11_conv3d_volumes --size 18", "--size and --frames: expected multiples of 4 (two 2x2x2 poolings), got 18 "
                                        "and 8"},
        {"face eval --folds 1,5", "--folds: expected a comma-separated list of 1|2|3|4, got '5' in '1,5'"},
        {"face eval --mining bogus", "--mining: expected one of random|hard|semi-hard, got 'bogus'"},
        {"face eval extra", "eval: unexpected argument \"extra\" (usage: face [options] eval; see --help)"},
        {"face eval --db office.db", "eval: --db is not for eval (usage: face [options] eval; see --help)"},
        {"face list extra", "list: unexpected argument \"extra\" (usage: face [options] list; see --help)"},
        {"face identify --epochs 3 x.png",
         "identify: --epochs is for eval only (usage: face [options] identify PHOTO|DIR...; see --help)"},
        {"face remove", "remove: expected a NAME (usage: face [options] remove NAME; see --help)"},
    };
    for (const auto& [command, message] : cases) {
        const std::string program = command.substr(0, command.find(' '));
        const fs::path out = scratch() / ("never_" + program);
        // the face tool's commands other than eval take neither --quick nor --out (they write no --out)
        const bool eval_like = program != "face" || command.rfind("face eval", 0) == 0;
        expect_one_line_error(program, command.substr(program.size()) + (eval_like ? " --quick --out " + out.string() : ""),
                              message);
        CHECK_MESSAGE(!fs::exists(out), command);
    }
}

TEST_CASE("training programs: --checkpoint-every out of range or not a number" * doctest::test_suite("app.bad_inputs")) {
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "03_triplet_loss", "04_face_verification",
                                "05_what_convnets_learn", "10_conv1d_ecg", "11_conv3d_volumes", "face eval"}) {
        const std::string program = p.substr(0, p.find(' ')), command = p.substr(program.size());
        expect_one_line_error(program, command + " --checkpoint-every -1",
                              "--checkpoint-every: expected an integer in [0, 1000000], got '-1'");
        expect_one_line_error(program, command + " --checkpoint-every often", "got 'often'");
    }
}

TEST_CASE("chapters 01, 02, 05: --resume from a truncated or foreign checkpoint; the file is left as it was" *
          doctest::test_suite("app.integration")) {
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "05_what_convnets_learn"}) {
        const fs::path out = scratch() / ("resume_" + p), ckpt = out / "train_encoder.ckpt";
        fs::create_directories(out);
        // 05 trains an encoder (and so reads the checkpoint) only when its --face-model is missing
        const std::string args = "--quick --resume --out " + out.string() +
                                 (p == "05_what_convnets_learn" ? " --face-model none.ckpt" : "");

        save_checkpoint(ckpt.string(), {{"model.net.0.weight", Tensor::ones({8, 1, 3, 3})}});
        const std::string foreign = read_file(ckpt.string());
        expect_one_line_error(p, args, "tensor 'train.step' is missing");
        CHECK(read_file(ckpt.string()) == foreign);

        write_text(ckpt, foreign.substr(0, foreign.size() / 2));
        expect_one_line_error(p, args, "train_encoder.ckpt': truncated file");
        CHECK(read_file(ckpt.string()) == foreign.substr(0, foreign.size() / 2));
    }
}

TEST_CASE("face and ECG chapters: missing, empty and broken data folders" * doctest::test_suite("app.bad_inputs")) {
    const fs::path empty = scratch() / "empty";
    fs::create_directories(empty);
    const fs::path broken = face_folder("broken", 8);
    write_text(broken / "s3" / "2.pgm", "P5\n46 56\n255\n" + std::string(100, 'x'));  // cut short
    const fs::path not_image = face_folder("not_image", 8);
    write_text(not_image / "s5" / "1.pgm", "this is not an image\n");
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "03_triplet_loss", "04_face_verification",
                                "05_what_convnets_learn"}) {
        expect_one_line_error(p, "--quick --data /no/such/folder", "/no/such/folder");
        expect_one_line_error(p, "--quick --data " + empty.string(), "0 person subfolders");
        expect_one_line_error(p, "--quick --data " + broken.string(), "s3/2.pgm: truncated PGM");
        expect_one_line_error(p, "--quick --data " + not_image.string(), "s5/1.pgm");
    }
    const fs::path ecg = scratch() / "ecg";
    write_text(ecg / "ECG200_TRAIN.txt", "1 0.5 0.25 0.125\n-1 0.5 oops 0.125\n");
    write_text(ecg / "ECG200_TEST.txt", "1 0.5 0.25 0.125\n");
    expect_one_line_error("10_conv1d_ecg", "--quick --data " + ecg.string(), "line 2");
    expect_one_line_error("10_conv1d_ecg", "--quick --data " + empty.string(), "ECG200_TRAIN.txt");
}

TEST_CASE("style-transfer chapters: missing image, not an image, wrong weights" * doctest::test_suite("app.bad_inputs")) {
    const fs::path text = scratch() / "photo.png";
    write_text(text, "not a PNG\n");
    const fs::path weights = scratch() / "vgg19.weights";
    save_checkpoint(weights.string(), {{"conv1_1.weight", Tensor::zeros({2, 3, 3, 3})}});
    for (const std::string p : {"06_nst_cost_function", "07_content_cost", "09_neural_style_transfer"}) {
        expect_one_line_error(p, "--quick --content /no/such/photo.jpg", "/no/such/photo.jpg");
        expect_one_line_error(p, "--quick --content " + text.string(), "photo.png");
        expect_one_line_error(p, "--quick --weights " + weights.string(), "vgg19.weights");
    }
    expect_one_line_error("08_style_cost", "--quick --style /no/such/painting.jpg", "/no/such/painting.jpg");
    expect_one_line_error("08_style_cost", "--quick --weights /no/such/file.weights", "/no/such/file.weights");
}

TEST_CASE("face tool: missing model, missing or corrupted database, unreadable photo; files unchanged" *
          doctest::test_suite("app.bad_inputs")) {
    const fs::path faces = face_folder("tool_faces", 2);
    const std::string photo = (faces / "s1" / "1.pgm").string();
    expect_one_line_error("face", "identify --db x.db --model /no/such/model.ckpt " + photo, "/no/such/model.ckpt");

    // a corrupted database: the tool refuses it and leaves its bytes as they were
    const fs::path db = scratch() / "office.db";
    write_text(db, "convlab-face-db 2\nmodel -\ndim 4\nentries 5\nkian\tk.png\t-\t1 2\n");
    const std::string before = read_file(db.string());
    const fs::path model = scratch() / "no_model.ckpt";
    expect_one_line_error("face", "identify --db " + db.string() + " --model " + model.string() + " " + photo,
                          model.string());
    expect_one_line_error("face", "verify --db /no/such.db --name kian --model " + model.string() + " " + photo,
                          "no_model.ckpt");
    CHECK(read_file(db.string()) == before);
    expect_one_line_error("face", "frobnicate", "frobnicate");
}

TEST_CASE("face programs: a person with one photo where two are needed; --out left as it was" *
          doctest::test_suite("app.bad_inputs")) {
    // fold 1 tests s1, s2 (of 8): s1 alone cannot be both enrolled and probed, and s2 needs a second person
    const fs::path single_in_test = face_folder("single_in_test", 8, {1});
    const fs::path all_single = face_folder("all_single", 8, {1, 2, 3, 4, 5, 6, 7, 8});
    const fs::path out = earlier_out("single_out");
    const auto before = snapshot(out);
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "03_triplet_loss", "04_face_verification",
                                "face eval"}) {
        const std::string program = p.substr(0, p.find(' '));
        const std::string args = p.substr(program.size()) + " --quick --out " + out.string();
        expect_one_line_error(program, args + " --data " + single_in_test.string(),
                              "split_fold: fold 1 of 4: the test people (s1 .. s2): need at least 2 people with 2 or "
                              "more photos each (one to enrol or anchor, one to compare), got 1 of 2; " +
                                  (single_in_test / "s1").string() + " has 1 photo");
        expect_one_line_error(program, args + " --data " + all_single.string(),
                              "the training people: need at least 2 people with 2 or more photos each (one to enrol or "
                              "anchor, one to compare), got 0 of 6; " + (all_single / "s3").string() +
                                  " has 1 photo (and 5 more people have 1)");
    }
    expect_one_line_error("05_what_convnets_learn",
                          "--quick --face-model none.ckpt --out " + out.string() + " --data " + all_single.string(),
                          "training the face encoder on " + all_single.string() + ": need at least 2 people with 2 or "
                          "more photos each (one to enrol or anchor, one to compare), got 0 of 8; " +
                              (all_single / "s1").string() + " has 1 photo (and 7 more people have 1)");
    CHECK(snapshot(out) == before);
}

TEST_CASE("face programs: people with one photo among the training people are negatives only; the runs finish" *
          doctest::test_suite("app.integration")) {
    // s1..s8 with two photos, s9..s24 with one: training batches made only of the latter (they stopped
    // 03, 04 and 05 with "the batch has no anchor-positive pair" before) teach nothing and are passed over
    std::vector<int> single;
    for (int p = 9; p <= 24; ++p) single.push_back(p);
    const fs::path many_single = face_folder("many_single", 24, single);
    const std::string note = "16 people have a single photo (s9, s10, s11, s12, s13, ...): only ever the other person";
    // 03 and face eval also find too few people with two photos to hold some out for tau: they say so, go on
    const std::string no_calibration = "too few training people with two photos to hold some out";
    for (const auto& [p, fragment] : std::vector<std::pair<std::string, std::string>>{
             {"03_triplet_loss --mining semi-hard", no_calibration},
             {"04_face_verification", note},
             {"05_what_convnets_learn --face-model none.ckpt", note},
             {"face eval --far 0.05", no_calibration}}) {
        const std::string program = p.substr(0, p.find(' ')), out = (scratch() / ("many_single_" + program)).string();
        const Run r =
            run(program, p.substr(program.size()) + " --quick --data " + many_single.string() + " --out " + out);
        INFO(p << "\n  stderr: " << r.stderr);
        CHECK(r.status == 0);
        CHECK(r.stdout.find(note) != std::string::npos);
        CHECK(r.stdout.find(fragment) != std::string::npos);
        expect_provenance(out, program);
        const std::string metrics = read_file(out + "/metrics.json");
        CHECK(metrics.find("nan") == std::string::npos);
        CHECK(metrics.find("inf") == std::string::npos);
        if (program == "face") {
            CHECK(metrics.find("\"target_far\": 0.05,") != std::string::npos);
            CHECK(metrics.find("\"fold1.triplet.auc\": ") != std::string::npos);  // each fold's numbers too
            // the options as run: --quick's caps (6 epochs, fold 1) applied
            const JsonValue options = parse_json(metrics, "metrics.json").at("options");
            CHECK(options.at("epochs").as_integer() == 6);
            CHECK(options.at("folds").size() == 1);
            CHECK(options.at("folds").at(0).as_string() == "1");
        }
    }
}

TEST_CASE("face programs and the face tool: photos of any size, colour, alpha or 16 bits; a 1 x 1 photo is refused" *
          doctest::test_suite("app.integration")) {
    // one photo of each of s1..s6 replaced by another kind of file; all are read as grey and resized to 56 x 46
    const fs::path mixed = face_folder("mixed", 8);
    for (int p = 1; p <= 6; ++p) fs::remove(mixed / ("s" + std::to_string(p)) / "1.pgm");
    write_png(mixed / "s1" / "1.png", 92, 112, 3);  // RGB at ORL's size
    write_png(mixed / "s2" / "1.png", 60, 70, 4);   // RGBA
    write_png(mixed / "s3" / "1.png", 46, 56, 2);   // grey + alpha
    write_pgm16(mixed / "s4" / "1.pgm", 46, 56);    // 16-bit grey
    write_png(mixed / "s5" / "1.png", 200, 30, 1);  // wide
    write_png(mixed / "s6" / "1.png", 12, 12, 3);   // the smallest accepted
    const fs::path out = scratch() / "mixed_out";
    expect_success("03_triplet_loss", "--quick --mining semi-hard --data " + mixed.string() + " --out " + out.string(),
                   "data: " + mixed.string() + ": 8 people, 16 photos, resized to 56 x 46 grey");

    // the face tool with the encoder just trained: a colour photo of another size, enrolled and identified
    const std::string model = " --model " + (out / "encoder.ckpt").string(), db = (out / "office.db").string();
    const fs::path camera = scratch() / "camera.png", door = scratch() / "door.png", dot = scratch() / "dot.png";
    write_png(camera, 300, 200, 3);
    write_png(door, 64, 80, 4);
    write_png(dot, 1, 1, 3);
    expect_success("face", "enroll --db " + db + " --name kian" + model + " " + camera.string(),
                   "enrolled kian: 1 photo(s)");
    expect_success("face", "identify --db " + db + " --tolerance 1000" + model + " " + door.string(),
                   door.string() + ",0,kian,");
    const auto before = snapshot(out);
    const std::string too_small = dot.string() + ": 1 x 1 pixels is too small for a face, expected at least 12 x 12";
    expect_one_line_error("face", "enroll --db " + db + " --name dot" + model + " " + door.string() + " " +
                                      dot.string(), too_small);
    expect_one_line_error("face", "identify --db " + db + model + " " + dot.string(), too_small);
    expect_one_line_error("face", "verify --db " + db + " --name kian" + model + " " + dot.string(), too_small);
    CHECK(snapshot(out) == before);  // the database has not taken the door photo either

    // a 1 x 1 photo in a data folder: every face program names it and stops before writing anything
    const fs::path tiny = face_folder("tiny", 8);
    write_png(tiny / "s7" / "2.png", 1, 1, 1);
    fs::remove(tiny / "s7" / "2.pgm");
    const fs::path earlier = earlier_out("tiny_out");
    const auto earlier_files = snapshot(earlier);
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "03_triplet_loss", "04_face_verification",
                                "05_what_convnets_learn", "face eval"}) {
        const std::string program = p.substr(0, p.find(' '));
        expect_one_line_error(program, p.substr(program.size()) + " --quick --data " + tiny.string() + " --out " +
                                           earlier.string(),
                              (tiny / "s7" / "2.png").string() + ": 1 x 1 pixels is too small for a face");
    }
    CHECK(snapshot(earlier) == earlier_files);
}

TEST_CASE("style-transfer chapters: a picture of any size and channel count, even 1 x 1 (a flat colour), is painted" *
          doctest::test_suite("app.integration")) {
    // Not garbage: the content (or style) picture is resized to the working size, and a 1 x 1 picture is a
    // flat colour, a canvas on which the style is painted (texture synthesis). The run finishes.
    const fs::path rgba = scratch() / "nst_rgba.png", grey_alpha = scratch() / "nst_ga.png";
    const fs::path dot = scratch() / "nst_dot.png";
    write_png(rgba, 70, 40, 4);
    write_png(grey_alpha, 33, 90, 2);
    write_png(dot, 1, 1, 3);
    const std::string out = " --out " + (scratch() / "nst_out").string();
    expect_success("07_content_cost", "--quick --content " + rgba.string() + out, "images: content nst_rgba");
    expect_success("07_content_cost", "--quick --content " + dot.string() + out, "images: content nst_dot");
    expect_provenance(scratch() / "nst_out", "07_content_cost");
    expect_success("08_style_cost", "--quick --style " + grey_alpha.string() + out, "style nst_ga");
    expect_provenance(scratch() / "nst_out", "08_style_cost");
}

TEST_CASE("the programs no other test runs: metrics.json records program, version, seed, threads and options" *
          doctest::test_suite("app.integration")) {
    // the smallest runs that finish (the other programs' metrics.json are checked where their tests run them)
    for (const std::string p : {"01_one_shot_learning --epochs 1", "02_siamese_network --epochs 1",
                                "06_nst_cost_function --iterations 2 --image-size 24",
                                "09_neural_style_transfer --iterations 2 --image-size 24 --save-every 0",
                                "11_conv3d_volumes --epochs 1 --train 8 --test 8 --size 12 --frames 8"}) {
        const std::string program = p.substr(0, p.find(' '));
        const fs::path out = scratch() / ("provenance_" + program);
        expect_success(program, p.substr(program.size()) + " --quick --out " + out.string(), "metrics.json");
        expect_provenance(out, program);
    }
    const JsonValue ch09 = parse_json(read_file((scratch() / "provenance_09_neural_style_transfer" / "metrics.json")
                                                    .string()), "metrics.json");
    CHECK(ch09.at("options").at("iterations").as_integer() == 2);
    CHECK(ch09.at("options").at("style").size() == 0);  // a list: an array
    const JsonValue ch11 = parse_json(read_file((scratch() / "provenance_11_conv3d_volumes" / "metrics.json")
                                                    .string()), "metrics.json");
    CHECK(ch11.at("options").at("clip-noise").as_number() == 0.3);
    CHECK(ch11.at("volume.accuracy_mean").is_number());
}

TEST_CASE("ECG chapter: a UCR file with lines of different lengths; --out left as it was" *
          doctest::test_suite("app.bad_inputs")) {
    const fs::path ecg = scratch() / "ragged_ecg";
    write_text(ecg / "ECG200_TRAIN.txt", "1 0.5 0.25 0.125\n-1 0.5 0.25\n");
    write_text(ecg / "ECG200_TEST.txt", "1 0.5 0.25 0.125\n");
    const fs::path out = earlier_out("ragged_out");
    const auto before = snapshot(out);
    expect_one_line_error("10_conv1d_ecg", "--quick --data " + ecg.string() + " --out " + out.string(),
                          "ECG200_TRAIN.txt line 2: expected 3 samples after the label (as on line 1), got 2");
    write_text(ecg / "ECG200_TRAIN.txt", "1 0.5 0.25 0.125\n-1 0.5 0.25 0.125\n");
    write_text(ecg / "ECG200_TEST.txt", "1 0.5 0.25 0.125 0.0625\n");  // longer than the training beats
    expect_one_line_error("10_conv1d_ecg", "--quick --data " + ecg.string() + " --out " + out.string(),
                          "ECG200_TEST.txt: beats of 4 samples, expected 3 as in ");
    CHECK(snapshot(out) == before);
}
